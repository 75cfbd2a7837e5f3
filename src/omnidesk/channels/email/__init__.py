"""The email channel adapter."""
