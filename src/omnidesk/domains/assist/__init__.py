"""Agent assist: customer 360, recognition templates, canned responses and live suggestions."""
