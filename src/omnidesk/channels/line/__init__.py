"""The line channel adapter."""
