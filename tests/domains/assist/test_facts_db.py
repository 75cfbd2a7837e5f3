"""A customer's facts, read in one statement, count what segments and routing rely on
(SQLite and PostgreSQL): spend without cancelled orders, items, 30 days of behaviour, contacts,
open issues, channels and the CSAT each conversation keeps (its latest answer)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from omnidesk.core.db import utcnow
from omnidesk.domains.assist.facts import gather_facts
from omnidesk.domains.assist.service import customer_standing
from omnidesk.domains.commerce.models import BehaviourEvent, Order, OrderItem
from omnidesk.domains.conversations.models import Conversation
from omnidesk.domains.customers.models import Customer
from omnidesk.domains.feedback.models import Survey, SurveyAnswer
from tests.conftest import Persona


async def _answer(session: AsyncSession, conv: Conversation, score: int,
                  resolution: int = 0) -> None:
    survey = Survey(workspace_id=conv.workspace_id, conversation_id=conv.id, kind="csat",
                    customer_id=conv.customer_id, channel=conv.channel, resolution=resolution)
    session.add(survey)
    await session.flush()
    session.add(SurveyAnswer(workspace_id=conv.workspace_id, survey_id=survey.id,
                             conversation_id=conv.id, customer_id=conv.customer_id, kind="csat",
                             score=score, via="link", channel=conv.channel))
    await session.flush()


async def test_one_statement_gathers_a_customers_facts(
        session: AsyncSession, engine: AsyncEngine, owner: Persona) -> None:
    ws, now = owner.workspace_id, utcnow()
    customer, other = Customer(workspace_id=ws, tags=["VIP"]), Customer(workspace_id=ws)
    session.add_all([customer, other])
    await session.flush()
    first = Order(workspace_id=ws, external_id="A1", customer_id=customer.id, status="delivered",
                  total=Decimal(700000), placed_at=now - dt.timedelta(days=40))
    last = Order(workspace_id=ws, external_id="A2", customer_id=customer.id, status="delivered",
                 total=Decimal(400000), placed_at=now - dt.timedelta(days=3))
    session.add_all([
        first, last, Order(workspace_id=ws, external_id="A3", customer_id=customer.id,
                           status="cancelled", total=Decimal(9000000), placed_at=now),
        Order(workspace_id=ws, external_id="B1", customer_id=other.id, total=Decimal(5)),
    ])  # fmt: skip
    await session.flush()
    session.add_all([
        OrderItem(workspace_id=ws, order_id=first.id, name="tv", needs_installation=True),
        OrderItem(workspace_id=ws, order_id=last.id, name="cable"),
        BehaviourEvent(workspace_id=ws, customer_id=customer.id, kind="view", occurred_at=now),
        BehaviourEvent(workspace_id=ws, customer_id=customer.id, kind="cart", occurred_at=now),
        BehaviourEvent(workspace_id=ws, customer_id=customer.id, kind="cart",
                       occurred_at=now - dt.timedelta(days=31)),
    ])  # fmt: skip
    convs = [Conversation(workspace_id=ws, customer_id=customer.id, channel=channel,
                          status=status, owner="queued", label_rows=[])
             for channel, status in (("email", "resolved"), ("web", "resolved"), ("web", "open"))]
    convs.append(Conversation(workspace_id=ws, customer_id=other.id, channel="sms",
                              status="open", owner="queued", label_rows=[]))
    session.add_all(convs)
    await session.flush()
    await _answer(session, convs[0], 5)
    await _answer(session, convs[0], 1, 1)  # resolved again: the latest answer is kept
    await _answer(session, convs[1], 2)
    await _answer(session, convs[3], 5)  # another customer's

    statements: list[str] = []

    def listener(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        statements.append(statement)

    event.listen(engine.sync_engine, "before_cursor_execute", listener)
    try:
        facts = (await gather_facts(session, workspace_id=ws, settings={},
                                    customer_ids={customer.id}))[customer.id]
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", listener)
    assert len(statements) == 1
    assert (facts.tier, facts.spent, facts.orders, facts.recency_days) == (
        "vip", Decimal(1100000), 3, 0)
    assert (facts.items, facts.installation_items, facts.views_30d, facts.carts_30d) == (2, 1, 1, 1)
    assert (facts.contacts, facts.open_issues, sorted(facts.channels), facts.last_contact_days
            ) == (3, 1, ["email", "web"], 0)
    assert facts.avg_csat == 1.5  # (1 + 2) / 2: the first answer of convs[0] is replaced
    everyone: dict[int, Any] = await gather_facts(session, workspace_id=ws, settings={})
    assert everyone[customer.id] == facts
    assert (everyone[other.id].spent, everyone[other.id].avg_csat) == (Decimal(5), 5.0)
    both = await gather_facts(session, workspace_id=ws, settings={},  # the shape for several
                              customer_ids={customer.id, other.id})
    assert both == {customer.id: facts, other.id: everyone[other.id]}
    assert (await gather_facts(session, workspace_id=ws, settings={}, customer_ids={other.id})
            ) == {other.id: everyone[other.id]}  # one customer: the shape for one
    tier, segments = await customer_standing(session, workspace_id=ws, customer_id=customer.id)
    assert tier == "vip" and {"vip", "unhappy", "frequent_contact"} <= set(segments)
    session.add(Order(workspace_id=ws, external_id="B2", customer_id=other.id,
                      total=Decimal(2000000), placed_at=now))  # not flushed: still counted
    assert (await customer_standing(session, workspace_id=ws, customer_id=other.id,
                                    settings={}))[0] == "vip"
