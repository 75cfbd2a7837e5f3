"""`omnidesk pii`: run the personal-data detector over JSONL files and score it on a corpus."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from omnidesk.core.pii.evaluate import predict, score

app = typer.Typer(help="Personal data: detect, score the detector, rotate the encryption key.")


def _read_lines(path: Path) -> list[dict[str, object]]:
    try:
        raw = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise typer.BadParameter(f"cannot read {path}: {exc}") from exc
    rows = []
    for number, line in enumerate(raw.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise typer.BadParameter(f"{path}:{number}: not JSON ({exc.msg})") from exc
        if not isinstance(row, dict) or not isinstance(row.get("text"), str):
            raise typer.BadParameter(f'{path}:{number}: each line needs a "text" string')
        rows.append(row)
    return rows


@app.command("detect")
def detect(
    file: Annotated[Path, typer.Argument(help="JSONL file; each line has a \"text\" field.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object per line.")] = False,
) -> None:
    """Print the personal data found in each line: {"spans": [{start, end, type}]}."""
    for row in _read_lines(file):
        spans = predict(str(row["text"]))
        if as_json:
            typer.echo(json.dumps({"spans": spans}, ensure_ascii=False))
        else:
            typer.echo(", ".join(f"{s['type']} {s['start']}-{s['end']}" for s in spans) or "-")


@app.command("eval")
def evaluate(
    file: Annotated[Path, typer.Argument(help="Labelled JSONL corpus (text, spans, negative).")],
    show_misses: Annotated[bool, typer.Option("--misses", help="List each miss.")] = False,
) -> None:
    """Print precision and recall per type and how many hard negatives were flagged."""
    report = score(_read_lines(file))
    typer.echo(f"{'type':<15}{'gold':>6}{'pred':>6}{'precision':>11}{'recall':>8}")
    for kind, tally in sorted(report.types.items()):
        typer.echo(f"{kind:<15}{tally.gold:>6}{tally.predicted:>6}{tally.precision:>11.3f}"
                   f"{tally.recall:>8.3f}")
    total = report.total
    typer.echo(f"{'ALL':<15}{total.gold:>6}{total.predicted:>6}{total.precision:>11.3f}"
               f"{total.recall:>8.3f}")
    typer.echo(f"hard negatives flagged: {len(report.negatives_flagged)} of {report.negatives}")
    if show_misses:
        for miss in report.misses:
            typer.echo(miss)
