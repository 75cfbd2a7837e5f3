"""Routing rules: conditions that send a conversation to a queue with a priority."""
