"""The process's personal-data cipher, built once from the settings."""

from __future__ import annotations

from functools import lru_cache

from omnidesk.config import get_settings
from omnidesk.core.pii.crypto import PiiCipher


@lru_cache(maxsize=1)
def pii_cipher() -> PiiCipher:
    """Return the cipher for personal data (key file if configured, else the secret key)."""
    settings = get_settings()
    return PiiCipher.from_settings(secret_key=settings.effective_secret_key,
                                   key_file=settings.pii_key_file)
