"""The search index: passages of articles, term counts, the full-text DDL, rebuilds."""
