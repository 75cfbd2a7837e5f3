"""Encrypt channel settings at rest (Fernet), keyed from the app's secret key."""

from __future__ import annotations

import base64
import hashlib
import json
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

KEY_CONTEXT = b"omnidesk/channel-settings/v1"


def _fernet(secret_key: str) -> Fernet:
    digest = hashlib.sha256(KEY_CONTEXT + b"\x00" + secret_key.encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


class SettingsCipher:
    """Seal and open per-connection settings; old keys still open during a rotation."""

    def __init__(self, secret_key: str, *, previous_keys: tuple[str, ...] = ()) -> None:
        if not secret_key:
            raise ValueError("a secret key is required to encrypt channel settings")
        self._fernet = MultiFernet([_fernet(k) for k in (secret_key, *previous_keys)])

    def seal(self, settings: dict[str, Any]) -> str:
        """Encrypt settings (plain JSON values, secrets included) to an opaque token."""
        return self._fernet.encrypt(json.dumps(settings, ensure_ascii=False).encode()).decode()

    def open(self, token: str) -> dict[str, Any]:
        """Decrypt settings; a wrong key raises ValueError without revealing anything."""
        try:
            return json.loads(self._fernet.decrypt(token.encode()))
        except InvalidToken:
            raise ValueError("channel settings cannot be decrypted with this key") from None

    def __repr__(self) -> str:
        return "SettingsCipher(<hidden>)"
