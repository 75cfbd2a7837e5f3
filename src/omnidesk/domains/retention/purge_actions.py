"""Retention purges: remove each kind of data once it is older than the workspace keeps it.

Runs on the dispatcher's schedule (`retention_purge`, hourly; the scheduler claims each period
with a conditional update, so one process runs it) and on demand (API, page, CLI). Each run that
removed something writes a `retention.purged` audit record with the counts: the report.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy import Text, and_, cast, delete, exists, not_, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.core.audit import audit
from omnidesk.core.db import Base, utcnow
from omnidesk.core.events import EventDelivery, OutboxEvent, emit
from omnidesk.domains.conversations.models import Message, MessageSecret
from omnidesk.domains.privacy.models import PiiAccess
from omnidesk.domains.retention.erasure_actions import remove_files
from omnidesk.domains.retention.events import RetentionPurged
from omnidesk.domains.retention.recording_actions import (
    PROVIDER_RECORDINGS,
    RECORDING_KEY,
    do_request_recording_deletion,
)
from omnidesk.domains.retention.schemas import PurgeReport, RetentionSettings

BATCH = 500


def _is_recording(item: object) -> bool:
    return isinstance(item, dict) and str(item.get("content_type", "")).startswith("audio/")


async def _purge_files(session: AsyncSession, workspace_id: int, cutoff: dt.datetime,
                       upload_dir: Path, *, recordings: bool) -> tuple[int, int]:
    """Remove attachment files (or only audio recordings) of messages older than the cutoff."""
    rows = (await session.scalars(select(Message).where(
        Message.workspace_id == workspace_id, Message.created_at < cutoff,
        cast(Message.attachments, Text) != "[]").limit(BATCH * 4))).all()
    touched = files = 0
    for message in rows:
        gone = [a for a in message.attachments or [] if _is_recording(a) or not recordings]
        if not gone:
            continue
        files += remove_files(upload_dir, gone)
        message.attachments = [a for a in message.attachments if a not in gone]
        touched += 1
    return touched, files


async def _purge_provider_recordings(session: AsyncSession, workspace_id: int,
                                     cutoff: dt.datetime) -> int:
    """Ask the channels to delete the recordings they keep of calls older than the cutoff and
    drop our references (the transcript text stays until the messages period)."""
    rows = (await session.scalars(select(Message).where(
        Message.workspace_id == workspace_id, Message.created_at < cutoff,
        Message.meta[RECORDING_KEY].as_string().is_not(None)).limit(BATCH * 4))).all()
    asked = do_request_recording_deletion(session, workspace_id, rows)
    for message in rows:
        message.meta = {k: v for k, v in message.meta.items() if k != RECORDING_KEY}
    return asked


async def _scrub_event_copies(session: AsyncSession, workspace_id: int,
                              said: dict[int, set[str]]) -> None:
    """Blank the copies of purged messages' text in event payloads (message.created,
    conversation.created …), which the logs period may keep longer than the messages."""
    if not said:
        return
    conversation = OutboxEvent.payload["conversation_id"].as_integer()
    for event in (await session.scalars(select(OutboxEvent).where(
            OutboxEvent.workspace_id == workspace_id, conversation.in_(sorted(said))))).all():
        text = event.payload.get("text")
        if text and text in said.get(int(event.payload.get("conversation_id") or 0), set()):
            event.payload = {**event.payload, "text": ""}


async def do_purge(session: AsyncSession, *, workspace_id: int, policy: RetentionSettings,
                   upload_dir: Path, actor_id: int | None = None,
                   now: dt.datetime | None = None) -> PurgeReport:
    """Remove the workspace's data past its retention periods; return (and audit) the report."""
    now = now or utcnow()
    removed: dict[str, int] = {}
    cutoffs: dict[str, dt.datetime] = {}
    files = 0
    for kind in ("recordings", "attachments"):
        if days := getattr(policy, kind):
            cutoffs[kind] = now - dt.timedelta(days=days)
            removed[kind], count = await _purge_files(
                session, workspace_id, cutoffs[kind], upload_dir,
                recordings=kind == "recordings")
            files += count
    if policy.recordings and (asked := await _purge_provider_recordings(
            session, workspace_id, cutoffs["recordings"])):
        removed[PROVIDER_RECORDINGS] = asked
    if policy.messages:
        cutoffs["messages"] = cutoff = now - dt.timedelta(days=policy.messages)
        old = select(Message.id).where(Message.workspace_id == workspace_id,
                                       Message.created_at < cutoff,
                                       or_(Message.text != "",
                                           cast(Message.meta, Text) != "{}"))
        said: dict[int, set[str]] = {}
        purged: list[int] = []
        messages = (await session.scalars(select(Message).where(
            Message.id.in_(old)).limit(BATCH * 4))).all()
        if asked := do_request_recording_deletion(session, workspace_id, messages):
            removed[PROVIDER_RECORDINGS] = removed.get(PROVIDER_RECORDINGS, 0) + asked
        for message in messages:
            files += remove_files(upload_dir, message.attachments)
            said.setdefault(message.conversation_id, set()).add(message.text)
            purged.append(message.id)
            message.text, message.attachments, message.meta = "", [], {}
            removed["messages"] = removed.get("messages", 0) + 1
        await _scrub_event_copies(session, workspace_id, said)
        if purged:  # the encrypted values (RRN, account …) the purged texts kept
            await session.execute(delete(MessageSecret).where(
                MessageSecret.workspace_id == workspace_id,
                MessageSecret.message_id.in_(purged)))
        search = Base.metadata.tables.get("search_messages")
        if search is not None:  # by the purged ids (the index row keeps the message's id)
            await session.execute(update(search).where(
                search.c.workspace_id == workspace_id, search.c.id.in_(purged),
                search.c.terms != "").values(terms=""))
    if policy.raw_events:
        cutoffs["raw_events"] = cutoff = now - dt.timedelta(days=policy.raw_events)
        raw = Base.metadata.tables["channel_inbound_events"]
        result = await session.execute(delete(raw).where(
            raw.c.workspace_id == workspace_id, raw.c.received_at < cutoff,
            raw.c.status != "received"))
        removed["raw_events"] = int(result.rowcount or 0)  # type: ignore[attr-defined]
    if policy.logs:
        cutoffs["logs"] = cutoff = now - dt.timedelta(days=policy.logs)
        pending = exists().where(EventDelivery.event_id == OutboxEvent.id,
                                 EventDelivery.done_at.is_(None))
        result = await session.execute(delete(OutboxEvent).where(and_(
            OutboxEvent.workspace_id == workspace_id, OutboxEvent.created_at < cutoff,
            OutboxEvent.fanned_out.is_(True), not_(pending))))
        removed["logs"] = int(result.rowcount or 0)  # type: ignore[attr-defined]
    if policy.access_log:
        cutoffs["access_log"] = cutoff = now - dt.timedelta(days=policy.access_log)
        result = await session.execute(delete(PiiAccess).where(
            PiiAccess.workspace_id == workspace_id, PiiAccess.at < cutoff))
        removed["access_log"] = int(result.rowcount or 0)  # type: ignore[attr-defined]
    await session.flush()
    report = PurgeReport(workspace_id=workspace_id, ran_at=now, removed=removed,
                         files_removed=files, cutoffs=cutoffs)
    if any(removed.values()) or files:
        audit(session, workspace_id=workspace_id, action=RetentionPurged.name,
              actor_kind="user" if actor_id else "system", actor_id=actor_id,
              object_type="workspace", object_id=workspace_id,
              data=report.model_dump(mode="json", exclude={"workspace_id"}))
        emit(session, RetentionPurged(removed=removed), workspace_id=workspace_id)
    return report
