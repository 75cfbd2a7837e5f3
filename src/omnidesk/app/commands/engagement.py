"""The `omnidesk engagement` commands: train and evaluate the contact-reason model."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.app.commands.runtime import fail, progress_bar, run_with_session
from omnidesk.domains.engagement.actions import do_train_contact_reason_model
from omnidesk.domains.engagement.prediction import CONFIDENT, PredictionError, evaluate
from omnidesk.domains.engagement.prediction_service import list_contacts
from omnidesk.domains.workspaces.models import Workspace
from omnidesk.domains.workspaces.service import get_workspace_by_slug

app = typer.Typer(help="Contact reasons predicted from behaviour: train, evaluate.",
                  no_args_is_help=True)
stdout = Console()
stderr = Console(stderr=True)
WorkspaceOption = Annotated[str, typer.Option("--workspace", help="The workspace's slug.")]


async def _workspace(session: AsyncSession, slug: str) -> Workspace:
    found = await get_workspace_by_slug(session, slug=slug)
    if found is None:
        fail(f"no workspace {slug!r}")
    assert found is not None  # fail() exits
    return found


@app.command("train")
def train_command(workspace: WorkspaceOption = "hanbit") -> None:
    """Train the workspace's contact-reason model on its history; store it as the next version."""
    async def work(session: AsyncSession) -> str:
        ws = await _workspace(session, workspace)
        with progress_bar(stderr) as report:
            try:
                row = await do_train_contact_reason_model(session, workspace_id=ws.id,
                                                          source="cli", progress=report)
            except PredictionError as error:
                fail(str(error))
        await session.commit()
        return (f"stored contact-reason model v{row.version} for {workspace} "
                f"({row.metrics.get('n_train')} contacts, {len(row.labels)} reasons, active)")

    typer.echo(run_with_session(work))


@app.command("eval")
def eval_command(workspace: WorkspaceOption = "hanbit") -> None:
    """Print top-1/top-3 accuracy on a time split (train on older contacts, test on newer)."""
    async def work(session: AsyncSession) -> dict[str, object]:
        ws = await _workspace(session, workspace)
        return {"contacts": await list_contacts(session, workspace_id=ws.id)}

    contacts = run_with_session(work)["contacts"]
    with progress_bar(stderr) as report:
        try:
            figures = evaluate(contacts, progress=report)  # type: ignore[arg-type]
        except PredictionError as error:
            fail(str(error))
    stdout.print(_table(workspace, figures))


def _table(workspace: str, figures: dict[str, object]) -> Table:
    table = Table(title=f"contact reason from behaviour · {workspace} · time split "
                        f"(train ≤ {str(figures['train_until'])[:10]}, "
                        f"test ≥ {str(figures['test_from'])[:10]})")
    for column in ("", "top-1", "top-3"):
        table.add_column(column, justify="right" if column else "left")
    table.add_row("model", _pct(figures["top1"]), _pct(figures["top3"]))
    table.add_row(f"baseline (most frequent: {figures['baseline_intent']})",
                  _pct(figures["baseline_top1"]), _pct(figures["baseline_top3"]))
    table.caption = (f"{figures['n_train']} training contacts, {figures['n_test']} test "
                     f"contacts, {figures['n_labels']} reasons; confident (≥ {CONFIDENT}) on "
                     f"{_pct(figures['confident_share'])}, of which right "
                     f"{_pct(figures['confident_top1'])}")
    return table


def _pct(value: object) -> str:
    return "-" if value is None else f"{float(value) * 100:.1f}%"  # type: ignore[arg-type]
