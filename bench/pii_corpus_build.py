"""Build tests/data/NAME.jsonl from the hand-written, marked-up tests/data/NAME.txt
(NAME: pii_corpus, the default, or a holdout such as pii_holdout3).

Markup: {{TYPE|value}} around each value; "\\n" is a line break; lines after "## negatives" are
hard negatives. Card numbers get a correct Luhn check digit and IBANs correct check digits here,
so the corpus can be written by hand without computing checksums. Run:
    python bench/pii_corpus_build.py [NAME]
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "tests" / "data"
MARK = re.compile(r"\{\{([A-Z_]+)\|(.+?)\}\}", re.DOTALL)


def _set_digit(value: str, index: int, digit: int) -> str:
    char = value[index]
    new = chr(0xFF10 + digit) if "\uff10" <= char <= "\uff19" else str(digit)
    return value[:index] + new + value[index + 1:]


def _luhn_fix(value: str) -> str:
    places = [i for i, c in enumerate(value) if c.isdigit()]
    nums = [int(c) if c.isascii() else ord(c) - 0xFF10 for c in (value[i] for i in places)]
    total = 0
    for i, digit in enumerate(reversed(nums[:-1])):
        if i % 2 == 0:
            digit = digit * 2 - 9 if digit > 4 else digit * 2
        total += digit
    return _set_digit(value, places[-1], (10 - total % 10) % 10)


def _iban_fix(value: str) -> str:
    if not re.match(r"[A-Z]{2}\d{2}", value):
        return value
    raw = value.replace(" ", "")
    number = int("".join(str(int(c, 36)) for c in raw[4:] + raw[:2] + "00"))
    check = f"{98 - number % 97:02d}"
    return value[:2] + check + value[4:]


def parse(line: str, negative: bool) -> dict[str, object]:
    """Turn one marked-up line into {"text", "spans", "negative"}."""
    line = line.replace("\\n", "\n")
    text, spans, cursor = "", [], 0
    for match in MARK.finditer(line):
        kind, value = match.group(1), match.group(2)
        if kind == "CARD" and any(c.isdigit() for c in value):
            value = _luhn_fix(value)
        if kind == "ACCOUNT":
            value = _iban_fix(value)
        text += line[cursor: match.start()]
        spans.append({"start": len(text), "end": len(text) + len(value), "type": kind})
        text += value
        cursor = match.end()
    text += line[cursor:]
    return {"text": text, "spans": spans, "negative": negative}


def main(name: str = "pii_corpus") -> None:
    """Write the JSONL corpus and print how many lines and spans of each type it holds."""
    rows, negative = [], False
    for raw in (DATA / f"{name}.txt").read_text(encoding="utf-8").splitlines():
        if raw.startswith("## negatives"):
            negative = True
        if not raw.strip() or raw.startswith("#"):
            continue
        rows.append(parse(raw, negative))
    with (DATA / f"{name}.jsonl").open("w", encoding="utf-8") as out:
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    counts: dict[str, int] = {}
    for row in rows:
        for span in row["spans"]:  # type: ignore[attr-defined]
            counts[span["type"]] = counts.get(span["type"], 0) + 1
    print(f"{len(rows)} lines, {sum(1 for r in rows if r['negative'])} hard negatives; spans {counts}")


if __name__ == "__main__":
    main(*sys.argv[1:2])
