"""Behaviour tracking: the widget's identify/track, the business events API, the timeline."""

from __future__ import annotations

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.core.events import OutboxEvent
from omnidesk.core.security import hmac_sha256_hex
from omnidesk.domains.commerce.models import BehaviourEvent
from omnidesk.domains.customers.models import Customer
from omnidesk.domains.workspaces.models import Workspace
from tests.conftest import Persona
from tests.web.test_workspace_pages import _login


async def visitor(client: httpx.AsyncClient, owner: Persona, **identity: str) -> dict[str, str]:
    answer = await client.post("/widget/api/sessions", json={"workspace": owner.slug,
                                                             **identity})
    assert answer.status_code == 200, answer.text
    return {"X-Widget-Workspace": owner.slug, "X-Widget-Token": answer.json()["token"]}


async def test_a_signed_visitor_is_tracked_as_that_customer_and_shown_on_the_timeline(
        client: httpx.AsyncClient, session: AsyncSession, owner: Persona) -> None:
    workspace = await session.get(Workspace, owner.workspace_id)
    signature = hmac_sha256_hex(workspace.secret, "shop-user-42")
    headers = await visitor(client, owner, user_id="shop-user-42", signature=signature,
                            name="김민지")
    for body in ({"name": "page_view", "url": "https://shop.example/returns"},
                 {"name": "product_view", "properties": {"product_id": "SOFA-3"}},
                 {"name": "cart", "properties": {"value": 620000, "items": 2,
                                                 "currency": "KRW"}},
                 {"name": "checkout", "properties": {"step": "payment", "status": "error",
                                                     "message": "카드 승인 거절"}}):
        answer = await client.post("/widget/api/track", json=body, headers=headers)
        assert answer.status_code == 202, answer.text
    customer = await session.scalar(select(Customer).where(Customer.name == "김민지"))
    assert [i.kind for i in customer.identities] == ["user_id"]
    kinds = (await session.scalars(select(BehaviourEvent.kind).where(
        BehaviourEvent.customer_id == customer.id).order_by(BehaviourEvent.id))).all()
    assert kinds == ["page", "view", "cart", "checkout"]
    recorded = (await session.scalars(select(OutboxEvent).where(
        OutboxEvent.name == "engagement.behaviour_recorded").order_by(OutboxEvent.id))).all()
    assert recorded[2].payload["value"] == 620000 and recorded[3].payload["error"] is True

    answer = await client.post("/api/v1/engagement/events", headers=owner.headers, json={
        "name": "delivery_delayed", "customer_id": customer.id,
        "properties": {"order_number": "A-1001", "days": 2}})
    assert answer.status_code == 201, answer.text

    await _login(client, owner)
    page = await client.get(f"/customers/{customer.id}")
    assert page.status_code == 200
    timeline = page.text.split('id="activity"')[1].split("</section>")[0]
    assert "배송 지연" in timeline and "A-1001" in timeline and "620,000" in timeline
    assert "카드 승인 거절" in timeline and "shop.example/returns" in timeline
    assert timeline.index("배송 지연") < timeline.index("결제 단계")  # newest first


async def test_bad_events_get_clear_4xx_answers_and_nothing_is_stored(
        client: httpx.AsyncClient, session: AsyncSession, owner: Persona,
        outsider: Persona) -> None:
    headers = await visitor(client, owner)
    cases = [
        ({"name": "teleport"}, 422, "unknown event"),
        ({"name": "cart", "properties": {"value": "lots"}}, 422, "value must be a number"),
        ({"name": "cart", "properties": {f"k{i}": i for i in range(31)}}, 422, "30 keys"),
        ({"name": "page_view", "properties": {"blob": "x" * 5000}}, 422, "too large"),
        ({"name": "cart", "properties": {"nested": {"a": 1}}}, 422, "must be a string"),
    ]
    for body, status, words in cases:
        answer = await client.post("/widget/api/track", json=body, headers=headers)
        assert answer.status_code == status and words in answer.text, (body, answer.text)
    stranger = {**headers, "X-Widget-Token": "not-a-token"}
    assert (await client.post("/widget/api/track", json={"name": "page_view"},
                              headers=stranger)).status_code == 401
    missing = await client.post("/api/v1/engagement/events", headers=owner.headers,
                                json={"name": "payment_failed", "external_id": "nobody"})
    assert missing.status_code == 404
    unnamed = await client.post("/api/v1/engagement/events", headers=owner.headers,
                                json={"name": "payment_failed"})
    assert unnamed.status_code == 422 and "customer_id or external_id" in unnamed.text
    assert await session.scalar(select(BehaviourEvent.id)) is None


async def test_track_is_rate_limited_per_visitor(client: httpx.AsyncClient,
                                                 owner: Persona) -> None:
    client.app.state.track_limiter.limit = 3  # type: ignore[attr-defined]
    headers = await visitor(client, owner)
    codes = [(await client.post("/widget/api/track", json={"name": "page_view"},
                                headers=headers)).status_code for _ in range(4)]
    assert codes == [202, 202, 202, 429]
    other = await visitor(client, owner)
    assert (await client.post("/widget/api/track", json={"name": "page_view"},
                              headers=other)).status_code == 202


async def test_business_events_find_the_customer_by_the_stores_id(
        client: httpx.AsyncClient, session: AsyncSession, owner: Persona) -> None:
    customer = Customer(workspace_id=owner.workspace_id, name="이서준", external_id="C-77")
    session.add(customer)
    await session.commit()
    answer = await client.post("/api/v1/engagement/events", headers=owner.headers, json={
        "name": "order_shipped", "external_id": "C-77",
        "properties": {"order_number": "A-9", "carrier": "CJ"}})
    assert answer.status_code == 201 and answer.json()["customer_id"] == customer.id
    listed = await client.get(f"/api/v1/engagement/customers/{customer.id}/events",
                              headers=owner.headers)
    assert [e["kind"] for e in listed.json()] == ["order_shipped"]
