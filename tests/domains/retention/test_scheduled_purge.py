"""The hourly retention purge, run as production runs it (the dispatcher firing the
`retention_purge` schedule of the app's registry): old messages, attachments, recordings, raw
inbound events, logs and access-log rows go, fresh ones stay, and the audit report counts what was removed."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import httpx
from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from omnidesk.app.subscribers import build_registry
from omnidesk.config import Settings
from omnidesk.core.dispatcher import Dispatcher, DispatcherConfig
from omnidesk.core.events import DONE, EventDelivery, OutboxEvent
from omnidesk.domains.conversations.actions import do_receive_inbound
from omnidesk.domains.conversations.models import (
    PROCESSED,
    InboundEvent,
    Message,
    MessageSecret,
)
from omnidesk.domains.conversations.schemas import Attachment, InboundMessage
from omnidesk.domains.privacy.models import PiiAccess
from tests.conftest import Persona

POLICY = {"messages": 200, "attachments": 100, "recordings": 30, "raw_events": 30, "logs": 30,
          "access_log": 730}
RRN = "900101-1234568"


def _file(upload_dir: Path, workspace_id: int, name: str, content_type: str) -> Attachment:
    key = f"{workspace_id}/{name}"
    (upload_dir / key).parent.mkdir(parents=True, exist_ok=True)
    (upload_dir / key).write_bytes(b"content of " + name.encode())
    return Attachment(name=name, content_type=content_type, size=20, storage_key=key)


async def _message(session: AsyncSession, owner: Persona, visitor: str, text: str,
                   attachments: list[Attachment], age_days: int) -> int:
    message = await do_receive_inbound(session, workspace_id=owner.workspace_id,
                                       inbound=InboundMessage(
        channel="web", identity_kind="web_visitor", identity_value=visitor, text=text,
        attachments=attachments))
    await session.execute(update(Message).where(Message.id == message.id).values(
        created_at=dt.datetime.now(dt.UTC) - dt.timedelta(days=age_days)))
    return message.id


def _raw(owner: Persona, key: str, age_days: int) -> InboundEvent:
    return InboundEvent(workspace_id=owner.workspace_id, channel="web", dedupe_key=key,
                        kind="message", raw_body=b'{"text": "raw"}', status=PROCESSED,
                        received_at=dt.datetime.now(dt.UTC) - dt.timedelta(days=age_days))


async def test_the_scheduled_purge_removes_every_old_kind_and_reports_it(
    client: httpx.AsyncClient, session: AsyncSession, owner: Persona, settings: Settings,
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    saved = await client.put("/api/v1/privacy/retention", headers=owner.headers, json=POLICY)
    assert saved.status_code == 200, saved.text
    up, ws = settings.upload_dir, owner.workspace_id
    old_text = await _message(session, owner, "v-a", f"주민번호 {RRN} 입니다", [], 300)
    old_file = await _message(session, owner, "v-b", "영수증 보냅니다",
                              [_file(up, ws, "b.pdf", "application/pdf")], 150)
    old_voice = await _message(session, owner, "v-c", "음성 메모",
                               [_file(up, ws, "c.ogg", "audio/ogg"),
                                _file(up, ws, "c.pdf", "application/pdf")], 60)
    session.add_all([_raw(owner, "raw-old", 60), _raw(owner, "raw-new", 1)])
    session.add_all([PiiAccess(workspace_id=ws, action="reveal", fields=["phone"], reason=why,
                               at=dt.datetime.now(dt.UTC) - dt.timedelta(days=days))
                     for why, days in (("three years ago", 1095), ("last year", 400))])
    await session.flush()
    # everything the outbox holds so far was delivered long ago: the logs period has passed
    aged = list((await session.scalars(select(OutboxEvent.id))).all())
    long_ago = dt.datetime.now(dt.UTC) - dt.timedelta(days=60)
    await session.execute(delete(EventDelivery))
    session.add_all([EventDelivery(event_id=i, workspace_id=ws, subscriber="done.long.ago",
                                   status=DONE, done_at=long_ago) for i in aged])
    await session.execute(update(OutboxEvent).values(fanned_out=True, created_at=long_ago))
    await session.commit()
    fresh = await _message(session, owner, "v-d", "새 문의",
                           [_file(up, ws, "d.ogg", "audio/ogg"),
                            _file(up, ws, "d.pdf", "application/pdf")], 0)
    await session.commit()
    assert await session.scalar(select(func.count()).select_from(MessageSecret)) == 1

    registry = build_registry(settings)
    assert "retention_purge" in registry.schedules
    await Dispatcher(session_factory, registry, DispatcherConfig(backoff_base_seconds=0)).drain()

    session.expire_all()
    texts = dict((await session.execute(select(Message.id, Message.text))).all())
    files = {m.id: [a["name"] for a in m.attachments]
             for m in (await session.scalars(select(Message))).all()}
    assert texts[old_text] == "" and texts[old_file] and texts[fresh] == "새 문의"
    assert files[old_file] == [] and files[old_voice] == ["c.pdf"]
    assert files[fresh] == ["d.ogg", "d.pdf"]
    assert sorted(p.name for p in up.rglob("*.*")) == ["c.pdf", "d.ogg", "d.pdf"]
    assert await session.scalar(select(func.count()).select_from(MessageSecret)) == 0
    raw = (await session.scalars(select(InboundEvent.dedupe_key))).all()
    assert "raw-old" not in raw and "raw-new" in raw
    left = (await session.scalars(select(OutboxEvent.id).where(OutboxEvent.id.in_(aged)))).all()
    assert left == []
    assert (await session.scalars(select(EventDelivery.id).where(
        EventDelivery.event_id.in_(aged)))).all() == []  # their delivery log went with them
    assert await session.scalar(select(func.count()).select_from(OutboxEvent)) > 0  # fresh kept
    assert (await session.scalars(select(PiiAccess.reason))).all() == ["last year"]

    audit = await client.get("/api/v1/audit", headers=owner.headers,
                             params={"action": "retention.purged"})
    [report] = audit.json()["items"]
    assert report["actor_kind"] == "system"
    assert report["data"]["removed"] == {"recordings": 1, "attachments": 1, "messages": 1,
                                         "raw_events": 1, "logs": len(aged), "access_log": 1}
    assert report["data"]["files_removed"] == 2


async def test_the_access_log_cannot_be_kept_shorter_than_the_law_allows(
        client: httpx.AsyncClient, owner: Persona) -> None:
    short = await client.put("/api/v1/privacy/retention", headers=owner.headers,
                             json={**POLICY, "access_log": 365})
    assert short.status_code == 422 and "at least 730 days" in short.text
    kept = await client.get("/api/v1/privacy/retention", headers=owner.headers)
    assert kept.json()["access_log"] == 0  # nothing of the refused policy was stored
    always = await client.put("/api/v1/privacy/retention", headers=owner.headers,
                              json={**POLICY, "access_log": 0})
    assert always.status_code == 200 and always.json()["access_log"] == 0
