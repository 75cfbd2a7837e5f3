"""Retention by CSAT band on a hand-built history with orders, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.domains.analytics.actions import do_rebuild
from omnidesk.domains.analytics.models import ConversationFact
from omnidesk.domains.analytics.retention import retention
from omnidesk.domains.commerce.models import Order
from tests.conftest import Persona
from tests.domains.analytics.history import kst
from tests.domains.analytics.test_kpis import DECEMBER, NOW, build

LATER = NOW + dt.timedelta(days=100)  # every December contact's 90 days have passed


async def test_retention_counts_orders_within_90_days_by_csat_band(
        session: AsyncSession, owner: Persona) -> None:
    ws = owner.workspace_id
    await build(session, ws)
    await do_rebuild(session, workspace_id=ws, now=NOW)
    customers = {row.conversation_id: row.customer_id for row in await session.scalars(
        select(ConversationFact).where(ConversationFact.workspace_id == ws))}
    a, b, c, d = (customers[min(customers)], *sorted(set(customers.values()))[1:4])

    def order(number: str, customer: int, placed: dt.datetime, status: str = "delivered"):
        return Order(workspace_id=ws, external_id=number, customer_id=customer, status=status,
                     total=Decimal(10000), placed_at=placed)

    session.add_all([
        order("B1", b, kst(20, 12)),  # B bought after c3 (CSAT 5) and c4 (no answer)
        order("D1", d, kst(5, 12)),  # D bought before c6 (CSAT 2): not again
        order("A1", a, kst(18, 12) + dt.timedelta(days=95)),  # A: after both 90 days
        order("C1", c, kst(12, 12), status="cancelled"),  # C: cancelled
    ])
    await session.commit()
    found = await retention(session, workspace_id=ws, flt=DECEMBER, now=LATER)
    assert found["retention_by_csat"] == {
        "low": {"contacts": 1, "retained": 0, "rate": 0.0},
        "neutral": {"contacts": 0, "retained": 0, "rate": None},
        "high": {"contacts": 1, "retained": 1, "rate": 1.0},
        "none": {"contacts": 6, "retained": 1, "rate": round(1 / 6, 4)},
    }
    assert found["retention_rate"] == 0.25
    # Until a contact's 90 days have passed it is not counted.
    early = await retention(session, workspace_id=ws, flt=DECEMBER, now=NOW)
    assert early["retention_rate"] is None
