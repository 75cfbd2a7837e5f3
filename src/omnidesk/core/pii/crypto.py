"""Field-level encryption of personal data (Fernet), keyed from a key file or the app's secret.

A key file holds one Fernet key per line, the first one encrypting; all of them decrypt, which is
how a rotation works (`omnidesk pii rotate-key`). Without a key file the key is derived from the
secret key (its own context, so it differs from the channel-settings key).
"""

from __future__ import annotations

import base64
import hashlib
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

KEY_CONTEXT = b"omnidesk/pii-fields/v1"


def derived_key(secret_key: str) -> bytes:
    """Return the Fernet key derived from the app's secret key."""
    digest = hashlib.sha256(KEY_CONTEXT + b"\x00" + secret_key.encode()).digest()
    return base64.urlsafe_b64encode(digest)


def read_key_file(path: Path) -> list[bytes]:
    """Read the keys of a key file (first encrypts); a bad file raises ValueError."""
    try:
        lines = [line.strip() for line in path.read_text(encoding="ascii").splitlines()]
    except (OSError, UnicodeDecodeError) as exc:
        raise ValueError(f"cannot read the PII key file {path}: {exc}") from exc
    keys = [line.encode() for line in lines if line and not line.startswith("#")]
    for key in keys:
        try:
            Fernet(key)
        except ValueError:
            raise ValueError(f"the PII key file {path} holds a line that is not a Fernet key") from None
    if not keys:
        raise ValueError(f"the PII key file {path} holds no key")
    return keys


class PiiCipher:
    """Encrypt and decrypt single values; every key in the ring decrypts."""

    def __init__(self, keys: list[bytes]) -> None:
        if not keys:
            raise ValueError("a key is required to encrypt personal data")
        self._ring = MultiFernet([Fernet(k) for k in keys])

    @classmethod
    def from_settings(cls, *, secret_key: str, key_file: Path | None,
                      previous_secret: str | None = None) -> PiiCipher:
        """Build the cipher from the key file if set, else from the secret key."""
        keys = read_key_file(key_file) if key_file else [derived_key(secret_key)]
        if key_file:
            keys.append(derived_key(secret_key))  # values sealed before the key file existed
        if previous_secret:
            keys.append(derived_key(previous_secret))
        return cls(keys)

    def encrypt(self, value: str) -> str:
        """Encrypt one value to an opaque token."""
        return self._ring.encrypt(value.encode()).decode()

    def decrypt(self, token: str) -> str:
        """Decrypt one token; a token no key opens raises ValueError."""
        try:
            return self._ring.decrypt(token.encode()).decode()
        except InvalidToken:
            raise ValueError("this value cannot be decrypted with the configured keys") from None

    def rotate(self, token: str) -> str:
        """Re-encrypt a token under the first key."""
        return self._ring.rotate(token.encode()).decode()

    def __repr__(self) -> str:
        return "PiiCipher(<hidden>)"
