"""Task flows, one module per flow; each exposes ``advance(turn) -> Reply``."""
