"""Access-log reads: the admins' search and a customer's own access report (PIPA)."""

from __future__ import annotations

import csv
import io

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.domains.privacy.models import PiiAccess
from omnidesk.domains.privacy.schemas import AccessQuery, PiiAccessRead

REPORT_COLUMNS = ("at", "actor_name", "action", "fields", "reason", "conversation_id", "message_id")


async def search_access(session: AsyncSession, *, workspace_id: int,
                        query: AccessQuery) -> list[PiiAccess]:
    """Return the newest access-log rows matching the filters."""
    stmt = select(PiiAccess).where(PiiAccess.workspace_id == workspace_id)
    if query.actor_id is not None:
        stmt = stmt.where(PiiAccess.actor_id == query.actor_id)
    if query.customer_id is not None:
        stmt = stmt.where(PiiAccess.customer_id == query.customer_id)
    if query.action:
        stmt = stmt.where(PiiAccess.action == query.action)
    if query.since is not None:
        stmt = stmt.where(PiiAccess.at >= query.since)
    if query.until is not None:
        stmt = stmt.where(PiiAccess.at < query.until)
    stmt = stmt.order_by(PiiAccess.at.desc(), PiiAccess.id.desc()).limit(query.limit)
    return list((await session.scalars(stmt)).all())


async def customer_access_report(session: AsyncSession, *, workspace_id: int,
                                 customer_id: int) -> list[PiiAccessRead]:
    """Return every recorded read of one customer's personal data, oldest first."""
    rows = await session.scalars(select(PiiAccess).where(
        PiiAccess.workspace_id == workspace_id, PiiAccess.customer_id == customer_id,
    ).order_by(PiiAccess.at, PiiAccess.id))
    return [PiiAccessRead.model_validate(row) for row in rows]


def report_csv(rows: list[PiiAccessRead]) -> str:
    """Render an access report as CSV (what the customer receives)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(REPORT_COLUMNS)
    for row in rows:
        writer.writerow([row.at.isoformat(), row.actor_name, row.action, " ".join(row.fields),
                         row.reason, row.conversation_id or "", row.message_id or ""])
    return out.getvalue()
