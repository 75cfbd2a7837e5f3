"""Search over a workspace's conversations, messages and customers (Korean-aware)."""
