"""The `omnidesk kb` commands: evaluate search, import, export and reindex the knowledge base."""

from __future__ import annotations

import asyncio
import json
import tempfile
from pathlib import Path
from typing import Annotated

import typer
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.app.commands.runtime import fail, print_json, print_table, run_with_session
from omnidesk.core.context import system_actor
from omnidesk.domains.knowledge.search.evaluation import DEFAULT_QUERIES, evaluate, read_queries

app = typer.Typer(help="Knowledge base: search evaluation, import, export, reindex.",
                  no_args_is_help=True)
WorkspaceOption = Annotated[str, typer.Option(help="Workspace slug")]
JsonOption = Annotated[bool, typer.Option("--json", help="Print one JSON object on stdout.")]


async def _workspace_id(session: AsyncSession, slug: str) -> int:
    from omnidesk.domains.workspaces.service import get_workspace_by_slug

    ws = await get_workspace_by_slug(session, slug=slug)
    if ws is None:
        fail(f"no workspace {slug!r}; run `omnidesk demo load` first, or use --demo")
    return ws.id


async def _evaluate_on_demo(queries: list) -> dict:
    """Load the demo knowledge base into a throwaway SQLite database and evaluate there."""
    from omnidesk.all_models import metadata
    from omnidesk.core.db import create_engine, create_session_factory
    from omnidesk.demo.knowledge import load_demo_articles
    from omnidesk.domains.workspaces.actions import do_create_workspace
    from omnidesk.domains.workspaces.schemas import WorkspaceCreate

    with tempfile.TemporaryDirectory() as folder:
        engine = create_engine(f"sqlite+aiosqlite:///{folder}/kb-eval.db")
        try:
            async with engine.begin() as conn:
                await conn.run_sync(metadata.create_all)
            async with create_session_factory(engine)() as session:
                ws = await do_create_workspace(session, workspace_in=WorkspaceCreate(
                    slug="hanbit", name="한빛리빙"))
                await load_demo_articles(session, ws.id)
                await session.commit()
                report = await evaluate(session, workspace_id=ws.id, queries=queries)
                return report.as_dict()
        finally:
            await engine.dispose()


@app.command("eval")
def eval_command(
    queries: Annotated[Path, typer.Option("--queries", help="CSV: query,expected_article_slug")]
    = DEFAULT_QUERIES,
    as_json: JsonOption = False,
    workspace: WorkspaceOption = "hanbit",
    demo: Annotated[bool, typer.Option(help="Evaluate on a fresh copy of the demo KB")] = False,
) -> None:
    """Print recall@1, recall@5 and MRR of the public search over labelled queries."""
    if not queries.exists():
        fail(f"{queries} does not exist")
    labelled = read_queries(queries.read_text(encoding="utf-8"))
    if demo:
        result = asyncio.run(_evaluate_on_demo(labelled))
    else:
        async def work(session: AsyncSession) -> dict:
            ws_id = await _workspace_id(session, workspace)
            return (await evaluate(session, workspace_id=ws_id, queries=labelled)).as_dict()

        result = run_with_session(work)
    if as_json:
        print_json(result)
        return
    print_table("knowledge search", ["queries", "recall@1", "recall@5", "MRR"],
                [[result["queries"], result["recall_at_1"], result["recall_at_5"], result["mrr"]]])


@app.command("import")
def import_command(
    path: Annotated[Path, typer.Argument(help="Folder or .zip of .md files, FAQ .csv or Zendesk .json")],
    workspace: WorkspaceOption = "hanbit",
    locale: Annotated[str, typer.Option(help="Locale for files that do not say")] = "ko",
) -> None:
    """Import and publish articles: markdown folder or zip, FAQ CSV (question,answer), Zendesk JSON."""
    from omnidesk.domains.knowledge.io import importing

    if not path.exists():
        fail(f"{path} does not exist")

    async def work(session: AsyncSession) -> dict:
        actor = system_actor(await _workspace_id(session, workspace))
        if path.is_dir():
            report = await importing.import_markdown_folder(session, actor=actor, folder=path,
                                                            default_locale=locale)
        elif path.suffix.lower() == ".zip":
            report = await importing.import_markdown_zip(
                session, actor=actor, data=path.read_bytes(), default_locale=locale)
        elif path.suffix.lower() == ".csv":
            report = await importing.import_faq_csv(
                session, actor=actor, data=path.read_text(encoding="utf-8"), locale=locale)
        elif path.suffix.lower() == ".json":
            report = await importing.import_zendesk(
                session, actor=actor, export=json.loads(path.read_text(encoding="utf-8")))
        else:
            fail("give a folder, a .zip, a .csv or a .json file")
        await session.commit()
        return vars(report)

    print_json(run_with_session(work))


@app.command("export")
def export_command(
    folder: Annotated[Path, typer.Argument(help="Folder to write <locale>/<slug>.md files into")],
    workspace: WorkspaceOption = "hanbit",
) -> None:
    """Export every article, the category tree and synonyms (re-importable with `kb import`)."""
    from omnidesk.domains.knowledge.io.exporting import export_knowledge_base

    async def work(session: AsyncSession) -> int:
        ws_id = await _workspace_id(session, workspace)
        return await export_knowledge_base(session, workspace_id=ws_id, folder=folder)

    count = run_with_session(work)
    typer.echo(f"exported {count} articles to {folder}")


@app.command("reindex")
def reindex_command(workspace: WorkspaceOption = "hanbit") -> None:
    """Rebuild a workspace's search index from its published article versions."""
    from omnidesk.domains.knowledge.index.maintenance import reindex_workspace

    async def work(session: AsyncSession) -> int:
        ws_id = await _workspace_id(session, workspace)
        count = await reindex_workspace(session, workspace_id=ws_id)
        await session.commit()
        return count

    typer.echo(f"reindexed {run_with_session(work)} published articles")
