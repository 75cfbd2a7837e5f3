"""The messenger channel adapter."""
