"""Attachment storage shared by uploads and channel downloads: size, type and magic checks."""

from __future__ import annotations

import base64
import hashlib
import re
import secrets
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from omnidesk.core.errors import InvalidInput

# Declared type -> (extension, leading bytes the file must start with, or None for text).
ALLOWED: dict[str, tuple[str, bytes | None]] = {
    "image/png": (".png", b"\x89PNG\r\n\x1a\n"),
    "image/jpeg": (".jpg", b"\xff\xd8\xff"),
    "image/gif": (".gif", b"GIF8"),
    "image/webp": (".webp", b"RIFF"),
    "application/pdf": (".pdf", b"%PDF-"),
    "text/plain": (".txt", None),
}
KEY = re.compile(r"^[0-9]+/[A-Za-z0-9_-]{32}\.(png|jpg|gif|webp|pdf|txt)$")
URL_PREFIX = "/attachments/"
# Types too vague to check against magic bytes: the file's own leading bytes decide.
GENERIC_TYPES = frozenset({"", "application/octet-stream", "binary/octet-stream"})


@dataclass(frozen=True)
class StoredFile:
    """A checked file written to attachment storage."""

    key: str
    name: str
    content_type: str
    size: int

    @property
    def url(self) -> str:
        """Return the path the attachment route serves this file at."""
        return URL_PREFIX + self.key


def clean_name(name: str | None) -> str:
    """Return a display-safe file name: no path, no control characters, at most 120 chars."""
    base = unicodedata.normalize("NFC", Path(name or "file").name)
    return re.sub(r"[\x00-\x1f\"\\/]", "_", base)[:120] or "file"


def normalise_type(content_type: str | None) -> str:
    """Lower-case a Content-Type and drop its parameters."""
    return (content_type or "").split(";")[0].strip().lower()


def sniff_type(head: bytes) -> str | None:
    """Return the allowed binary type whose magic bytes start the file, if any."""
    return next((t for t, (_, magic) in ALLOWED.items() if magic and head.startswith(magic)),
                None)


def pick_type(*candidates: str | None, head: bytes) -> str:
    """Choose a downloaded file's type: its magic bytes, else the first concrete declared type.

    Providers label files loosely (``image/*``, a guessed ``image/jpeg``); the bytes decide,
    so the type we later serve always matches the content.
    """
    sniffed = sniff_type(head)
    if sniffed:
        return sniffed
    for candidate in candidates:
        value = normalise_type(candidate)
        if value and value not in GENERIC_TYPES and "*" not in value and "/" in value:
            return value
    return normalise_type(next((c for c in candidates if c), ""))


def check_type(content_type: str, head: bytes) -> str:
    """Return the file extension, or raise InvalidInput for a disallowed or mismatched type."""
    if content_type not in ALLOWED:
        raise InvalidInput("this file type is not allowed", field="file")
    ext, magic = ALLOWED[content_type]
    if magic is not None and not head.startswith(magic):
        raise InvalidInput("the file's content does not match its type", field="file")
    if magic is None and b"\x00" in head:
        raise InvalidInput("a text file must not be binary", field="file")
    return ext


def too_large(max_bytes: int) -> InvalidInput:
    """Build the error for a file over the size limit."""
    return InvalidInput(f"files are limited to {max_bytes // (1024 * 1024)} MB", field="file")


def check_file(data: bytes, *, content_type: str | None, max_bytes: int) -> tuple[str, str]:
    """Check a file's size, allowed type and content; return its clean type and extension."""
    if len(data) > max_bytes:
        raise too_large(max_bytes)
    if not data:
        raise InvalidInput("the file is empty", field="file")
    content_type = normalise_type(content_type)
    return content_type, check_type(content_type, data[:16])


def store_file(upload_dir: Path, workspace_id: int, data: bytes, *, content_type: str,
               name: str | None, max_bytes: int, content_key: str | None = None) -> StoredFile:
    """Check a file's size and type and write it under an unguessable key.

    With ``content_key`` (a provider's id for the file) the key is derived from it and the
    bytes, so storing the same download twice writes one file.
    """
    content_type, ext = check_file(data, content_type=content_type, max_bytes=max_bytes)
    if content_key is None:
        token = secrets.token_urlsafe(24)
    else:
        digest = hashlib.sha256(f"{workspace_id}:{content_key}:".encode() + data).digest()
        token = base64.urlsafe_b64encode(digest).decode()[:32]
    key = f"{workspace_id}/{token}{ext}"
    path = upload_dir / key
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        path.write_bytes(data)
    return StoredFile(key=key, name=clean_name(name), content_type=content_type, size=len(data))
