"""The `omnidesk kb` commands: import, eval, export and reindex against a SQLite file."""

from __future__ import annotations

import asyncio
import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from omnidesk.all_models import metadata
from omnidesk.app.cli import app
from omnidesk.config import get_settings
from omnidesk.core.db import create_engine, create_session_factory
from omnidesk.demo.knowledge import DEMO_FOLDER
from omnidesk.domains.workspaces.actions import do_create_workspace
from omnidesk.domains.workspaces.schemas import WorkspaceCreate

runner = CliRunner()


async def _prepare(url: str) -> None:
    engine = create_engine(url)
    async with engine.begin() as conn:
        await conn.run_sync(metadata.create_all)
    async with create_session_factory(engine)() as session:
        await do_create_workspace(session, workspace_in=WorkspaceCreate(slug="hanbit", name="H"))
        await session.commit()
    await engine.dispose()


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """Point the CLI at a fresh SQLite file with the schema and a 'hanbit' workspace."""
    url = f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("OMNIDESK_DATABASE_URL", url)
    get_settings.cache_clear()
    asyncio.run(_prepare(url))
    yield url
    get_settings.cache_clear()


def test_import_eval_export_and_reindex(database: str, tmp_path: Path) -> None:
    source = tmp_path / "articles"
    for name in ("ko/installation-no-show.md", "ko/refund-timeline.md", "en/refund-timeline.md"):
        (source / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(DEMO_FOLDER / name, source / name)
    imported = runner.invoke(app, ["kb", "import", str(source)])
    assert imported.exit_code == 0, imported.output
    assert json.loads(imported.output)["created"] == 3

    queries = tmp_path / "queries.csv"
    queries.write_text("query,expected_article_slug\n설치 기사님이 안왔어요,installation-no-show\n"
                       "환불 언제 돼요,refund-timeline\nwhen is my refund,refund-timeline\n"
                       "포인트 소멸,points\n", encoding="utf-8")
    evaluated = runner.invoke(app, ["kb", "eval", "--queries", str(queries), "--json"])
    assert evaluated.exit_code == 0, evaluated.output
    figures = json.loads(evaluated.output)
    assert (figures["queries"], figures["recall_at_1"], figures["recall_at_5"]) == (4, 0.75, 0.75)
    assert figures["mrr"] == 0.75 and figures["misses"][0]["query"] == "포인트 소멸"

    exported = runner.invoke(app, ["kb", "export", str(tmp_path / "out")])
    assert exported.exit_code == 0 and "exported 3 articles" in exported.output
    assert (tmp_path / "out" / "en" / "refund-timeline.md").exists()
    reindexed = runner.invoke(app, ["kb", "reindex"])
    assert reindexed.exit_code == 0 and "reindexed 3" in reindexed.output


def test_eval_needs_the_workspace(database: str, tmp_path: Path) -> None:
    result = runner.invoke(app, ["kb", "eval", "--workspace", "nope", "--json"])
    assert result.exit_code == 1 and "no workspace 'nope'" in result.output
