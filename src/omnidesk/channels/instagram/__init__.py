"""Instagram Direct as a channel kind (the adapter is Meta's, in channels/messenger)."""
