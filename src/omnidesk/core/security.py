"""Crypto helpers: password hashing, API tokens, HMAC signatures and CSRF tokens."""

from __future__ import annotations

import functools
import hashlib
import hmac
import secrets
import time

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher()
TOKEN_PREFIX = "od_"


def hash_password(password: str) -> str:
    """Hash a password with argon2id."""
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """Check a password against its argon2 hash; false, after the same work, for a missing one.

    A login for an unknown account checks against a dummy hash, so answering "wrong email or
    password" takes as long whether or not the account exists.
    """
    try:
        return _hasher.verify(password_hash or _dummy_hash(), password) and bool(password_hash)
    except (VerificationError, InvalidHashError):
        return False


@functools.cache
def _dummy_hash() -> str:
    return _hasher.hash(secrets.token_urlsafe(24))


def new_api_token() -> tuple[str, str, str]:
    """Return (token shown once, its hash to store, a short display prefix)."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    return token, hash_token(token), token[:10]


def hash_token(token: str) -> str:
    """Hash a high-entropy bearer token (SHA-256 suffices: it is not a password)."""
    return hashlib.sha256(token.encode()).hexdigest()


def hmac_sha256_hex(secret: str | bytes, message: str | bytes) -> str:
    """Return the hex HMAC-SHA256 of a message."""
    key = secret.encode() if isinstance(secret, str) else secret
    msg = message.encode() if isinstance(message, str) else message
    return hmac.new(key, msg, hashlib.sha256).hexdigest()


def constant_time_equals(a: str | bytes, b: str | bytes) -> bool:
    """Compare two secrets without leaking timing."""
    a_b = a.encode() if isinstance(a, str) else a
    b_b = b.encode() if isinstance(b, str) else b
    return hmac.compare_digest(a_b, b_b)


def make_csrf_token(secret: str, session_id: str) -> str:
    """Return a CSRF token bound to the session and signed with the app secret."""
    issued = str(int(time.time()))
    return f"{issued}.{hmac_sha256_hex(secret, f'{session_id}:{issued}')}"


def check_csrf_token(secret: str, session_id: str, token: str | None, *, max_age: int = 86400) -> bool:
    """Validate a CSRF token made by make_csrf_token for this session."""
    if not token or "." not in token:
        return False
    issued, signature = token.split(".", 1)
    if not issued.isdigit() or int(time.time()) - int(issued) > max_age:
        return False
    return constant_time_equals(signature, hmac_sha256_hex(secret, f"{session_id}:{issued}"))
