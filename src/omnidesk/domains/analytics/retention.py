"""Retention by CSAT band: of the contacts of a period, the share whose customer ordered again.

A contact is a conversation created in the period (its customer counts once per contact). It
counts once its 90 days have passed: retained when the customer placed an order that was not
cancelled within 90 days after the conversation opened. Bands follow the conversation's latest
CSAT answer: low (1–2), neutral (3), high (4–5), none (no answer). Definitions:
``docs/metrics.md``. Read from the facts and orders (not rolled up yet).
"""

from __future__ import annotations

import bisect
import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.domains.analytics.models import ConversationFact as F
from omnidesk.domains.analytics.reports import ReportFilter, facts_query
from omnidesk.domains.commerce.service import order_times_by_customer

RETENTION_WINDOW = dt.timedelta(days=90)
BANDS = ("low", "neutral", "high", "none")


def csat_band(score: int | None) -> str:
    """Return a CSAT score's band: low (1–2), neutral (3), high (4–5) or none."""
    if score is None:
        return "none"
    return "low" if score <= 2 else ("neutral" if score == 3 else "high")


async def retention(session: AsyncSession, *, workspace_id: int, flt: ReportFilter,
                    now: dt.datetime) -> dict[str, Any]:
    """Return ``retention_rate`` and ``retention_by_csat`` (contacts, retained, rate per band)."""
    query: Any = select(F.customer_id, F.created_at, F.csat)
    contacts: Any = (await session.execute(facts_query(workspace_id, flt, query).where(
            F.created_at <= now - RETENTION_WINDOW))).all()
    orders = await order_times_by_customer(
        session, workspace_id=workspace_id, customer_ids=sorted({c[0] for c in contacts}),
        since=flt.since, until=flt.until + RETENTION_WINDOW)
    counts = {band: [0, 0] for band in BANDS}
    for customer_id, opened, csat in contacts:
        opened = opened.replace(tzinfo=dt.UTC) if opened.tzinfo is None else opened
        times = orders.get(customer_id, [])
        later = bisect.bisect_right(times, opened)
        kept = later < len(times) and times[later] <= opened + RETENTION_WINDOW
        cell = counts[csat_band(csat)]
        cell[0] += 1
        cell[1] += int(kept)
    total, kept_total = sum(c[0] for c in counts.values()), sum(c[1] for c in counts.values())
    return {"retention_rate": round(kept_total / total, 4) if total else None,
            "retention_by_csat": {band: {"contacts": n, "retained": k,
                                         "rate": round(k / n, 4) if n else None}
                                  for band, (n, k) in counts.items()}}
