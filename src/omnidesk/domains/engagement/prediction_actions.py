"""Contact-reason writes: train the workspace's model from its history, store it as a version."""

from __future__ import annotations

import asyncio

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.domains.engagement.models import ContactReasonModelRow
from omnidesk.domains.engagement.prediction import Progress, train_model
from omnidesk.domains.engagement.prediction_service import list_contacts


async def do_train_contact_reason_model(
    session: AsyncSession, *, workspace_id: int, source: str = "history",
    progress: Progress | None = None,
) -> ContactReasonModelRow:
    """Train on every labelled contact of the workspace; store and activate the next version.

    Raises ``PredictionError`` when the history is too small. The caller commits.
    """
    contacts = await list_contacts(session, workspace_id=workspace_id)
    model = await asyncio.to_thread(train_model, contacts, progress=progress)
    latest = await session.scalar(select(func.max(ContactReasonModelRow.version))
                                  .where(ContactReasonModelRow.workspace_id == workspace_id))
    await session.execute(update(ContactReasonModelRow)
                          .where(ContactReasonModelRow.workspace_id == workspace_id)
                          .values(is_active=False)
                          .execution_options(synchronize_session=False))
    row = ContactReasonModelRow(workspace_id=workspace_id, version=(latest or 0) + 1,
                                model_bytes=model.to_bytes(), metrics=dict(model.metrics),
                                labels=list(model.labels), source=source, is_active=True)
    session.add(row)
    await session.flush()
    return row
