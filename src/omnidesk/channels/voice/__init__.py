"""The voice channel adapter."""
