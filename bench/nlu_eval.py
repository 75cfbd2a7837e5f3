"""Measure the intent classifier on the shared data sets (a benchmark, not a test).

Test splits are held back, so every figure comes from training data only: kointent by 5-fold
cross-validation, banking77 by a stratified 20 % holdout of train, clinc150 trained on train and
scored on val. Run: ``.venv/bin/python bench/nlu_eval.py [kointent|banking77|clinc150 ...]``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.model_selection import StratifiedKFold

from omnidesk.domains.nlu.dataset import LabelledRows, load_labelled_csv, stratified_holdout
from omnidesk.domains.nlu.evaluation import train_and_evaluate

DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data"


def kfold(rows: LabelledRows, folds: int = 5) -> dict[str, Any]:
    """Average the evaluation figures over stratified k folds of one file."""
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=0)
    runs = []
    for train_rows, test_rows in splitter.split(rows.texts, rows.labels):
        train = _subset(rows, train_rows)
        test = _subset(rows, test_rows)
        runs.append(train_and_evaluate(train, test))
    keys = [key for key, value in runs[0].items() if isinstance(value, int | float)]
    return {key: round(float(np.mean([run[key] for run in runs])), 4) for key in keys}


def evaluate(name: str) -> dict[str, Any]:
    """Evaluate one data set the way the module docstring describes."""
    if name == "clinc150":
        return train_and_evaluate(
            load_labelled_csv(DATA / name / "train.csv"), load_labelled_csv(DATA / name / "val.csv")
        )
    rows = load_labelled_csv(DATA / name / "train.csv")
    if name == "kointent":
        return kfold(rows)
    train, test = stratified_holdout(rows, test_share=0.2, seed=7)
    return train_and_evaluate(train, test)


def main(names: list[str]) -> None:
    """Print one JSON line of figures per data set."""
    if not DATA.is_dir():
        sys.exit(f"shared data not found at {DATA}")
    for name in names or ["kointent", "banking77", "clinc150"]:
        print(json.dumps({"dataset": name, **evaluate(name)}), flush=True)


def _subset(rows: LabelledRows, indexes: np.ndarray) -> LabelledRows:
    return LabelledRows([rows.texts[i] for i in indexes], [rows.labels[i] for i in indexes])


if __name__ == "__main__":
    main(sys.argv[1:])
