"""Audit log: who changed what, with the values before and after (secrets redacted).

Rows are append-only. Nothing in the product updates or deletes them: no route or command does,
and the session refuses to flush an update or delete of one (``_refuse_changes``). Erasing a
customer leaves the rows alone because they carry ids and field names, never personal values.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from sqlalchemy import ForeignKey, Index, String, event
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, Session, mapped_column

from omnidesk.core.db import Base, IdMixin, IdType, utcnow

REDACTED = "[redacted]"
SECRET_KEY = re.compile(r"secret|password|passwd|token|api_?key|private|credential|sealed|"
                        r"signing|totp|recovery", re.IGNORECASE)


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
        payload["before"], payload["after"] = diff(before, after)
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
