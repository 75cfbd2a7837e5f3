"""Attachment storage: type- and size-checked uploads, served back by an unguessable key."""

from __future__ import annotations

import re
import secrets
import unicodedata
from pathlib import Path

from fastapi import APIRouter, Request, UploadFile
from fastapi.responses import FileResponse, Response

from omnidesk.core.errors import InvalidInput
from omnidesk.domains.conversations.schemas import Attachment

router = APIRouter(include_in_schema=False)
CHUNK = 64 * 1024
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


def _clean_name(name: str | None) -> str:
    base = unicodedata.normalize("NFC", Path(name or "file").name)
    return re.sub(r"[\x00-\x1f\"\\/]", "_", base)[:120] or "file"


def _check_type(content_type: str, head: bytes) -> str:
    if content_type not in ALLOWED:
        raise InvalidInput("this file type is not allowed", field="file")
    ext, magic = ALLOWED[content_type]
    if magic is not None and not head.startswith(magic):
        raise InvalidInput("the file's content does not match its type", field="file")
    if magic is None and b"\x00" in head:
        raise InvalidInput("a text file must not be binary", field="file")
    return ext


async def store_upload(upload_dir: Path, workspace_id: int, upload: UploadFile,
                       max_bytes: int) -> Attachment:
    """Check an upload's size and type, store it, and describe it as a message attachment."""
    data = bytearray()
    while chunk := await upload.read(CHUNK):
        data.extend(chunk)
        if len(data) > max_bytes:
            raise InvalidInput(f"files are limited to {max_bytes // (1024 * 1024)} MB",
                               field="file")
    if not data:
        raise InvalidInput("the file is empty", field="file")
    content_type = (upload.content_type or "").split(";")[0].strip().lower()
    ext = _check_type(content_type, bytes(data[:16]))
    key = f"{workspace_id}/{secrets.token_urlsafe(24)}{ext}"
    path = upload_dir / key
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(bytes(data))
    return Attachment(name=_clean_name(upload.filename), content_type=content_type,
                      size=len(data), url=f"/attachments/{key}", storage_key=key)


@router.get("/attachments/{workspace_id}/{name}")
async def download(request: Request, workspace_id: int, name: str) -> Response:
    """Serve a stored attachment; images inline, everything else as a download."""
    key = f"{workspace_id}/{name}"
    if not KEY.match(key):
        return Response(status_code=404)
    path = request.app.state.settings.upload_dir / key
    if not path.is_file():
        return Response(status_code=404)
    ext = path.suffix
    content_type = next(t for t, (e, _) in ALLOWED.items() if e == ext)
    inline = content_type.startswith("image/")
    return FileResponse(path, media_type=content_type, headers={
        "Content-Disposition": "inline" if inline else "attachment",
        "Cache-Control": "private, max-age=86400",
        "Content-Security-Policy": "default-src 'none'; sandbox"})
