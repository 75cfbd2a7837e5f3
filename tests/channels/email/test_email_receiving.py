"""Mail received by SMTP or IMAP is stored once and becomes conversation messages."""

from __future__ import annotations

import asyncio
import smtplib

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from omnidesk.channels.crypto import SettingsCipher
from omnidesk.channels.email.receiving import poll_all_mailboxes, smtp_sink
from omnidesk.channels.email.smtp_server import InboundSmtpHandler, start_smtp_server
from omnidesk.channels.inbox_port import do_connect_inbox
from omnidesk.channels.registry import build_registry
from omnidesk.channels.tasks import ChannelJobs
from omnidesk.core.dispatcher import Dispatcher
from omnidesk.core.events import SubscriberRegistry
from omnidesk.domains.conversations.models import InboundEvent, Message
from omnidesk.domains.inboxes.models import Inbox
from tests.channels.conftest import fixture_bytes
from tests.channels.email.fake_imap import FakeMailbox, serve_imap
from tests.channels.fake_provider import free_port
from tests.conftest import Persona

ADAPTERS = build_registry()
CIPHER = SettingsCipher("test-secret")


async def connect(session: AsyncSession, owner: Persona, imap_port: int | None = None) -> None:
    settings = {"address": "support@example.com", "message_id_domain": "mail.example.com"}
    if imap_port:
        settings["imap"] = {"host": "127.0.0.1", "port": imap_port, "use_ssl": False,
                            "username": "support", "password": "imap-pass"}
    await do_connect_inbox(session, workspace_id=owner.workspace_id,
                             adapter=ADAPTERS["email"], name="Support", settings=settings,
                             cipher=CIPHER)
    await session.commit()


def send(port: int, raw: bytes) -> None:
    with smtplib.SMTP("127.0.0.1", port, timeout=5) as smtp:
        smtp.sendmail("seojun@example.net", ["support+c9@example.com"], raw)


async def drain(session_factory: async_sessionmaker[AsyncSession]) -> None:
    registry = SubscriberRegistry()
    ChannelJobs(ADAPTERS, CIPHER).register(registry)
    await Dispatcher(session_factory, registry).drain()


async def test_mail_to_our_smtp_receiver_becomes_one_message(
        session: AsyncSession, owner: Persona,
        session_factory: async_sessionmaker[AsyncSession]) -> None:
    await connect(session, owner)
    handler = InboundSmtpHandler(smtp_sink(session_factory, adapter=ADAPTERS["email"],
                                           cipher=CIPHER), {"example.com"})
    port = free_port()
    server = await start_smtp_server(handler, host="127.0.0.1", port=port)
    try:
        raw = fixture_bytes("email", "naver_mail_euc_kr.eml")
        for _ in range(2):  # the sending MTA retried after a lost 250
            await asyncio.to_thread(send, port, raw)
    finally:
        server.close()
        await server.wait_closed()
    assert await session.scalar(select(func.count(InboundEvent.id))) == 1
    await drain(session_factory)
    message = await session.scalar(select(Message))
    assert message.text == "배송지를 변경하고 싶습니다." and message.channel == "email"


async def test_the_imap_poller_stores_new_mail_and_remembers_its_cursor(
        session: AsyncSession, owner: Persona,
        session_factory: async_sessionmaker[AsyncSession]) -> None:
    box = FakeMailbox(messages={11: fixture_bytes("email", "gmail_reply_utf8.eml"),
                                12: fixture_bytes("email", "auto_reply.eml")})
    with serve_imap(box) as port:
        await connect(session, owner, port)
        assert await poll_all_mailboxes(session_factory, adapter=ADAPTERS["email"],
                                        cipher=CIPHER) == 2
        assert await poll_all_mailboxes(session_factory, adapter=ADAPTERS["email"],
                                        cipher=CIPHER) == 0
    connection = await session.scalar(select(Inbox))
    await session.refresh(connection)
    assert connection.state["imap"] == {"uidvalidity": 7, "last_uid": 12}
    await drain(session_factory)
    kinds = dict((await session.execute(select(InboundEvent.kind, InboundEvent.status))).all())
    assert kinds == {"message": "processed", "automated": "processed"}
    rows = (await session.execute(select(Message.author_kind, Message.is_private)
                                  .order_by(Message.id))).all()
    assert [tuple(r) for r in rows] == [("customer", False), ("system", True)]  # no reopen/ack
