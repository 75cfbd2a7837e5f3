"""A real IMAP server (Debian's dovecot) polled by the running product's schedule."""

from __future__ import annotations

import imaplib
import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from omnidesk.app.subscribers import build_registry
from omnidesk.channels.crypto import SettingsCipher
from omnidesk.channels.email.receiving import poll_each_mailbox
from omnidesk.channels.inbox_port import do_connect_inbox
from omnidesk.channels.registry import build_registry as build_adapters
from omnidesk.config import Settings
from omnidesk.core.dispatcher import Dispatcher, DispatcherConfig
from omnidesk.domains.conversations.models import Conversation, InboundEvent, Message
from omnidesk.domains.customers.models import Customer
from tests.channels.conftest import fixture_bytes
from tests.channels.fake_provider import free_port
from tests.conftest import Persona

DOVECOT = Path("/usr/sbin/dovecot")
USER, PASSWORD = "support@example.com", "imap-pass"
CONFIG = """protocols = imap
listen = 127.0.0.1
base_dir = {root}/run
state_dir = {root}/run
log_path = {root}/dovecot.log
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain
mail_location = maildir:{root}/mail/%u
first_valid_uid = 1
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/passwd
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={root}/mail/%u
}}
"""


@dataclass(frozen=True)
class Dovecot:
    """A running dovecot: where it listens and how to reach its one mailbox."""

    port: int

    def append(self, raw: bytes) -> None:
        """Deliver a mail into INBOX with IMAP APPEND."""
        client = imaplib.IMAP4("127.0.0.1", self.port, timeout=5)
        try:
            client.login(USER, PASSWORD)
            status, _ = client.append("INBOX", None, None, raw)
            assert status == "OK"
        finally:
            client.logout()


def _wait_for_port(port: int, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"dovecot exited: {log.read_text() if log.exists() else ''}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError("dovecot did not open its port within 10 s")


@pytest.fixture
def dovecot() -> Iterator[Dovecot]:
    """Run dovecot on a free port with a passwd-file user and a maildir in a temp dir."""
    if not DOVECOT.exists():
        pytest.skip("dovecot is not installed (/usr/sbin/dovecot; `make` installs dovecot-imapd)")
    root = Path(tempfile.mkdtemp(prefix="omnidesk-dovecot-"))
    root.chmod(0o755)  # mail processes run unprivileged (nobody when tests run as root)
    (root / "mail").mkdir(mode=0o777)
    (root / "mail").chmod(0o777)
    (root / "passwd").write_text(f"{USER}:{{PLAIN}}{PASSWORD}\n")
    uid, gid = (65534, 65534) if os.getuid() == 0 else (os.getuid(), os.getgid())
    port = free_port()
    (root / "dovecot.conf").write_text(CONFIG.format(root=root, port=port, uid=uid, gid=gid))
    process = subprocess.Popen([str(DOVECOT), "-F", "-c", str(root / "dovecot.conf")],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait_for_port(port, process, root / "dovecot.log")
        yield Dovecot(port)
    finally:
        process.terminate()
        process.wait(timeout=10)
        shutil.rmtree(root, ignore_errors=True)


async def connect(session: AsyncSession, workspace_id: int, port: int) -> None:
    await do_connect_inbox(
        session, workspace_id=workspace_id, adapter=build_adapters()["email"], name="Support",
        cipher=SettingsCipher("test-secret"),
        settings={"address": "support@example.com", "message_id_domain": "mail.example.com",
                  "imap": {"host": "127.0.0.1", "port": port, "use_ssl": False,
                           "username": USER, "password": PASSWORD}})
    await session.commit()


async def test_the_imap_schedule_turns_a_korean_mail_on_dovecot_into_one_conversation(
        dovecot: Dovecot, session: AsyncSession, owner: Persona, outsider: Persona,
        settings: Settings, session_factory: async_sessionmaker[AsyncSession]) -> None:
    await connect(session, outsider.workspace_id, free_port())  # nothing listens: it fails
    await connect(session, owner.workspace_id, dovecot.port)
    dovecot.append(fixture_bytes("email", "naver_mail_euc_kr.eml"))
    await Dispatcher(session_factory, build_registry(settings),
                     DispatcherConfig(backoff_base_seconds=0)).drain()
    [customer] = (await session.scalars(select(Customer))).all()
    [conversation] = (await session.scalars(select(Conversation))).all()
    [message] = (await session.scalars(select(Message))).all()
    assert customer.email == "seojun@example.net" and customer.name == "박서준"
    assert conversation.workspace_id == owner.workspace_id and conversation.subject == "배송지 변경"
    assert message.text == "배송지를 변경하고 싶습니다." and message.channel == "email"
    assert "주문이 접수되었습니다" in message.meta["quoted"]
    async with session_factory() as again:
        assert await poll_each_mailbox(again, adapter=build_adapters()["email"],
                                       cipher=SettingsCipher("test-secret")) == 0
        await again.commit()
    assert await session.scalar(select(func.count(InboundEvent.id))) == 1
