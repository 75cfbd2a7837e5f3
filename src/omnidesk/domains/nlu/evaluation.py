"""Measure an intent model on labelled rows: accuracy, macro F1, OOS figures and latency."""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

import numpy as np
from sklearn.metrics import f1_score

from omnidesk.domains.nlu.classifier import (
    OOS_LABEL,
    IntentModel,
    ProgressCallback,
    train_intent_model,
)
from omnidesk.domains.nlu.dataset import LabelledRows
from omnidesk.domains.nlu.features import clear_feature_cache

LATENCY_SAMPLE = 200


def evaluate_model(model: IntentModel, test: LabelledRows) -> dict[str, Any]:
    """Score a trained model on test rows and time single-message predictions."""
    predictions = model.predict_many(test.texts)
    has_oos = OOS_LABEL in test.labels or model.has_oos_class
    if has_oos:
        predicted = [p.intent for p in predictions]
    else:
        # Closed-set data: score the best intent; the low-confidence flag is reported apart.
        predicted = [p.top[0][0] for p in predictions]
    metrics = classification_metrics(test.labels, predicted, with_oos=has_oos)
    metrics["flagged_oos_rate"] = round(float(np.mean([p.is_oos for p in predictions])), 4)
    metrics["predict_ms_p50"], metrics["predict_ms_p99"] = _single_prediction_ms(model, test.texts)
    metrics["n_test"] = len(test)
    return metrics


def classification_metrics(
    truth: Sequence[str], predicted: Sequence[str], *, with_oos: bool
) -> dict[str, Any]:
    """Return accuracy and macro F1, plus in-scope accuracy and OOS recall/precision if wanted."""
    truth_array, predicted_array = np.asarray(truth), np.asarray(predicted)
    metrics: dict[str, Any] = {
        "accuracy": round(float(np.mean(truth_array == predicted_array)), 4),
        "macro_f1": round(float(f1_score(truth_array, predicted_array, average="macro")), 4),
    }
    if with_oos:
        is_oos, said_oos = truth_array == OOS_LABEL, predicted_array == OOS_LABEL
        in_scope = truth_array[~is_oos] == predicted_array[~is_oos]
        metrics["in_scope_accuracy"] = _mean_or_none(in_scope)
        metrics["oos_recall"] = _mean_or_none(said_oos[is_oos])
        metrics["oos_precision"] = _mean_or_none(is_oos[said_oos])
    return metrics


def train_and_evaluate(
    train: LabelledRows, test: LabelledRows, *, progress: ProgressCallback | None = None
) -> dict[str, Any]:
    """Train on ``train``, evaluate on ``test`` and return one flat dict of figures."""
    started = time.perf_counter()
    model = train_intent_model(train.texts, train.labels, progress=progress)
    train_seconds = time.perf_counter() - started
    metrics = evaluate_model(model, test)
    metrics.update(
        train_seconds=round(train_seconds, 2),
        n_train=len(train),
        n_labels=len(model.labels),
        oos_threshold=round(model.threshold, 4),
        temperature=round(model.temperature, 4),
        cv_accuracy=round(model.metrics["cv_accuracy"], 4),
    )
    return metrics


def _single_prediction_ms(model: IntentModel, texts: Sequence[str]) -> tuple[float, float]:
    """Return the median and 99th percentile milliseconds of one-message predictions."""
    sample = list(texts[:LATENCY_SAMPLE])
    clear_feature_cache()  # time cold messages, not memoised morphology
    durations = []
    for text in sample:
        started = time.perf_counter()
        model.predict(text)
        durations.append((time.perf_counter() - started) * 1000)
    if not durations:
        return 0.0, 0.0
    return round(float(np.median(durations)), 3), round(float(np.percentile(durations, 99)), 3)


def _mean_or_none(values: np.ndarray) -> float | None:
    return round(float(np.mean(values)), 4) if values.size else None
