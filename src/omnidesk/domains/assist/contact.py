"""A customer's notes as agents see them.

The contact masking rule itself is owned by the customers domain (`customers/contact.py`, read
through `customers.service`); revealing and note-taking (writes) are in `contact_actions.py`. The
full 360 view (orders, conversations, tiers) is assembled in `customer360.py`; it lives in assist
because commerce and conversations already depend on customers.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.domains.customers.models import CustomerNote


async def list_notes(
    session: AsyncSession, *, workspace_id: int, customer_id: int, limit: int = 20
) -> list[CustomerNote]:
    """List a customer's notes, newest first."""
    rows = await session.scalars(
        select(CustomerNote)
        .where(CustomerNote.workspace_id == workspace_id, CustomerNote.customer_id == customer_id)
        .order_by(CustomerNote.id.desc()).limit(limit))
    return list(rows.all())
