"""Erase a customer: remove or anonymise the person everywhere, keep the statistics, certify it.

What is removed: the profile's name, email, phone, external id, attributes and tags; every
identity; the text, attachments (and their files) and metadata of their messages; their messages'
search terms and encrypted secrets; every row of other tables that belongs to them by
`customer_id` (notes, orders, surveys, engagement…), except the personal-data access log, which
the law keeps. What stays: the customer row (as "erased customer #id") and their conversations
with status, channel, timestamps, counts and ratings' numbers, so reports do not change. Then
`sweep` scrubs any copy left elsewhere (outbox payloads, raw webhook bodies, audit data).
The certificate lists counts per table and file, never the erased values.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import JSON, delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.core.audit import audit
from omnidesk.core.context import Actor
from omnidesk.core.db import Base, kept_on_erasure, utcnow
from omnidesk.core.events import emit
from omnidesk.domains.conversations.models import Conversation, Message
from omnidesk.domains.conversations.service import access_customer
from omnidesk.domains.customers.models import CustomerIdentity
from omnidesk.domains.retention.events import CustomerErased
from omnidesk.domains.retention.recording_actions import (
    PROVIDER_RECORDINGS,
    do_request_recording_deletion,
)
from omnidesk.domains.retention.schemas import ErasureCertificate
from omnidesk.domains.retention.sweep import sweep

KEPT_TABLES = frozenset({"customers", "conversations", "messages", "pii_access_log",
                         "customer_identities"})
"""Tables erasure edits itself (or, for the access log, keeps as the law requires)."""
ERASED_NAME = "erased customer"
PERSONAL_COLUMNS = ("address", "comment", "body", "note")
"""Free-text columns blanked on rows kept for statistics (an order's address, a survey comment)."""


def remove_files(upload_dir: Path, attachments: list[Any]) -> int:
    """Delete stored attachment files named by storage keys; return how many were removed."""
    removed = 0
    root = upload_dir.resolve()
    for item in attachments or []:
        key = item.get("storage_key") if isinstance(item, dict) else None
        if not key:
            continue
        path = (upload_dir / key).resolve()
        if path.is_relative_to(root) and path.is_file():
            path.unlink()
            removed += 1
    return removed


async def do_erase_customer(session: AsyncSession, *, actor: Actor, customer_id: int,
                            upload_dir: Path) -> ErasureCertificate:
    """Erase one customer of the actor's workspace (privacy.erase) and return the certificate."""
    actor.require_permission("privacy.erase")
    customer = await access_customer(session, actor=actor, customer_id=customer_id)
    ws = actor.workspace_id
    identities = list((await session.scalars(select(CustomerIdentity).where(
        CustomerIdentity.workspace_id == ws, CustomerIdentity.customer_id == customer.id))).all())
    conv_ids = select(Conversation.id).where(Conversation.workspace_id == ws,
                                             Conversation.customer_id == customer.id)
    messages = list((await session.scalars(select(Message).where(
        Message.workspace_id == ws, Message.conversation_id.in_(conv_ids)))).all())
    needles = [customer.name or "", customer.email or "", customer.phone or "",
               customer.external_id or "", *(i.value for i in identities),
               *(m.text for m in messages if m.author_kind == "customer")]
    if customer.phone:
        needles.append("".join(ch for ch in customer.phone if ch.isdigit()))
    counts: dict[str, int] = {}
    # recordings the provider keeps go too (the channel deletes them there, with retries)
    if asked := do_request_recording_deletion(session, ws, messages):
        counts[PROVIDER_RECORDINGS] = asked
    files = 0
    for message in messages:
        files += remove_files(upload_dir, message.attachments)
        message.text, message.attachments, message.meta = "", [], {}
        message.delivery_error = None
    counts["messages"] = len(messages)
    message_ids = [m.id for m in messages]
    for name, column in (("search_messages", "id"), ("message_secrets", "message_id")):
        table = Base.metadata.tables.get(name)
        if table is not None and message_ids:
            if name == "search_messages":
                result = await session.execute(update(table).where(
                    table.c[column].in_(message_ids)).values(terms=""))
            else:
                result = await session.execute(delete(table).where(
                    table.c[column].in_(message_ids)))
            counts[name] = int(result.rowcount or 0)  # type: ignore[attr-defined]
    await session.execute(update(Conversation).where(
        Conversation.workspace_id == ws, Conversation.customer_id == customer.id
    ).values(subject=None))
    counts["conversations"] = int(await _count(session, conv_ids))
    for identity in identities:
        await session.delete(identity)
    counts["customer_identities"] = len(identities)
    customer.name, customer.email, customer.phone = f"{ERASED_NAME} #{customer.id}", None, None
    customer.external_id, customer.attributes, customer.tags = None, {}, []
    await session.flush()
    counts.update(await _delete_owned_rows(session, ws, customer.id))
    swept = await sweep(session, workspace_id=ws, needles=needles,
                        skip=frozenset({"customers"}))
    certificate = ErasureCertificate(
        customer_id=customer.id, erased_at=utcnow(), erased_by=actor.user_id,
        rows=counts, files_removed=files, traces_scrubbed=swept)
    entry = audit(session, workspace_id=ws, action=CustomerErased.name,
                  actor_kind=actor.audit_kind, actor_id=actor.user_id, object_type="customer",
                  object_id=customer.id, data=certificate.model_dump(mode="json"))
    await session.flush()
    certificate.certificate_id = entry.id
    emit(session, CustomerErased(customer_id=customer.id, certificate_id=entry.id),
         workspace_id=ws)
    return certificate


async def _count(session: AsyncSession, ids: Any) -> int:
    from sqlalchemy import func

    return int(await session.scalar(select(func.count()).select_from(ids.subquery())) or 0)


async def _delete_owned_rows(session: AsyncSession, workspace_id: int,
                             customer_id: int) -> dict[str, int]:
    """Detach or delete the rows of every other table that belong to the customer.

    A row that feeds reports (a survey answer, a conversation's facts: ``core.db.STATISTICS``)
    keeps its link to the anonymised customer row and loses its free-text personal fields; a
    row that may live without its customer (an order) loses both; any other row is deleted.
    """
    counts: dict[str, int] = {}
    for table in reversed(Base.metadata.sorted_tables):
        if (table.name in KEPT_TABLES or "customer_id" not in table.c
                or "workspace_id" not in table.c):
            continue
        mine = (table.c.workspace_id == workspace_id, table.c.customer_id == customer_id)
        kept = kept_on_erasure(table)
        if kept or table.c.customer_id.nullable:
            # statistics keep the link to the anonymised customer row; others lose it
            blank: dict[str, Any] = {} if kept else {"customer_id": None}
            blank.update({c: ({} if isinstance(table.c[c].type, JSON) else "")
                          for c in PERSONAL_COLUMNS if c in table.c})
            if not blank:
                continue
            result = await session.execute(update(table).where(*mine).values(blank))
        else:
            result = await session.execute(delete(table).where(*mine))
        if result.rowcount:  # type: ignore[attr-defined]
            counts[table.name] = int(result.rowcount)  # type: ignore[attr-defined]
    return counts
