"""Retention and erasure: a purge removes what is past its period and reports it; erasing a
customer leaves no trace of them in any table (walked from the metadata) or the upload folder,
keeps the statistics, and certifies it; an access request exports JSON and files."""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.all_models import metadata
from omnidesk.config import Settings
from omnidesk.core.context import Actor
from omnidesk.domains.agents.actions import do_create_api_token
from omnidesk.domains.agents.schemas import ApiTokenCreate
from omnidesk.domains.conversations.actions import do_receive_inbound
from omnidesk.domains.conversations.models import Conversation, Message
from omnidesk.domains.conversations.schemas import Attachment, InboundMessage
from omnidesk.domains.search.actions import do_index_new_messages
from tests.conftest import Persona
from tests.web.test_supervisor import log_in

NAME, EMAIL, PHONE = "Zelda Traceable", "zelda.trace@example.net", "+82 10 5555 7777"
SECRET_TEXT = "My complaint ZX-991 about the torn sofa"
# The phone's digits in the forms it may be kept in (8 digits, not "5555": a timestamp's
# microseconds or a token's hex digest held "5555" in one run in a few hundred)
NEEDLES = (NAME, EMAIL, "55557777", "5555 7777", "5555-7777", SECRET_TEXT, "ZX-991", "Traceable")


async def _person(session: AsyncSession, owner: Persona, upload_dir: Path) -> Message:
    upload_dir.mkdir(parents=True, exist_ok=True)
    key = f"{owner.workspace_id}/zelda-receipt.txt"
    (upload_dir / key).parent.mkdir(parents=True, exist_ok=True)
    (upload_dir / key).write_text(f"Receipt for {NAME}, {PHONE}")
    message = await do_receive_inbound(session, workspace_id=owner.workspace_id,
                                       inbound=InboundMessage(
        channel="web", identity_kind="web_visitor", identity_value="visitor-zelda",
        customer_name=NAME, customer_email=EMAIL, customer_phone=PHONE, text=SECRET_TEXT,
        attachments=[Attachment(name="receipt.txt", content_type="text/plain", size=30,
                                storage_key=key)]))
    await do_receive_inbound(session, workspace_id=owner.workspace_id, inbound=InboundMessage(
        channel="web", identity_kind="web_visitor", identity_value="visitor-other",
        customer_name="Other Person", text="hello there"))
    await session.commit()
    await do_index_new_messages(session)
    await session.commit()
    return message


def _traces(value: Any, needles: tuple[str, ...] = NEEDLES) -> list[str]:
    if value is None or isinstance(value, (bool, int, float, Decimal, dt.date, dt.time)):
        return []  # times and numbers hold no personal data here (dt.datetime is a dt.date)
    if isinstance(value, bytes):
        found = value.decode("utf-8", errors="replace")
    elif isinstance(value, str):
        found = value
    else:
        found = json.dumps(value, ensure_ascii=False, default=str)
    return [n for n in needles if n.lower() in found.lower()]


async def _everywhere(session: AsyncSession, needles: tuple[str, ...] = NEEDLES) -> list[str]:
    """Search every column of every table of the metadata for the person."""
    hits = []
    for table in metadata.sorted_tables:
        for row in (await session.execute(select(table))).all():
            for column, value in row._mapping.items():
                if found := _traces(value, needles):
                    hits.append(f"{table.name}.{column}: {found}")
    if session.bind.dialect.name == "sqlite":  # type: ignore[union-attr]
        for (terms,) in (await session.execute(text(
                "SELECT terms FROM search_messages_fts WHERE search_messages_fts MATCH 'zx'"))
                ).all():
            hits.append(f"search_messages_fts: {terms}")
    return hits


