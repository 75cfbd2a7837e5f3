"""Signed order webhooks: a bad signature is refused, a redelivery is stored once."""

from __future__ import annotations

import json

import httpx
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.core.events import OutboxEvent
from omnidesk.core.security import hmac_sha256_hex
from omnidesk.domains.commerce.models import Order, OrderItem
from omnidesk.domains.workspaces.models import Workspace
from tests.conftest import Persona
from tests.domains.commerce.conftest import tau_export

SECRET = "whsec-test"


async def _with_secret(session: AsyncSession, persona: Persona) -> None:
    workspace = await session.get(Workspace, persona.workspace_id)
    workspace.settings = {**workspace.settings, "commerce": {"webhook_secret": SECRET}}
    await session.commit()


def _signed(body: bytes, secret: str = SECRET) -> dict[str, str]:
    return {"X-Omnidesk-Signature": "sha256=" + hmac_sha256_hex(secret, body),
            "Content-Type": "application/json"}


def _payload(event: str = "order.created", **changes: object) -> bytes:
    order = next(iter(tau_export(users=1)["orders"].values()))
    return json.dumps({"event": event, "order": {**order, **changes}}).encode()


async def _count(session: AsyncSession, model: type, *where: object) -> int:
    return int(await session.scalar(select(func.count(model.id)).where(*where)) or 0)


async def test_a_bad_or_missing_signature_is_refused_and_nothing_is_stored(
        client: httpx.AsyncClient, session: AsyncSession, owner: Persona) -> None:
    await _with_secret(session, owner)
    url, body = "/api/v1/commerce/webhooks/acme/orders", _payload()
    for headers in ({}, _signed(body, "wrong-secret"), {"X-Omnidesk-Signature": "sha256=00"}):
        answer = await client.post(url, content=body, headers=headers)
        assert answer.status_code == 401
    tampered = body.replace(b'"status"', b'"status" ', 1)
    assert (await client.post(url, content=tampered, headers=_signed(body))).status_code == 401
    assert await _count(session, Order) == 0


async def test_a_signed_webhook_is_stored_once_even_when_redelivered(
        client: httpx.AsyncClient, session: AsyncSession, owner: Persona) -> None:
    await _with_secret(session, owner)
    url, body = "/api/v1/commerce/webhooks/acme/orders", _payload()
    for _ in range(3):
        answer = await client.post(url, content=body, headers=_signed(body))
        assert answer.status_code == 202, answer.text
    number = answer.json()["order_number"]
    assert await _count(session, Order, Order.external_id == number) == 1
    lines = len(json.loads(body)["order"]["items"])
    assert await _count(session, OrderItem) == lines
    assert await _count(session, OutboxEvent, OutboxEvent.name.like("commerce.order_%")) == 1

    new_status = "delivered" if json.loads(body)["order"]["status"] != "delivered" else "pending"
    update = _payload("order.updated", status=new_status)
    assert (await client.post(url, content=update, headers=_signed(update))).status_code == 202
    assert await _count(session, OutboxEvent, OutboxEvent.name == "commerce.order_updated") == 1
    order = await session.scalar(select(Order).where(Order.external_id == number))
    assert order.status == new_status


async def test_a_webhook_for_an_unknown_workspace_or_of_the_wrong_shape_is_rejected(
        client: httpx.AsyncClient, session: AsyncSession, owner: Persona) -> None:
    await _with_secret(session, owner)
    body = _payload()
    missing = await client.post("/api/v1/commerce/webhooks/nope/orders", content=body,
                                headers=_signed(body))
    assert missing.status_code == 404
    wrong = json.dumps({"event": "order.deleted", "order": {}}).encode()
    answer = await client.post("/api/v1/commerce/webhooks/acme/orders", content=wrong,
                               headers=_signed(wrong))
    assert answer.status_code == 422
