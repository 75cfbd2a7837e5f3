"""Connecting channels: the admin API and the CLI validate settings and never echo secrets."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from omnidesk.app.cli import app
from omnidesk.config import get_settings
from tests.channels.contract_configs import CONFIGS
from tests.conftest import Persona

TELEGRAM = {"bot_token": "123456:super-secret-bot-token", "secret_token": "tg_hook_secret"}
runner = CliRunner()


async def test_an_admin_connects_a_channel_and_sees_its_webhook_but_no_secret(
        client: httpx.AsyncClient, owner: Persona) -> None:
    answer = await client.put("/api/v1/channels/telegram", headers=owner.headers,
                              json={"name": "Shop bot", "settings": TELEGRAM})
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["webhook_url"] == \
        f"http://127.0.0.1:8000/webhooks/telegram/{body['public_key']}"
    assert body["settings"]["bot_token"] == "********"
    assert "super-secret" not in answer.text and "tg_hook_secret" not in answer.text
    listed = await client.get("/api/v1/channels", headers=owner.headers)
    assert [c["kind"] for c in listed.json()] == ["telegram"]
    assert "super-secret" not in listed.text


async def test_bad_settings_are_a_422_naming_the_field(client: httpx.AsyncClient,
                                                        owner: Persona) -> None:
    answer = await client.put("/api/v1/channels/voice", headers=owner.headers,
                              json={"settings": {**CONFIGS["voice"], "from_number": "010"}})
    assert answer.status_code == 422
    assert answer.json()["message"].startswith("invalid voice settings: from_number:")
    unknown = await client.put("/api/v1/channels/fax", headers=owner.headers,
                               json={"settings": {}})
    assert unknown.status_code == 404


async def test_other_workspaces_never_see_a_connection(client: httpx.AsyncClient,
                                                       owner: Persona,
                                                       outsider: Persona) -> None:
    await client.put("/api/v1/channels/telegram", headers=owner.headers,
                     json={"settings": TELEGRAM})
    assert (await client.get("/api/v1/channels", headers=outsider.headers)).json() == []


@pytest.fixture
def cli_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("OMNIDESK_DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}")
    get_settings.cache_clear()
    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
    assert runner.invoke(app, ["admin", "create-workspace", "shop", "Shop"]).exit_code == 0
    yield tmp_path
    get_settings.cache_clear()


def test_the_cli_connects_from_a_settings_file_and_lists_without_secrets(
        cli_database: Path) -> None:
    settings_file = cli_database / "telegram.json"
    settings_file.write_text(json.dumps(TELEGRAM))
    result = runner.invoke(app, ["channels", "connect", "telegram", "--workspace", "shop",
                                 "--settings-file", str(settings_file)])
    assert result.exit_code == 0, result.output
    inbox = json.loads(result.stdout)
    assert inbox["webhook_url"].endswith(f"/webhooks/telegram/{inbox['public_key']}")
    listed = runner.invoke(app, ["channels", "list", "--workspace", "shop"])
    assert listed.exit_code == 0 and "telegram" in listed.stdout
    assert "super-secret" not in result.output + listed.output
    settings_file.write_text(json.dumps({"bot_token": "x"}))
    bad = runner.invoke(app, ["channels", "connect", "telegram", "--workspace", "shop",
                              "--settings-file", str(settings_file)])
    assert bad.exit_code == 1 and "secret_token" in bad.output
