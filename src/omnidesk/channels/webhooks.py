"""Webhook routes: verify, store raw once, answer within the provider's deadline, queue work."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.channels.actions import do_store_webhook
from omnidesk.channels.base import ChannelAdapter, RawRequest, SignatureError
from omnidesk.channels.crypto import SettingsCipher
from omnidesk.channels.registry import build_registry
from omnidesk.channels.service import inbox_config
from omnidesk.core.api import ApiRoute
from omnidesk.core.body_limit import body_limit
from omnidesk.core.db import utcnow
from omnidesk.core.http import IntakeAdmission
from omnidesk.domains.inboxes.models import Inbox
from omnidesk.domains.inboxes.service import first_inbox, get_inbox_by_key
from omnidesk.domains.workspaces.service import get_workspace_by_slug

log = logging.getLogger("omnidesk.channels.webhooks")
InboxFinder = Callable[[AsyncSession], Awaitable[Inbox | None]]


def cipher_for(request: Request) -> SettingsCipher:
    """Return the app's settings cipher (built by create_app from the app secret key)."""
    cipher: SettingsCipher = request.app.state.channel_cipher
    return cipher


async def raw_request(request: Request) -> RawRequest:
    """Capture the request exactly as received (the body bytes are what is signed)."""
    body = await request.body()
    return RawRequest(method=request.method, url=str(request.url),
                      headers=dict(request.headers), query=dict(request.query_params),
                      body=body, received_at=utcnow(),
                      remote_ip=request.client.host if request.client else None)


def refusal(status: int, code: str, message: str) -> Response:
    """Answer a webhook that is not stored with the API's error shape (nothing else is said)."""
    return JSONResponse({"error": code, "message": message}, status_code=status)


def build_router(adapters: Mapping[str, ChannelAdapter] | None = None) -> APIRouter:
    """Create the webhook router over a validated adapter registry."""
    registry = adapters if adapters is not None else build_registry()
    router = APIRouter(tags=["channels"], route_class=ApiRoute)

    async def serve(kind: str, request: Request, find: InboxFinder) -> Response:
        adapter = registry.get(kind)
        if adapter is None:
            return refusal(404, "not_found", f"no channel kind {kind!r}")
        raw = await raw_request(request)
        async with request.app.state.session_factory() as session:
            return await handle(session, adapter, await find(session), raw, cipher_for(request))

    # GET (a provider's verification challenge) and POST (its events) are two operations of the
    # OpenAPI document, each with its own id.
    @router.get("/webhooks/{kind}/{inbox_key}", summary="Provider webhook of one inbox",
                operation_id="webhook_verify", dependencies=[IntakeAdmission])
    @router.post("/webhooks/{kind}/{inbox_key}", summary="Provider webhook of one inbox",
                 operation_id="webhook_receive", dependencies=[IntakeAdmission])
    @body_limit("webhook")
    async def receive(kind: str, inbox_key: str, request: Request) -> Response:
        """Verify a provider's request to an inbox, store its events once, answer at once."""
        return await serve(kind, request, lambda session: get_inbox_by_key(
            session, kind=kind, key=inbox_key))

    @router.get("/channels/{kind}/{workspace_slug}/webhook",
                summary="Provider webhook (before inboxes)", operation_id="legacy_webhook_verify",
                dependencies=[IntakeAdmission])
    @router.post("/channels/{kind}/{workspace_slug}/webhook",
                 summary="Provider webhook (before inboxes)",
                 operation_id="legacy_webhook_receive", dependencies=[IntakeAdmission])
    @body_limit("webhook")
    async def receive_legacy(kind: str, workspace_slug: str, request: Request) -> Response:
        """Serve a pre-inbox URL as the workspace's first inbox of that kind."""
        return await serve(kind, request, lambda session: legacy_inbox(
            session, kind=kind, workspace_slug=workspace_slug))

    return router


async def legacy_inbox(session: AsyncSession, *, kind: str, workspace_slug: str) -> Inbox | None:
    """Return the inbox a pre-inbox URL means: the workspace's first active one of the kind."""
    workspace = await get_workspace_by_slug(session, slug=workspace_slug)
    return None if workspace is None else await first_inbox(
        session, workspace_id=workspace.id, kind=kind)


async def handle(session: AsyncSession, adapter: ChannelAdapter, inbox: Inbox | None,
                 raw: RawRequest, cipher: SettingsCipher) -> Response:
    """Verify, parse, store and commit; the answer never waits for processing."""
    if inbox is None:
        return refusal(404, "not_found", "no such inbox is connected")
    config = inbox_config(inbox, adapter, cipher)
    try:
        adapter.verify_request(raw, config)
    except SignatureError as exc:
        log.warning("webhook refused", extra={"channel": adapter.kind,
                                              "inbox_id": inbox.id,
                                              "reason": exc.reason})
        return refusal(exc.status, "refused", "the request's signature or token is not valid")
    try:
        parsed = adapter.parse_inbound(raw, config)
    except (ValueError, KeyError, TypeError) as exc:
        log.warning("webhook unreadable", extra={"channel": adapter.kind,
                                                 "error": type(exc).__name__})
        return refusal(400, "bad_request", "the payload could not be read")
    if parsed.ignored:
        log.info("webhook parts ignored", extra={"channel": adapter.kind,
                                                 "ignored": parsed.ignored[:20]})
    await do_store_webhook(session, inbox=inbox, request=raw, parsed=parsed)
    await session.commit()
    answer = parsed.response
    return Response(content=answer.body, status_code=answer.status,
                    media_type=answer.media_type)
