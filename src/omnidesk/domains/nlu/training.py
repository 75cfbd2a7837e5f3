"""Train intent models from stored rows (dicts or pairs), reporting progress to a callback."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from omnidesk.domains.nlu.classifier import (
    IntentModel,
    ProgressCallback,
    TrainingError,
    train_intent_model,
)
from omnidesk.domains.nlu.dataset import LABEL_COLUMNS

Row = Mapping[str, Any] | tuple[str, str]


def split_rows(rows: Iterable[Row]) -> tuple[list[str], list[str]]:
    """Split rows into texts and labels; a mapping needs 'text' and intent/category/label."""
    texts: list[str] = []
    labels: list[str] = []
    for row in rows:
        text, label = _text_and_label(row)
        if text and label:
            texts.append(text)
            labels.append(label)
    if not texts:
        raise TrainingError("no labelled rows to train on")
    return texts, labels


def train_from_rows(
    rows: Iterable[Row], *, progress: ProgressCallback | None = None
) -> IntentModel:
    """Train an intent model from rows; ``progress(step, done, total)`` is called as it goes."""
    texts, labels = split_rows(rows)
    return train_intent_model(texts, labels, progress=progress)


def _text_and_label(row: Row) -> tuple[str, str]:
    if isinstance(row, tuple):
        text, label = row
        return str(text).strip(), str(label).strip()
    label_key = next((key for key in LABEL_COLUMNS if row.get(key)), None)
    if label_key is None:
        return str(row.get("text") or "").strip(), ""
    return str(row.get("text") or "").strip(), str(row[label_key]).strip()
