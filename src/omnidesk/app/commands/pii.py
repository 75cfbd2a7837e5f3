"""`omnidesk pii`: run the personal-data detector over JSONL files and score it on a corpus."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from cryptography.fernet import Fernet
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.app.commands.runtime import fail, run_with_session
from omnidesk.config import get_settings
from omnidesk.core.pii.crypto import PiiCipher, derived_key, read_key_file
from omnidesk.core.pii.evaluate import predict, score
from omnidesk.domains.conversations.secret_actions import do_rotate_message_secrets

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


def _write_keys(path: Path, keys: list[bytes]) -> None:
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text("".join(k.decode() + "\n" for k in keys), encoding="ascii")
    tmp.chmod(0o600)
    tmp.replace(path)


@app.command("rotate-key")
def rotate_key(
    key_file: Annotated[Path | None, typer.Option(
        help="Key file to rotate (default: OMNIDESK_PII_KEY_FILE); created when missing.")] = None,
) -> None:
    """Make a new encryption key for personal data and re-encrypt every stored value with it."""
    settings = get_settings()
    path = key_file or settings.pii_key_file
    if path is None:
        fail("set OMNIDESK_PII_KEY_FILE or pass --key-file: the new key needs a file to live in")
    try:
        old_keys = read_key_file(path) if path.exists() else []
    except ValueError as exc:
        fail(str(exc))
    new_key = Fernet.generate_key()
    ring = [new_key, *old_keys, derived_key(settings.effective_secret_key)]
    _write_keys(path, [new_key, *old_keys])  # old keys stay until every value is re-encrypted

    async def work(session: AsyncSession) -> int:
        count = await do_rotate_message_secrets(session, cipher=PiiCipher(ring))
        await session.commit()
        return count

    count = run_with_session(work)
    _write_keys(path, [new_key])
    typer.echo(f"re-encrypted {count} stored values; {path} now holds only the new key")
    if key_file and key_file != settings.pii_key_file:
        typer.echo(f"set OMNIDESK_PII_KEY_FILE={path} for the server and workers")
