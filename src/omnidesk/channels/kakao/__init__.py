"""The kakao channel adapter."""
