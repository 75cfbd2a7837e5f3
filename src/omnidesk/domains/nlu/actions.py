"""NLU writes: store a trained intent model as a workspace's next version and activate it."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.core.errors import NotFound
from omnidesk.core.events import emit
from omnidesk.domains.nlu.events import NluModelActivated, NluModelStored
from omnidesk.domains.nlu.models import NluModel
from omnidesk.domains.nlu.schemas import IntentModel


async def do_store_model(
    session: AsyncSession, *, workspace_id: int, model: IntentModel, source: str | None = None,
    activate: bool = True,
) -> NluModel:
    """Store a trained model as the workspace's next version (and make it the active one)."""
    latest = await session.scalar(select(func.max(NluModel.version))
                                  .where(NluModel.workspace_id == workspace_id))
    row = NluModel(workspace_id=workspace_id, version=(latest or 0) + 1,
                   model_bytes=model.to_bytes(), metrics=_plain(model.metrics),
                   labels=list(model.labels), source=source, is_active=False)
    session.add(row)
    await session.flush()
    emit(session, NluModelStored(version=row.version, labels=len(row.labels), source=source),
         workspace_id=workspace_id)
    if activate:
        await do_activate_model(session, workspace_id=workspace_id, version=row.version)
    return row


async def do_activate_model(session: AsyncSession, *, workspace_id: int,
                            version: int) -> NluModel:
    """Make one stored version the workspace's active model (the others become inactive)."""
    row = await session.scalar(select(NluModel).where(NluModel.workspace_id == workspace_id,
                                                      NluModel.version == version))
    if row is None:
        raise NotFound(f"intent model version {version} not found")
    await session.execute(update(NluModel)
                          .where(NluModel.workspace_id == workspace_id, NluModel.id != row.id)
                          .values(is_active=False)
                          .execution_options(synchronize_session=False))
    row.is_active = True
    await session.flush()
    emit(session, NluModelActivated(version=version), workspace_id=workspace_id)
    return row


def _plain(metrics: dict[str, Any]) -> dict[str, Any]:
    """Keep the JSON-friendly metric values (numpy numbers become floats)."""
    plain: dict[str, Any] = {}
    for key, value in metrics.items():
        if value is None or isinstance(value, str | bool | int):
            plain[key] = value
        elif hasattr(value, "__float__"):
            plain[key] = float(value)
    return plain
