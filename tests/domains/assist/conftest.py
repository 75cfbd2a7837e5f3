"""A returning customer with orders and conversations on two channels."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.core.db import utcnow
from omnidesk.domains.commerce.models import Order, OrderItem
from omnidesk.domains.conversations.models import Conversation, Message
from omnidesk.domains.customers.models import Customer, CustomerIdentity
from omnidesk.domains.workspaces.models import Workspace
from tests.conftest import Persona
from tests.domains.analytics.history import add_answer


@dataclass
class Returning:
    """Ids of the seeded customer and conversations."""

    customer_id: int
    past_id: int
    current_id: int


def _msgs(ws: int, conv: Conversation, lines: list[tuple[str, str]]) -> list[Message]:
    return [Message(workspace_id=ws, conversation_id=conv.id, channel=conv.channel,
                    direction="inbound" if k == "customer" else "outbound", author_kind=k,
                    text=t) for k, t in lines]


async def seed_returning(session: AsyncSession, persona: Persona, *, locale: str = "ko"
                         ) -> Returning:
    """Seed a customer who spent ₩880,000, had a delivery problem and has a pending order."""
    ws = persona.workspace_id
    workspace = await session.get(Workspace, ws)
    workspace.name = "한빛리빙"
    now = utcnow()
    customer = Customer(workspace_id=ws, name="김민지", email="minji@example.com",
                        phone="010-1234-5678", locale=locale,
                        attributes={"points": 1200, "address": {"address1": "서울시 강남구 1"}},
                        identities=[CustomerIdentity(workspace_id=ws, kind="kakao",
                                                     value="kakao-998877")])
    session.add(customer)
    await session.flush()
    session.add_all([
        Order(workspace_id=ws, external_id="HB1", customer_id=customer.id, status="delivered",
              total=Decimal(780000), placed_at=now - dt.timedelta(days=20),
              items=[OrderItem(workspace_id=ws, name="C 설치 상품", price=Decimal(780000),
                               needs_installation=True)]),
        Order(workspace_id=ws, external_id="HB2", customer_id=customer.id, status="pending",
              total=Decimal(100000), placed_at=now - dt.timedelta(days=1),
              items=[OrderItem(workspace_id=ws, name="무선 청소기", price=Decimal(100000))]),
        Order(workspace_id=ws, external_id="HB0", customer_id=customer.id, status="cancelled",
              total=Decimal(50000), placed_at=now - dt.timedelta(days=40), items=[]),
    ])
    past = Conversation(workspace_id=ws, customer_id=customer.id, channel="kakao",
                        status="resolved", intent="delivery_delay", label_rows=[],
                        attributes={"order_number": "HB1"},
                        created_at=now - dt.timedelta(days=10), resolved_at=now)
    current = Conversation(workspace_id=ws, customer_id=customer.id, channel="web",
                           status="open", intent="cancel_order", label_rows=[],
                           attributes={"order_number": "HB2"}, language=locale)
    session.add_all([past, current])
    await session.flush()
    await add_answer(session, ws, past, "csat", 2)  # the customer's stored answer
    session.add_all(_msgs(ws, past, [("customer", "배송이 너무 늦어요 연락처 010-1234-5678"),
                                     ("agent", "배송 지연으로 불편을 드려 죄송합니다. 내일 도착 예정입니다.")]))
    session.add_all(_msgs(ws, current, [("customer", "어제 주문한 청소기 취소하고 싶어요")]))
    await session.commit()
    return Returning(customer.id, past.id, current.id)


@pytest.fixture
async def returning(session: AsyncSession, owner: Persona) -> Returning:
    """The seeded returning customer in the owner's workspace."""
    return await seed_returning(session, owner)


async def log_in(client: httpx.AsyncClient, email: str, password: str) -> str:
    """Log in through /login (with its CSRF token); return a CSRF token for later forms."""
    page = await client.get("/login")
    token = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert token, "the login page has no CSRF field"
    answer = await client.post("/login", data={"email": email, "password": password,
                                               "csrf": token.group(1)})
    assert answer.status_code == 303, answer.text
    inbox = await client.get("/inbox")
    fresh = re.search(r'name="csrf" value="([^"]+)"', inbox.text) or re.search(
        r'name="csrf-token" content="([^"]+)"', inbox.text)
    return fresh.group(1) if fresh else token.group(1)


@pytest.fixture
async def agent_client(client: httpx.AsyncClient, owner: Persona) -> httpx.AsyncClient:
    """The app's client, logged in as the owner's agent (cookie session)."""
    client.csrf = await log_in(client, owner.agent_email, owner.password)  # type: ignore[attr-defined]
    return client
