"""Attachment storage: type- and size-checked uploads, served back by an unguessable key."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, Request, UploadFile
from fastapi.responses import FileResponse, Response

from omnidesk.core.files import ALLOWED, KEY, store_file, too_large
from omnidesk.core.http import ActorResolver, SessionDep
from omnidesk.core.schemas import Id
from omnidesk.domains.conversations.schemas import Attachment
from omnidesk.domains.conversations.service import attachment_visible

router = APIRouter(include_in_schema=False)
CHUNK = 64 * 1024


async def store_upload(upload_dir: Path, workspace_id: int, upload: UploadFile,
                       max_bytes: int) -> Attachment:
    """Check an upload's size and type, store it, and describe it as a message attachment."""
    data = bytearray()
    while chunk := await upload.read(CHUNK):
        data.extend(chunk)
        if len(data) > max_bytes:
            raise too_large(max_bytes)
    stored = store_file(upload_dir, workspace_id, bytes(data),
                        content_type=upload.content_type or "", name=upload.filename,
                        max_bytes=max_bytes)
    return Attachment(name=stored.name, content_type=stored.content_type, size=stored.size,
                      url=stored.url, storage_key=stored.key)


@router.get("/attachments/{workspace_id}/{name}")
async def download(request: Request, session: SessionDep, workspace_id: Id,
                   name: str) -> Response:
    """Serve a stored attachment; images inline, everything else as a download.

    The key is unguessable (visitors download by it); a signed-in staff member limited to some
    teams or inboxes also gets 404 for a file only other teams' conversations carry.
    """
    key = f"{workspace_id}/{name}"
    if not KEY.match(key):
        return Response(status_code=404)
    resolver: ActorResolver = request.app.state.actor_resolver
    actor = await resolver(request, session)
    if actor is not None and actor.workspace_id == workspace_id and not await attachment_visible(
            session, actor=actor, name=name):
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
