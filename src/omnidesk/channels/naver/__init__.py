"""The naver channel adapter."""
