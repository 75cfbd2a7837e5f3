"""Proactive campaigns: idle carts, the night window, opt-out words, event triggers, reports."""

from __future__ import annotations

import datetime as dt

import httpx
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from omnidesk.core.dispatcher import Dispatcher
from omnidesk.core.events import SubscriberRegistry
from omnidesk.core.security import hmac_sha256_hex
from omnidesk.domains.conversations.models import Message
from omnidesk.domains.customers.models import Customer
from omnidesk.domains.engagement import tasks as engagement_tasks
from omnidesk.domains.engagement.models import CampaignSend
from omnidesk.domains.engagement.tasks import do_scan_idle_carts
from omnidesk.domains.workspaces.models import Workspace
from tests.conftest import Persona


def _latest(hour: int, minute: int) -> dt.datetime:
    """The last such UTC time at least 90 minutes ago (outcomes are measured from real now)."""
    now = dt.datetime.now(dt.UTC)
    at = now.replace(hour=hour, minute=minute, second=0, microsecond=0)
    return at if at <= now - dt.timedelta(minutes=90) else at - dt.timedelta(days=1)


AFTERNOON = _latest(5, 0)  # 14:00 in Seoul
NIGHT = _latest(12, 40)  # 21:40 in Seoul

# The scenario's send lies up to 25.5 h before the real now at which the shopper replies, so the
# campaign counts outcomes over two days (with the default 24 h, a run between 04:40 and 06:20 UTC
# saw the reply and opt-out fall outside the window).
CART_CAMPAIGN = {
    "name": "장바구니 리마인드", "purpose": "marketing", "conversion_hours": 48,
    "trigger": {"kind": "cart_idle", "minutes": 20, "min_value": 500000},
    "action": {"kind": "widget", "text": "{name}님, 장바구니의 {value}원 상품이 기다리고 있어요."}}


async def shopper(client: httpx.AsyncClient, session: AsyncSession, owner: Persona,
                  user_id: str = "shop-7") -> tuple[dict[str, str], Customer]:
    workspace = await session.get(Workspace, owner.workspace_id)
    answer = await client.post("/widget/api/sessions", json={
        "workspace": owner.slug, "user_id": user_id, "name": "김민지",
        "signature": hmac_sha256_hex(workspace.secret, user_id)})
    headers = {"X-Widget-Workspace": owner.slug, "X-Widget-Token": answer.json()["token"]}
    assert (await client.post("/widget/api/track", headers=headers,
                              json={"name": "page_view"})).status_code == 202
    customer = await session.scalar(select(Customer).where(Customer.name == "김민지"))
    return headers, customer


async def cart_at(client: httpx.AsyncClient, owner: Persona, customer: Customer,
                  at: dt.datetime, value: int = 620000) -> None:
    answer = await client.post("/api/v1/engagement/events", headers=owner.headers, json={
        "name": "cart", "customer_id": customer.id, "occurred_at": at.isoformat(),
        "properties": {"value": value, "items": 2, "currency": "KRW"}})
    assert answer.status_code == 201, answer.text


async def consent(client: httpx.AsyncClient, owner: Persona, customer: Customer,
                  **body: object) -> None:
    answer = await client.put(f"/api/v1/engagement/customers/{customer.id}/consents",
                              headers=owner.headers,
                              json={"channel": "any", "marketing": True, **body})
    assert answer.status_code == 200, answer.text


async def widget_messages(client: httpx.AsyncClient, headers: dict[str, str]) -> list[dict]:
    return (await client.get("/widget/api/messages", headers=headers)).json()["messages"]


async def scan(session_factory: async_sessionmaker[AsyncSession], now: dt.datetime) -> int:
    async with session_factory() as session:
        fired = await do_scan_idle_carts(session, now=now)
        await session.commit()
    return fired


def engagement_dispatcher(session_factory: async_sessionmaker[AsyncSession]) -> Dispatcher:
    registry = SubscriberRegistry()
    engagement_tasks.register(registry)
    return Dispatcher(session_factory, registry)


async def test_a_shopper_who_leaves_a_cart_idle_gets_one_proactive_widget_message(
        client: httpx.AsyncClient, session: AsyncSession, owner: Persona,
        session_factory: async_sessionmaker[AsyncSession]) -> None:
    created = await client.post("/api/v1/engagement/campaigns", headers=owner.headers,
                                json=CART_CAMPAIGN)
    assert created.status_code == 201, created.text
    headers, customer = await shopper(client, session, owner)
    await consent(client, owner, customer)
    await cart_at(client, owner, customer, AFTERNOON)

    assert await scan(session_factory, AFTERNOON + dt.timedelta(minutes=10)) == 0  # not idle yet
    assert await scan(session_factory, AFTERNOON + dt.timedelta(minutes=21)) == 1
    assert await scan(session_factory, AFTERNOON + dt.timedelta(minutes=22)) == 0  # once
    [message] = await widget_messages(client, headers)
    assert message["author_kind"] == "bot"
    assert message["text"].startswith("(광고) 김민지님, 장바구니의 620,000원 상품이")
    assert "수신거부" in message["text"]

    _, cheap = await shopper(client, session, owner, "shop-8")
    await cart_at(client, owner, cheap, AFTERNOON, value=90000)  # under ₩500,000
    assert await scan(session_factory, AFTERNOON + dt.timedelta(minutes=30)) == 0

    report = (await client.get("/api/v1/engagement/campaigns", headers=owner.headers)).json()
    assert report[0]["stats"]["sent"] == 1


