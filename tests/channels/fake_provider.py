"""A local HTTP server that behaves like the providers' send APIs, for outbound tests."""

from __future__ import annotations

import base64
import itertools
import json
import re
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

TWILIO_SID = "AC" + "0" * 31 + "1"
TWILIO_TOKEN = "twilio_token_test"
GRAPH_TOKEN = "graph_token_test"
TELEGRAM_TOKEN = "123456:tg-bot-token"
LINE_TOKEN = "line_token_test"
NHN_SECRET = "nhn_secret_test"
NAVER_KEY = "ct_naver_key_test"
GRAPH_PAGE_ID = "1029384756"


@dataclass
class Received:
    """One request the fake provider got."""

    method: str
    path: str
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        """Decode a JSON body."""
        return json.loads(self.body)

    def form(self) -> list[tuple[str, str]]:
        """Decode a form body."""
        return parse_qsl(self.body.decode())


@dataclass
class Scripted:
    """A canned answer that overrides the provider's normal behaviour once."""

    status: int
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)


class FakeProvider:
    """Twilio, Graph, Telegram, LINE, NHN, TalkTalk and a dealer, on one local port."""

    def __init__(self) -> None:
        self.received: list[Received] = []
        self.scripts: dict[str, list[Scripted]] = {}
        self.line_retry_keys: dict[str, str] = {}
        self.recordings_deleted: set[str] = set()
        self.counter = itertools.count(1)
        self.app = Starlette(routes=[Route("/{path:path}", self.handle,
                                           methods=["GET", "POST", "DELETE"])])
        self.base_url = ""

    def script(self, path: str, *answers: Scripted) -> None:
        """Queue answers for the next requests to a path."""
        self.scripts.setdefault(path, []).extend(answers)

    def reset(self) -> None:
        """Forget requests and scripts between tests."""
        self.received.clear()
        self.scripts.clear()
        self.line_retry_keys.clear()
        self.recordings_deleted.clear()

    def to(self, path: str) -> list[Received]:
        """Requests received on one path."""
        return [r for r in self.received if r.path == path]

    async def handle(self, request: Request) -> Response:
        body = await request.body()
        path = "/" + request.path_params["path"]
        self.received.append(Received(request.method, path, dict(request.headers), body))
        queued = self.scripts.get(path)
        if queued:
            answer = queued.pop(0)
            return JSONResponse(answer.body, answer.status, headers=answer.headers)
        if request.method == "DELETE":
            return self._twilio_delete(path, request.headers)
        return self.behave(path, request.headers, body)

    def behave(self, path: str, headers: Any, body: bytes) -> Response:
        number = next(self.counter)
        if path.endswith("/Messages.json"):
            return self._twilio(headers, body, number)
        if path == "/v21.0/me":  # Messenger check: the Page the token belongs to
            if headers.get("authorization") != f"Bearer {GRAPH_TOKEN}":
                return _graph_refusal()
            return JSONResponse({"id": GRAPH_PAGE_ID, "name": "Acme Shop"})
        if re.fullmatch(r"/v21\.0/\d+", path):  # WhatsApp check: the phone number's profile
            if headers.get("authorization") != f"Bearer {GRAPH_TOKEN}":
                return _graph_refusal()
            return JSONResponse({"id": path.rsplit("/", 1)[1], "verified_name": "Acme",
                                 "display_phone_number": "+82 10-5555-0100"})
        if "/senders/" in path and path.startswith("/alimtalk/v2.2/appkeys/"):
            if headers.get("x-secret-key") != NHN_SECRET:
                return JSONResponse({"header": {"resultCode": -1000, "isSuccessful": False,
                                                "resultMessage": "Invalid secret key"}})
            return JSONResponse({"header": {"resultCode": 0, "resultMessage": "SUCCESS",
                                            "isSuccessful": True},
                                 "sender": {"plusFriendId": "@acme", "status": "YSC03",
                                            "statusName": "정상", "senderKey": path.rsplit("/")[-1]}})
        if path.endswith("/me/messages"):
            if headers.get("authorization") != f"Bearer {GRAPH_TOKEN}":
                return JSONResponse({"error": {"code": 190, "message": "bad token"}}, 401)
            return JSONResponse({"recipient_id": json.loads(body)["recipient"]["id"],
                                 "message_id": f"m_SENT{number}"})
        if path.endswith("/messages") and "/v21.0/" in path:
            return self._graph_whatsapp(headers, body, number)
        if path.startswith("/bot"):
            return self._telegram(path, body, number)
        if path == "/v2/bot/message/push":
            return self._line(headers, number)
        if path.startswith("/alimtalk/v2.2/appkeys/"):
            return self._nhn(headers, body, number)
        if path == "/chatbot/v1/event":
            if headers.get("authorization") != NAVER_KEY:
                return JSONResponse({"success": False, "resultCode": "02",
                                     "resultMessage": "authorization failed"})
            return JSONResponse({"success": True, "resultCode": "00"})
        return JSONResponse({"ok": True, "id": f"generic-{number}"})

    def _twilio(self, headers: Any, body: bytes, number: int) -> Response:
        expected = "Basic " + base64.b64encode(f"{TWILIO_SID}:{TWILIO_TOKEN}".encode()).decode()
        if headers.get("authorization") != expected:
            return JSONResponse({"code": 20003, "message": "Authenticate", "status": 401}, 401)
        form = dict(parse_qsl(body.decode()))
        if "To" not in form or not ({"From", "MessagingServiceSid"} & set(form)):
            return JSONResponse({"code": 21604, "message": "'To' is required", "status": 400},
                                400)
        if form["To"] == "+15005550001":  # Twilio's magic "invalid number"
            return JSONResponse({"code": 21211, "message": "Invalid 'To'", "status": 400}, 400)
        sid = f"SM{number:032x}"
        return JSONResponse({"sid": sid, "status": "queued", "to": form["To"],
                             "body": form.get("Body"), "num_segments": "1"}, 201)

    def _twilio_delete(self, path: str, headers: Any) -> Response:
        """DELETE a Recording: 204 once, then 404 (Twilio's answers)."""
        expected = "Basic " + base64.b64encode(f"{TWILIO_SID}:{TWILIO_TOKEN}".encode()).decode()
        if headers.get("authorization") != expected:
            return JSONResponse({"code": 20003, "message": "Authenticate", "status": 401}, 401)
        found = re.fullmatch(rf"/2010-04-01/Accounts/{TWILIO_SID}/Recordings/(RE\w+)\.json", path)
        if found is None or found.group(1) in self.recordings_deleted:
            return JSONResponse({"code": 20404, "message": "The requested resource was not found",
                                 "status": 404}, 404)
        self.recordings_deleted.add(found.group(1))
        return Response(status_code=204)

    def _graph_whatsapp(self, headers: Any, body: bytes, number: int) -> Response:
        if headers.get("authorization") != f"Bearer {GRAPH_TOKEN}":
            return JSONResponse({"error": {"message": "Invalid OAuth access token",
                                           "type": "OAuthException", "code": 190}}, 401)
        data = json.loads(body)
        if data.get("messaging_product") != "whatsapp":
            return JSONResponse({"error": {"code": 100, "message": "Invalid parameter"}}, 400)
        return JSONResponse({"messaging_product": "whatsapp",
                             "contacts": [{"input": data["to"], "wa_id": data["to"]}],
                             "messages": [{"id": f"wamid.SENT{number}"}]})

    def _telegram(self, path: str, body: bytes, number: int) -> Response:
        if not path.startswith(f"/bot{TELEGRAM_TOKEN}/"):
            return JSONResponse({"ok": False, "error_code": 401,
                                 "description": "Unauthorized"}, 401)
        if path.endswith("/getMe"):
            return JSONResponse({"ok": True, "result": {
                "id": 123456, "is_bot": True, "first_name": "Shop bot", "username": "shop_bot"}})
        data = json.loads(body)
        return JSONResponse({"ok": True, "result": {
            "message_id": 1000 + number, "date": int(time.time()), "text": data["text"],
            "chat": {"id": int(data["chat_id"]), "type": "private"}}})

    def _nhn(self, headers: Any, body: bytes, number: int) -> Response:
        if headers.get("x-secret-key") != NHN_SECRET:
            return JSONResponse({"header": {"resultCode": -1000, "isSuccessful": False,
                                            "resultMessage": "Invalid secret key"}})
        data = json.loads(body)
        results = [{"recipientSeq": i + 1, "recipientNo": r["recipientNo"], "resultCode": 0,
                    "resultMessage": "SUCCESS", "recipientGroupingKey": None}
                   for i, r in enumerate(data["recipientList"])]
        return JSONResponse({"header": {"resultCode": 0, "resultMessage": "SUCCESS",
                                        "isSuccessful": True},
                             "message": {"requestId": f"20250609{number:012d}",
                                         "senderGroupingKey": None, "sendResults": results}})

    def _line(self, headers: Any, number: int) -> Response:
        if headers.get("authorization") != f"Bearer {LINE_TOKEN}":
            return JSONResponse({"message": "Authentication failed"}, 401)
        key = headers.get("x-line-retry-key", "")
        if key in self.line_retry_keys:
            return JSONResponse({"message": "The retry key is already accepted",
                                 "sentMessages": [{"id": self.line_retry_keys[key]}]}, 409,
                                headers={"x-line-accepted-request-id": f"req-{key[:8]}"})
        self.line_retry_keys[key] = f"5{number:017d}"
        return JSONResponse({"sentMessages": [{"id": self.line_retry_keys[key],
                                               "quoteToken": "qt"}]})


def _graph_refusal() -> Response:
    return JSONResponse({"error": {"message": "Invalid OAuth access token - Cannot parse "
                                              "access token", "type": "OAuthException",
                                   "code": 190}}, 401)


def free_port() -> int:
    """Ask the OS for a free TCP port on 127.0.0.1."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def serve(app: Any) -> Iterator[str]:
    """Run an ASGI app with uvicorn in a thread on 127.0.0.1; yield its base URL."""
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port,
                                           log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=5)


def running_provider() -> Iterator[FakeProvider]:
    """Serve a FakeProvider on a local port for one test (yield it with its base URL set)."""
    provider = FakeProvider()
    for base_url in serve(provider.app):
        provider.base_url = base_url
        yield provider
