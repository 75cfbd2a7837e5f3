"""Knowledge search: query analysis, ranking, typo tolerance, synonyms, highlights, evaluation."""
