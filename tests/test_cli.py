"""The `omnidesk` command: help, migrations, demo loading and the store import."""

from __future__ import annotations

import importlib
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from omnidesk.app.cli import LAZY, app
from omnidesk.config import get_settings
from tests.conftest import SHARED_DATA
from tests.import_probe import imports_of, packages

runner = CliRunner()


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """Point the CLI at a fresh SQLite file and migrate it."""
    url = f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("OMNIDESK_DATABASE_URL", url)
    get_settings.cache_clear()
    result = runner.invoke(app, ["db", "upgrade"])
    assert result.exit_code == 0, result.output
    yield url
    get_settings.cache_clear()


def test_help_lists_the_commands() -> None:
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    for command in ("serve", "worker", "db", "demo", "import", "admin", "outbox", "nlu", "kb",
                    "simulate"):
        assert command in result.output, command


def test_the_store_import_loads_the_shared_store_export(database: str) -> None:
    store = SHARED_DATA / "tau_retail"
    if not store.exists():
        pytest.skip(f"{store} is absent (the shared data folder is not checked out here)")
    assert runner.invoke(app, ["admin", "create-workspace", "shop", "Shop"]).exit_code == 0
    result = runner.invoke(app, ["import", "store", str(store), "--workspace", "shop"])
    assert result.exit_code == 0, result.output
    assert "imported 500 customers, 50 products, 1000 orders" in result.output
    again = runner.invoke(app, ["import", "store", str(store), "--workspace", "shop"])
    assert again.exit_code == 0 and "500 customers" in again.output


def test_a_bad_import_path_is_a_clear_error(database: str, tmp_path: Path) -> None:
    result = runner.invoke(app, ["import", "store", str(tmp_path / "nope")])
    assert result.exit_code == 1
    assert "is not a folder" in result.output
    (tmp_path / "shop").mkdir()
    (tmp_path / "shop" / "users.json").write_text("{not json")
    (tmp_path / "shop" / "orders.json").write_text("{}")
    (tmp_path / "shop" / "products.json").write_text("{}")
    result = runner.invoke(app, ["import", "store", str(tmp_path / "shop")])
    assert result.exit_code == 1 and "not valid JSON" in result.output


def test_creating_a_token_for_an_unknown_workspace_fails_cleanly(database: str) -> None:
    result = runner.invoke(app, ["admin", "create-token", "--workspace", "ghost"])
    assert result.exit_code == 1 and "no workspace with slug 'ghost'" in result.output


def test_help_imports_no_domain_code_scikit_learn_or_the_korean_analyser() -> None:
    """`omnidesk --help` answers at once: the command groups are imported when one runs."""
    printed, modules = imports_of("from omnidesk.app.cli import app\n"
                                  "try:\n    app(['--help'])\nexcept SystemExit:\n    pass",
                                  COLUMNS="120")
    assert "Commands" in printed and "simulate" in printed
    for heavy in ("sklearn", "kiwipiepy", "numpy", "scipy", "fastapi", "asyncpg", "sqlalchemy",
                  "pydantic_settings", "asyncio"):
        assert heavy not in packages(modules), heavy
    assert not [m for m in modules if m.startswith(("omnidesk.domains", "omnidesk.channels"))]


def test_the_app_imports_without_scikit_learn_numpy_or_the_korean_analyser() -> None:
    """The models load in the background after the server listens (the bot's warm-up)."""
    _, modules = imports_of("import omnidesk.app.main")
    for heavy in ("sklearn", "kiwipiepy", "numpy", "scipy", "joblib"):
        assert heavy not in packages(modules), heavy


@pytest.mark.parametrize("env", [
    {"OMNIDESK_DATABASE_URL": "postgresql+asyncpg://u@h/db"},
    {"OMNIDESK_DATABASE_URL": "sqlite+aiosqlite:///x.db", "OMNIDESK_REDIS_URL": "redis://h"},
])
def test_serving_with_several_workers_needs_redis_and_postgresql(
        env: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OMNIDESK_REDIS_URL", raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    get_settings.cache_clear()
    try:
        result = runner.invoke(app, ["serve", "--workers", "2"])
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 2
    assert "needs OMNIDESK_REDIS_URL" in result.output


def test_each_lazy_group_runs_with_every_model_mapped_in_a_fresh_process() -> None:
    probe = ("import sys\nfrom sqlalchemy.orm import configure_mappers\n"
             "from omnidesk.app.cli import load_lazy\n"
             "load_lazy(sys.argv[1])\nconfigure_mappers()\n")
    for name in ("demo", "admin", "report"):  # modules that import a few domains only
        done = subprocess.run([sys.executable, "-c", probe, name], check=False,
                              capture_output=True, text=True)
        assert done.returncode == 0, (name, done.stderr[-2000:])


def test_each_lazy_group_is_listed_with_its_own_help_and_runs() -> None:
    for name, (module, attribute, help_text) in LAZY.items():
        target = getattr(importlib.import_module(module), attribute)
        own = target.info.help if isinstance(target, typer.Typer) else help_text
        assert own == help_text, name
        result = runner.invoke(app, [name, "--help"], terminal_width=120)
        assert result.exit_code == 0, (name, result.output)
        assert help_text.split(":")[0] in result.output, name
    listed = runner.invoke(app, ["events", "list", "--json"])  # a group of one command stays a group
    assert listed.exit_code == 0 and '"name"' in listed.output
