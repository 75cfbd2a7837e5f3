"""A local server that serves inbound media the way each provider does, after its auth check."""

from __future__ import annotations

import base64
import hashlib
import random
import struct
import zlib
from dataclasses import dataclass, field
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from tests.channels.fake_provider import (
    GRAPH_TOKEN,
    LINE_TOKEN,
    TELEGRAM_TOKEN,
    TWILIO_SID,
    TWILIO_TOKEN,
    Received,
    Scripted,
)


def png(width: int = 4, height: int = 4, *, noise: bool = False) -> bytes:
    """Build a real, valid RGB PNG image (noise does not compress: a big file)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data +
                struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))
    pixels = random.Random(7).randbytes if noise else (lambda n: bytes([200, 30, 30]) * (n // 3))
    rows = b"".join(b"\x00" + pixels(3 * width) for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2,
                                                            0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


PNG = png()
BIG_PNG = png(64, 64, noise=True)  # about 12 KB: over the tests' 4 KB limit
M4A = b"\x00\x00\x00\x20ftypM4A \x00\x00\x00\x00"


@dataclass
class FakeMedia:
    """Twilio, Graph, Telegram, LINE, Meta CDN and TalkTalk media, on one local port."""

    base_url: str = ""
    received: list[Received] = field(default_factory=list)
    scripts: dict[str, list[Scripted]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.app = Starlette(routes=[Route("/{path:path}", self.handle, methods=["GET"])])

    def reset(self) -> None:
        """Forget requests and scripts between tests."""
        self.received.clear()
        self.scripts.clear()

    def script(self, path: str, *answers: Scripted) -> None:
        """Queue answers for the next requests to a path."""
        self.scripts.setdefault(path, []).extend(answers)

    def to(self, path: str) -> list[Received]:
        """Requests received on one path."""
        return [r for r in self.received if r.path == path]

    async def handle(self, request: Request) -> Response:
        path = "/" + request.path_params["path"]
        self.received.append(Received("GET", path, dict(request.headers), b""))
        queued = self.scripts.get(path)
        if queued:
            answer = queued.pop(0)
            return JSONResponse(answer.body, answer.status, headers=answer.headers)
        return self.behave(path, request)

    def behave(self, path: str, request: Request) -> Response:
        auth = request.headers.get("authorization")
        name = path.rsplit("/", 1)[-1]
        if path.startswith(f"/2010-04-01/Accounts/{TWILIO_SID}/Messages/"):
            basic = "Basic " + base64.b64encode(f"{TWILIO_SID}:{TWILIO_TOKEN}".encode()).decode()
            if auth != basic:
                return JSONResponse({"code": 20003, "message": "Authenticate"}, 401)
            # Like Twilio's redirect to its CDN: another origin (localhost, not 127.0.0.1).
            cdn = self.base_url.replace("127.0.0.1", "localhost")
            return RedirectResponse(f"{cdn}/twilio-cdn/{name}", 307)
        if path.startswith("/twilio-cdn/"):
            if auth:  # Twilio's CDN must never see our credentials
                return Response(b"credentials leaked", 400)
            return self.file(name)
        if path.startswith("/v21.0/"):
            if auth != f"Bearer {GRAPH_TOKEN}":
                return JSONResponse({"error": {"code": 190, "message": "bad token"}}, 401)
            data = self.data(name)
            return JSONResponse({"messaging_product": "whatsapp", "id": name,
                                 "url": f"{self.base_url}/wa-cdn/{name}",
                                 "mime_type": "image/png", "file_size": len(data),
                                 "sha256": hashlib.sha256(data).hexdigest()})
        if path.startswith("/wa-cdn/"):
            if auth != f"Bearer {GRAPH_TOKEN}":
                return Response(b"", 401)
            return self.file(name)
        if path.startswith("/bot"):
            if path != f"/bot{TELEGRAM_TOKEN}/getFile":
                return JSONResponse({"ok": False, "error_code": 401,
                                     "description": "Unauthorized"}, 401)
            file_id = request.query_params["file_id"]
            return JSONResponse({"ok": True, "result": {
                "file_id": file_id, "file_unique_id": "u1", "file_size": len(self.data(file_id)),
                "file_path": f"photos/{file_id}.png"}})
        if path.startswith("/file/bot"):
            if not path.startswith(f"/file/bot{TELEGRAM_TOKEN}/photos/"):
                return Response(b"", 401)
            return self.file(name.removesuffix(".png"))
        if path.startswith("/v2/bot/message/") and path.endswith("/content"):
            if auth != f"Bearer {LINE_TOKEN}":
                return JSONResponse({"message": "Authentication failed"}, 401)
            return self.file(path.split("/")[-2])
        if path.startswith("/hop/"):  # a CDN redirect that stays on the provider's host
            return RedirectResponse(f"{self.base_url}/fbcdn/{name}", 302)
        if path.startswith("/bounce/"):  # a redirect that leaves it for a plain-http host
            cdn = self.base_url.replace("127.0.0.1", "localhost")
            return RedirectResponse(f"{cdn}/fbcdn/{name}", 302)
        if path.startswith(("/fbcdn/", "/naver-img/")):
            return self.file(name.removesuffix(".png"))
        return Response(b"", 404)

    def data(self, name: str) -> bytes:
        """The bytes a media id stands for: `big*` is oversized, `voice*` is audio.

        LINE ids are numbers: a leading 2 means big, 3 means audio.
        """
        if name.startswith(("big", "2")):
            return BIG_PNG
        return M4A if name.startswith(("voice", "3")) else PNG

    def file(self, name: str) -> Response:
        data = self.data(name)
        kind = "audio/mp4" if data is M4A else "image/png"
        return Response(data, 200, media_type=kind)


def script_answer(status: int, body: Any = None, **headers: str) -> Scripted:
    """A canned answer (e.g. 503 with Retry-After)."""
    return Scripted(status, body, headers)