async def test_erasing_a_customer_leaves_no_trace_and_keeps_the_numbers(
    client: httpx.AsyncClient, session: AsyncSession, owner: Persona, settings: Settings
) -> None:
    message = await _person(session, owner, settings.upload_dir)
    conv_id = message.conversation_id
    conv = await session.get(Conversation, conv_id)
    assert conv is not None
    customer_id, count_before = conv.customer_id, conv.message_count
    assert await _everywhere(session)  # the search sees the person before

    export = await client.get(f"/api/v1/customers/{customer_id}/export", headers=owner.headers)
    assert export.status_code == 200 and export.headers["content-type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(export.content))
    document = json.loads(archive.read("customer.json"))
    assert document["tables"]["customers"][0]["name"] == NAME
    assert [m["text"] for m in document["messages"]] == [SECRET_TEXT]
    assert any(n.startswith("attachments/") for n in archive.namelist())
    logged = await client.get("/api/v1/privacy/access-log", headers=owner.headers)
    assert any(r["action"] == "export" and r["customer_id"] == customer_id
               for r in logged.json()), logged.text

    _, agent_token = await do_create_api_token(session, actor=Actor(
        owner.workspace_id, owner.agent.user_id, "admin"), token_in=ApiTokenCreate(
        name="agent", role="agent"))
    await session.commit()
    denied = await client.post(f"/api/v1/customers/{customer_id}/erase",
                               headers={"Authorization": f"Bearer {agent_token}"})
    assert denied.status_code == 403  # agents hold no privacy.erase
    erased = await client.post(f"/api/v1/customers/{customer_id}/erase", headers=owner.headers)
    assert erased.status_code == 200, erased.text
    certificate = erased.json()
    assert certificate["rows"]["messages"] == 1 and certificate["files_removed"] == 1
    assert certificate["certificate_id"]

    session.expire_all()
    assert await _everywhere(session) == []
    for path in settings.upload_dir.rglob("*"):
        if path.is_file():
            assert not _traces(path.read_bytes()), path
    conv = await session.get(Conversation, conv_id)
    assert conv is not None and conv.message_count == count_before  # the numbers stay
    audit = await client.get("/api/v1/audit", headers=owner.headers,
                             params={"action": "customer.erased"})
    assert audit.json()["items"][0]["data"]["customer_id"] == customer_id
    other = await client.get("/api/v1/customers", headers=owner.headers,
                             params={"q": "Other Person"})
    assert other.json()["items"]  # nobody else was touched


async def test_a_retention_purge_removes_old_data_and_reports_it(
    client: httpx.AsyncClient, session: AsyncSession, owner: Persona, settings: Settings
) -> None:
    message = await _person(session, owner, settings.upload_dir)
    message_id = message.id
    long_ago = dt.datetime.now(dt.UTC) - dt.timedelta(days=90)
    await session.execute(update(Message).where(Message.id == message_id)
                          .values(created_at=long_ago))
    await session.commit()
    policy = await client.put("/api/v1/privacy/retention", headers=owner.headers,
                              json={"messages": 30, "attachments": 30, "logs": 365})
    assert policy.status_code == 200, policy.text
    report = await client.post("/api/v1/privacy/retention/purge", headers=owner.headers)
    assert report.status_code == 200, report.text
    assert report.json()["removed"]["messages"] == 1
    assert report.json()["files_removed"] == 1
    session.expire_all()
    old = await session.get(Message, message_id)
    assert old is not None and old.text == "" and old.attachments == []
    recent = await session.scalar(select(Message).where(Message.text == "hello there"))
    assert recent is not None  # inside its period: kept
    assert not any(settings.upload_dir.rglob("*.txt"))
    # what the message said is gone from every table (search index, event payloads …)
    assert await _everywhere(session, (SECRET_TEXT, "ZX-991")) == []
    audit = await client.get("/api/v1/audit", headers=owner.headers,
                             params={"action": "retention.purged"})
    assert audit.json()["items"][0]["data"]["removed"]["messages"] == 1


async def test_the_privacy_page_keeps_the_access_log_as_long_as_the_law_says(
        client: httpx.AsyncClient, owner: Persona) -> None:
    csrf = await log_in(client, f"admin@{owner.slug}.example", owner.password)
    page = await client.get("/settings/privacy")
    assert page.status_code == 200 and 'name="access_log"' in page.text
    assert "개인정보 접속 기록" in page.text
    form = {"csrf": csrf, "do": "save", "messages": "0", "attachments": "0", "recordings": "0",
            "raw_events": "0", "logs": "0"}
    short = await client.post("/settings/privacy", data={**form, "access_log": "100"})
    assert short.status_code == 400 and 'role="alert">개인정보 접속 기록은 법에 따라 최소 730일' in short.text
    saved = await client.post("/settings/privacy", data={**form, "access_log": "1095"})
    assert saved.status_code == 200 and 'name="access_log" min="0" max="36500" value="1095"' in saved.text
