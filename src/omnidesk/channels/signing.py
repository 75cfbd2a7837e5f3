"""Signature primitives shared by adapters; every comparison is constant-time."""

from __future__ import annotations

import base64
import hashlib
import hmac
import time

from omnidesk.channels.base import SignatureError


def _key(secret: str | bytes) -> bytes:
    return secret.encode() if isinstance(secret, str) else secret


def hmac_sha256_hex(secret: str | bytes, message: bytes) -> str:
    """Return the lowercase hex HMAC-SHA256 of the exact bytes."""
    return hmac.new(_key(secret), message, hashlib.sha256).hexdigest()


def hmac_sha256_b64(secret: str | bytes, message: bytes) -> str:
    """Return the base64 HMAC-SHA256 of the exact bytes."""
    return base64.b64encode(hmac.new(_key(secret), message, hashlib.sha256).digest()).decode()


def hmac_sha1_b64(secret: str | bytes, message: bytes) -> str:
    """Return the base64 HMAC-SHA1 of the exact bytes."""
    return base64.b64encode(hmac.new(_key(secret), message, hashlib.sha1).digest()).decode()


def same(given: str | None, expected: str) -> bool:
    """Compare a received value with the expected one without leaking timing."""
    if given is None:
        return False
    return hmac.compare_digest(given.encode(), expected.encode())


def require(given: str | None, expected: str, *, what: str) -> None:
    """Raise SignatureError unless the values match (missing counts as a mismatch)."""
    if given is None:
        raise SignatureError(f"missing {what}")
    if not same(given, expected):
        raise SignatureError(f"bad {what}")


def check_timestamp(timestamp: str | None, *, tolerance_seconds: int, now: float | None = None
                    ) -> int:
    """Reject a missing, malformed or stale (replayed) Unix timestamp; return it."""
    if timestamp is None or not timestamp.strip().isdigit():
        raise SignatureError("missing or malformed timestamp")
    value = int(timestamp)
    current = time.time() if now is None else now
    if abs(current - value) > tolerance_seconds:
        raise SignatureError("stale timestamp")
    return value
