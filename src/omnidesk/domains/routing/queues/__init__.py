"""Queues: waiting items, voice offers and overflow."""
