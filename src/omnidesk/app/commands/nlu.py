"""The `omnidesk nlu` commands: train, evaluate and try intent models."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.app.commands.runtime import fail, progress_bar, run_with_session
from omnidesk.domains.bot.service import shipped_training_rows
from omnidesk.domains.nlu.actions import do_store_model
from omnidesk.domains.nlu.classifier import (
    IntentModel,
    TrainingError,
    train_intent_model,
)
from omnidesk.domains.nlu.dataset import DatasetError, load_labelled_csv
from omnidesk.domains.nlu.evaluation import train_and_evaluate
from omnidesk.domains.workspaces.service import get_workspace_by_slug

app = typer.Typer(help="Train, evaluate and try intent models.", no_args_is_help=True)
stdout = Console()
stderr = Console(stderr=True)

TrainOption = Annotated[Path, typer.Option("--train", help="Labelled CSV to train on.")]
TestOption = Annotated[Path, typer.Option("--test", help="Labelled CSV to evaluate on.")]
JsonOption = Annotated[bool, typer.Option("--json", help="Print one JSON object on stdout.")]
ModelOption = Annotated[Path, typer.Option("--model", help="A model written by `nlu train`.")]


@app.command("eval")
def eval_command(train: TrainOption, test: TestOption, as_json: JsonOption = False) -> None:
    """Train on TRAIN, evaluate on TEST and print accuracy, macro F1 and OOS figures."""
    with _clean_errors():
        train_rows, test_rows = load_labelled_csv(train), load_labelled_csv(test)
        if as_json:
            metrics = train_and_evaluate(train_rows, test_rows)
            typer.echo(json.dumps(metrics, ensure_ascii=False))
            return
        with progress_bar(stderr) as report:
            metrics = train_and_evaluate(train_rows, test_rows, progress=report)
        stdout.print(_metrics_table(metrics))


@app.command("train")
def train_command(
    data: Annotated[Path | None, typer.Option(
        "--data", help="Labelled CSV (text + intent); default: the shipped demo-store intents.")
    ] = None,
    out: Annotated[Path | None, typer.Option("--out", help="Write the model bytes here.")] = None,
    workspace: Annotated[str | None, typer.Option(
        "--workspace", help="Store the model as this workspace's next active version.")] = None,
) -> None:
    """Train an intent model; write it to OUT and/or store it for a WORKSPACE."""
    if out is None and workspace is None:
        stderr.print("[red]error:[/red] give --out FILE, --workspace SLUG, or both")
        raise typer.Exit(code=2)
    with _clean_errors():
        texts, labels = _training_rows(data)
        with progress_bar(stderr) as report:
            model = train_intent_model(texts, labels, progress=report)
        figures = ", ".join(f"{k}={_fmt(v)}" for k, v in model.metrics.items())
        if out is not None:
            out.write_bytes(model.to_bytes())
            stderr.print(f"wrote {out} ({len(model.labels)} intents, version {model.version})")
        if workspace is not None:
            version = _store(workspace, model, str(data) if data else "shipped")
            stderr.print(f"stored version {version} for workspace {workspace} (active)")
        stderr.print(figures)


def _training_rows(data: Path | None) -> tuple[list[str], list[str]]:
    if data is not None:
        rows = load_labelled_csv(data)
        return list(rows.texts), list(rows.labels)
    shipped = shipped_training_rows()
    return [r["text"] for r in shipped], [r["intent"] for r in shipped]


def _store(slug: str, model: IntentModel, source: str) -> int:
    async def work(session: AsyncSession) -> int:
        ws = await get_workspace_by_slug(session, slug=slug)
        if ws is None:
            fail(f"no workspace {slug!r}")
            raise AssertionError  # fail() exits
        row = await do_store_model(session, workspace_id=ws.id, model=model, source=source)
        await session.commit()
        return row.version

    return run_with_session(work)


@app.command("predict")
def predict_command(
    model: ModelOption,
    text: Annotated[str, typer.Argument(help="The message to classify.")],
    as_json: JsonOption = False,
) -> None:
    """Classify one message with a trained model."""
    with _clean_errors():
        if not model.is_file():
            raise DatasetError(f"file not found: {model}")
        try:
            intent_model = IntentModel.from_bytes(model.read_bytes())
        except Exception as error:
            raise DatasetError(f"{model} is not an omnidesk intent model: {error}") from error
        prediction = intent_model.predict(text)
        if as_json:
            typer.echo(json.dumps(prediction.__dict__, ensure_ascii=False))
            return
        flag = " (out of scope)" if prediction.is_oos else ""
        stdout.print(
            f"[bold]{prediction.intent}[/bold]{flag}  confidence {prediction.confidence:.3f}"
        )
        for label, probability in prediction.top:
            stdout.print(f"  {label:<30} {probability:.3f}")


@contextmanager
def _clean_errors() -> Iterator[None]:
    try:
        yield
    except (DatasetError, TrainingError, OSError) as error:
        stderr.print(f"[red]error:[/red] {error}")
        raise typer.Exit(code=2) from None


def _metrics_table(metrics: dict[str, Any]) -> Table:
    table = Table(title="intent model evaluation")
    table.add_column("metric")
    table.add_column("value", justify="right")
    for name, value in metrics.items():
        table.add_row(name, _fmt(value))
    return table


def _fmt(value: Any) -> str:
    if value is None:
        return "-"
    return f"{value:.4f}" if isinstance(value, float) else str(value)
