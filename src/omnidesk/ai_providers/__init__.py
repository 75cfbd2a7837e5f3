"""LLM and embedding backends (OpenAI-compatible endpoints, local models)."""
