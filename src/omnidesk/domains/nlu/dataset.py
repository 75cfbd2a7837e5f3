"""Read labelled utterances (a ``text`` column and an intent label column) from CSV files."""

from __future__ import annotations

import csv
import random
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

LABEL_COLUMNS = ("intent", "category", "label")


class DatasetError(ValueError):
    """A labelled CSV file is missing, empty or lacks the needed columns."""


@dataclass(frozen=True)
class LabelledRows:
    """Texts with their labels, in file order."""

    texts: list[str]
    labels: list[str]
    label_column: str = "intent"

    def __len__(self) -> int:
        return len(self.texts)


def load_labelled_csv(path: Path | str) -> LabelledRows:
    """Load ``text`` and the first of intent/category/label columns; skip rows without either."""
    path = Path(path)
    if not path.is_file():
        raise DatasetError(f"file not found: {path}")
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            columns = [name.strip().lower() for name in reader.fieldnames or []]
            rows = [{_key(k): v for k, v in row.items() if k is not None} for row in reader]
    except (UnicodeDecodeError, csv.Error) as error:
        raise DatasetError(f"cannot read {path} as UTF-8 CSV: {error}") from error
    if not columns:
        raise DatasetError(f"{path} is empty")
    label_column = next((name for name in LABEL_COLUMNS if name in columns), None)
    if "text" not in columns or label_column is None:
        wanted = "/".join(LABEL_COLUMNS)
        raise DatasetError(f"{path} needs a 'text' column and a label column ({wanted})")
    texts, labels = [], []
    for row in rows:
        text, label = (row.get("text") or "").strip(), (row.get(label_column) or "").strip()
        if text and label:
            texts.append(text)
            labels.append(label)
    if not texts:
        raise DatasetError(f"{path} has no labelled rows")
    return LabelledRows(texts, labels, label_column)


def stratified_holdout(
    rows: LabelledRows, *, test_share: float = 0.2, seed: int = 7
) -> tuple[LabelledRows, LabelledRows]:
    """Split rows into train and test keeping each label's share (at least one train row each)."""
    by_label: dict[str, list[int]] = defaultdict(list)
    for index, label in enumerate(rows.labels):
        by_label[label].append(index)
    rng = random.Random(seed)
    train_rows: list[int] = []
    test_rows: list[int] = []
    for label in sorted(by_label):
        indexes = by_label[label]
        rng.shuffle(indexes)
        n_test = min(len(indexes) - 2, round(len(indexes) * test_share)) if len(indexes) > 2 else 0
        test_rows.extend(indexes[:n_test])
        train_rows.extend(indexes[n_test:])
    return _subset(rows, sorted(train_rows)), _subset(rows, sorted(test_rows))


def write_labelled_csv(rows: LabelledRows, path: Path | str) -> None:
    """Write rows as a ``text,intent`` CSV file."""
    with Path(path).open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["text", "intent"])
        writer.writerows(zip(rows.texts, rows.labels, strict=True))


def _subset(rows: LabelledRows, indexes: list[int]) -> LabelledRows:
    texts = [rows.texts[i] for i in indexes]
    labels = [rows.labels[i] for i in indexes]
    return LabelledRows(texts, labels, rows.label_column)


def _key(name: str) -> str:
    return name.strip().lower()
