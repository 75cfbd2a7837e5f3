"""Audit log: who changed what, with the values before and after (secrets redacted).

Rows are append-only. Nothing in the product updates or deletes them: no route or command does,
and the session refuses to flush an update or delete of one (``_refuse_changes``). Erasing a
customer leaves the rows alone because they carry ids and field names, never personal values.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ForeignKey, Index, String, event, select
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, Session, mapped_column

from omnidesk.core.db import Base, IdMixin, IdType, utcnow
from omnidesk.core.pagination import paginate

REDACTED = "[redacted]"
SECRET_KEY = re.compile(r"secret|password|passwd|token|api_?key|private|credential|sealed|"
                        r"signing|totp|recovery|_hash$", re.IGNORECASE)
UNAUDITED_COLUMNS = frozenset({"id", "workspace_id", "created_at", "updated_at", "state"})


class AuditEntry(Base, IdMixin):
    """One audited action; append-only."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_ws_created", "workspace_id", "created_at"),)

    workspace_id: Mapped[int] = mapped_column(IdType, ForeignKey("workspaces.id", ondelete="CASCADE"))
    actor_kind: Mapped[str] = mapped_column(String(16), default="user")
    actor_id: Mapped[int | None] = mapped_column(IdType)
    action: Mapped[str] = mapped_column(String(80))
    object_type: Mapped[str | None] = mapped_column(String(40))
    object_id: Mapped[str | None] = mapped_column(String(64))
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class AuditImmutable(RuntimeError):
    """Raised when code tries to change or delete an audit row."""


@event.listens_for(Session, "before_flush")
def _refuse_changes(session: Session, _context: object, _instances: object) -> None:
    """Refuse to flush an update or a delete of an audit row (the log is append-only)."""
    for obj in (*session.dirty, *session.deleted):
        if isinstance(obj, AuditEntry) and (obj in session.deleted or session.is_modified(obj)):
            raise AuditImmutable("audit records cannot be changed or deleted")


def redact(value: Any) -> Any:
    """Return a copy of a value with every secret-looking key's value replaced."""
    if isinstance(value, dict):
        return {k: REDACTED if SECRET_KEY.search(str(k)) and v not in (None, "", [], {})
                else redact(v) for k, v in value.items()}
    if isinstance(value, list):
        return [redact(v) for v in value]
    return value


def snapshot(obj: object) -> dict[str, Any]:
    """Return an ORM object's column values as JSON-ready data (for before/after)."""
    mapper = sa_inspect(obj).mapper
    return {attr.key: plain(getattr(obj, attr.key)) for attr in mapper.column_attrs
            if attr.key not in UNAUDITED_COLUMNS}


def plain(value: Any) -> Any:
    """Return a value as JSON-ready data (datetimes as ISO text, others as str)."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def diff(before: dict[str, Any] | None, after: dict[str, Any] | None
         ) -> tuple[dict[str, Any], dict[str, Any]]:
    """Return (before, after) restricted to the keys whose values differ, both redacted."""
    old, new = before or {}, after or {}
    keys = [k for k in dict.fromkeys([*old, *new]) if old.get(k) != new.get(k)]
    return (redact({k: old.get(k) for k in keys if k in old}),
            redact({k: new.get(k) for k in keys if k in new}))


def audit(
    session: AsyncSession,
    *,
    workspace_id: int,
    action: str,
    actor_kind: str = "user",
    actor_id: int | None = None,
    object_type: str | None = None,
    object_id: object | None = None,
    data: dict[str, Any] | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEntry:
    """Add an audit row to the current transaction; before/after keep only what changed."""
    payload = redact(dict(data or {}))
    if before is not None or after is not None:
        payload["before"], payload["after"] = diff(plain(before), plain(after))
    entry = AuditEntry(
        workspace_id=workspace_id,
        actor_kind=actor_kind,
        actor_id=actor_id,
        action=action,
        object_type=object_type,
        object_id=None if object_id is None else str(object_id),
        data=payload,
    )
    session.add(entry)
    return entry


@dataclass(frozen=True)
class AuditFilter:
    """What the audit page and API filter on (all optional)."""

    actor_id: int | None = None
    action: str | None = None  # an exact action or a prefix ending in "." ("routing.")
    object_type: str | None = None
    object_id: str | None = None
    since: dt.datetime | None = None
    until: dt.datetime | None = None


async def list_audit(session: AsyncSession, *, workspace_id: int, flt: AuditFilter,
                     cursor: str | None, limit: int) -> list[AuditEntry]:
    """List a workspace's audit rows, newest first, one page plus one row."""
    query = select(AuditEntry).where(AuditEntry.workspace_id == workspace_id)
    if flt.actor_id is not None:
        query = query.where(AuditEntry.actor_id == flt.actor_id)
    if flt.action:
        query = query.where(AuditEntry.action.startswith(flt.action, autoescape=True)
                            if flt.action.endswith(".") else AuditEntry.action == flt.action)
    if flt.object_type:
        query = query.where(AuditEntry.object_type == flt.object_type)
    if flt.object_id:
        query = query.where(AuditEntry.object_id == flt.object_id)
    if flt.since is not None:
        query = query.where(AuditEntry.created_at >= flt.since)
    if flt.until is not None:
        query = query.where(AuditEntry.created_at < flt.until)
    return list((await session.scalars(
        paginate(query, AuditEntry.id, cursor=cursor, limit=limit))).all())


async def list_audit_kinds(session: AsyncSession, *, workspace_id: int
                           ) -> tuple[list[str], list[str]]:
    """Return the workspace's distinct actions and object types (the page's filter choices)."""
    actions = await session.scalars(select(AuditEntry.action).distinct()
                                    .where(AuditEntry.workspace_id == workspace_id))
    types = await session.scalars(select(AuditEntry.object_type).distinct()
                                  .where(AuditEntry.workspace_id == workspace_id,
                                         AuditEntry.object_type.is_not(None)))
    return sorted(actions.all()), sorted(t for t in types.all() if t)
