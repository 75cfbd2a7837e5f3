"""Rotating the personal-data key re-encrypts every stored value; the old key then opens nothing."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from typer.testing import CliRunner

from omnidesk.app.cli import app
from omnidesk.config import get_settings
from omnidesk.core.pii.crypto import PiiCipher, derived_key, read_key_file
from omnidesk.domains.conversations.actions import do_receive_inbound
from omnidesk.domains.conversations.models import MessageSecret
from omnidesk.domains.conversations.schemas import InboundMessage
from omnidesk.domains.conversations.secret_actions import do_rotate_message_secrets
from tests.conftest import Persona


async def test_rotation_re_encrypts_every_stored_value(session: AsyncSession, owner: Persona) -> None:
    await do_receive_inbound(session, workspace_id=owner.workspace_id, inbound=InboundMessage(
        channel="web", identity_kind="web_visitor", identity_value="v-rot",
        text="주민번호 900101-1234568, 여권 M12345678"))
    await session.commit()
    before = {s.id: s.ciphertext for s in await session.scalars(select(MessageSecret))}
    assert len(before) == 2
    new_key = Fernet.generate_key()
    ring = PiiCipher([new_key, derived_key(get_settings().effective_secret_key)])
    assert await do_rotate_message_secrets(session, cipher=ring, batch=1) == 2
    await session.commit()
    only_new = PiiCipher([new_key])
    after = {s.id: s.ciphertext for s in await session.scalars(
        select(MessageSecret).execution_options(populate_existing=True))}
    assert after.keys() == before.keys() and not set(after.values()) & set(before.values())
    assert sorted(only_new.decrypt(t) for t in after.values()) == ["900101-1234568", "M12345678"]
    with pytest.raises(ValueError):
        PiiCipher([derived_key("another secret")]).decrypt(after[min(after)])


@pytest.fixture
def cli_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("OMNIDESK_DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}")
    get_settings.cache_clear()
    assert CliRunner().invoke(app, ["db", "upgrade"]).exit_code == 0
    yield tmp_path
    get_settings.cache_clear()


def test_the_cli_rotates_into_a_key_file_and_explains_a_missing_one(cli_database: Path) -> None:
    missing = CliRunner().invoke(app, ["pii", "rotate-key"])
    assert missing.exit_code != 0 and "OMNIDESK_PII_KEY_FILE" in missing.output
    path = cli_database / "pii.keys"
    first = CliRunner().invoke(app, ["pii", "rotate-key", "--key-file", str(path)])
    assert first.exit_code == 0, first.output
    key = read_key_file(path)
    second = CliRunner().invoke(app, ["pii", "rotate-key", "--key-file", str(path)])
    assert second.exit_code == 0 and read_key_file(path) != key and len(read_key_file(path)) == 1
