"""The api channel adapter."""
