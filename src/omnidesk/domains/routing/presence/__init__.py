"""Agents' presence: setting it, and moving it only from an expected state."""