async def test_no_marketing_at_night_without_night_consent(
        client: httpx.AsyncClient, session: AsyncSession, owner: Persona,
        session_factory: async_sessionmaker[AsyncSession]) -> None:
    await client.post("/api/v1/engagement/campaigns", headers=owner.headers,
                      json=CART_CAMPAIGN)
    headers, customer = await shopper(client, session, owner)
    await consent(client, owner, customer)
    await cart_at(client, owner, customer, NIGHT)
    assert await scan(session_factory, NIGHT + dt.timedelta(minutes=21)) == 1  # 22:01 KST
    assert await widget_messages(client, headers) == []
    decision = await session.scalar(select(CampaignSend))
    assert (decision.status, decision.reason) == ("suppressed", "quiet_hours")

    await consent(client, owner, customer, night=True)  # explicit night consent
    await cart_at(client, owner, customer, NIGHT + dt.timedelta(minutes=30))
    assert await scan(session_factory, NIGHT + dt.timedelta(minutes=55)) == 1
    assert len(await widget_messages(client, headers)) == 1
    report = (await client.get("/api/v1/engagement/campaigns", headers=owner.headers)).json()
    assert report[0]["stats"]["sent"] == 1
    assert report[0]["stats"]["suppressed"] == {"quiet_hours": 1}


async def test_a_customer_who_says_suesingeobu_gets_no_more_marketing_there(
        client: httpx.AsyncClient, session: AsyncSession, owner: Persona,
        session_factory: async_sessionmaker[AsyncSession]) -> None:
    await client.post("/api/v1/engagement/campaigns", headers=owner.headers,
                      json=CART_CAMPAIGN)
    headers, customer = await shopper(client, session, owner)
    await consent(client, owner, customer)
    await cart_at(client, owner, customer, AFTERNOON)
    assert await scan(session_factory, AFTERNOON + dt.timedelta(minutes=21)) == 1

    answer = await client.post("/widget/api/messages", headers=headers,
                               json={"text": "수신거부", "client_message_id": "optout-0001"})
    assert answer.status_code == 201
    await engagement_dispatcher(session_factory).drain()
    texts = [m["text"] for m in await widget_messages(client, headers)]
    assert texts[-1].startswith("광고성 정보 수신거부가 처리되었습니다")
    consents = (await client.get(f"/api/v1/engagement/customers/{customer.id}/consents",
                                 headers=owner.headers)).json()
    web = next(c for c in consents if c["channel"] == "web")
    assert web["marketing"] is False and web["opted_out_at"] and web["source"] == "keyword"

    await cart_at(client, owner, customer, AFTERNOON + dt.timedelta(hours=1))
    assert await scan(session_factory, AFTERNOON + dt.timedelta(hours=1, minutes=21)) == 1
    assert len(await widget_messages(client, headers)) == len(texts)  # nothing new
    reasons = (await session.scalars(select(CampaignSend.reason).order_by(
        CampaignSend.id))).all()
    assert reasons == [None, "opted_out"]
    report = (await client.get("/api/v1/engagement/campaigns", headers=owner.headers)).json()
    assert report[0]["stats"]["opted_out"] == 1 and report[0]["stats"]["replied"] == 1


async def test_service_campaigns_react_to_checkout_errors_and_repeat_visits(
        client: httpx.AsyncClient, session: AsyncSession, owner: Persona,
        session_factory: async_sessionmaker[AsyncSession]) -> None:
    for body in ({"name": "결제 오류 도움", "trigger": {"kind": "event", "event": "checkout",
                                                    "only_errors": True},
                  "action": {"kind": "widget", "text": "결제에 문제가 있으셨나요? 도와드릴게요.",
                             "author_id": owner.agent.user_id}},
                 {"name": "반품 페이지 3회", "trigger": {"kind": "repeat_visit",
                                                     "url_contains": "/returns", "count": 3},
                  "action": {"kind": "task", "text": "반품 페이지를 세 번 본 고객: 먼저 연락하기"}}):
        answer = await client.post("/api/v1/engagement/campaigns", headers=owner.headers,
                                   json=body)
        assert answer.status_code == 201, answer.text
    headers, _ = await shopper(client, session, owner)  # no marketing consent at all
    for body in ({"name": "checkout", "properties": {"step": "payment"}},
                 {"name": "checkout", "properties": {"step": "payment", "status": "error"}}):
        await client.post("/widget/api/track", headers=headers, json=body)
    for _ in range(3):
        await client.post("/widget/api/track", headers=headers, json={
            "name": "page_view", "url": "https://shop.example/returns"})
    await engagement_dispatcher(session_factory).drain()

    [help_message] = await widget_messages(client, headers)
    assert help_message["author_kind"] == "agent" and help_message["author_name"] == "에이전트"
    note = await session.scalar(select(Message).where(Message.is_private.is_(True)))
    assert note.text == "반품 페이지를 세 번 본 고객: 먼저 연락하기"
    assert await session.scalar(select(func.count(CampaignSend.id))) == 2


async def test_campaigns_refuse_what_the_law_or_the_data_forbids(
        client: httpx.AsyncClient, owner: Persona) -> None:
    cases = [
        ({**CART_CAMPAIGN, "action": {"kind": "alimtalk", "template_id": 1}}, "알림톡"),
        ({**CART_CAMPAIGN, "trigger": {"kind": "event", "event": "teleport"}}, "event trigger"),
        ({**CART_CAMPAIGN, "action": {"kind": "widget", "text": " "}}, "needs its text"),
        ({**CART_CAMPAIGN, "trigger": {"kind": "repeat_visit"}}, "url_contains"),
    ]
    for body, words in cases:
        answer = await client.post("/api/v1/engagement/campaigns", headers=owner.headers,
                                   json=body)
        assert answer.status_code == 422 and words in answer.text, answer.text
    agent_headers = await client.get("/api/v1/engagement/campaigns")
    assert agent_headers.status_code == 401
