"""The contact-reason model predicts with plain arrays exactly as the scikit-learn pipeline."""

from __future__ import annotations

import io
import random

import numpy as np
import pytest

from omnidesk.domains.engagement.prediction import (
    ContactReasonModel,
    PredictionError,
    fit_pipeline,
)

REASONS = ("order_status", "refund_status", "change_address", "cancel_order")


def _rows(n: int, reasons: tuple[str, ...], seed: int) -> tuple[list[dict[str, float]], list[str]]:
    rng = random.Random(seed)
    rows, intents = [], []
    for _ in range(n):
        reason = rng.choice(reasons)
        row = {f"page={reason}": 1.0, f"last1={rng.choice(reasons)}": 1.0,
               "events": float(rng.randint(0, 9)), f"recency={rng.choice('abc')}": 1.0}
        if rng.random() < 0.3:
            row["order=shipped"] = 1.0
        rows.append(row)
        intents.append(reason)
    return rows, intents


@pytest.mark.parametrize("reasons", [REASONS, REASONS[:2]], ids=["several", "two"])
def test_the_exported_model_gives_the_pipelines_probabilities(reasons: tuple[str, ...]) -> None:
    rows, intents = _rows(120, reasons, seed=3)
    pipeline = fit_pipeline(rows, intents)
    model = ContactReasonModel.from_pipeline(pipeline, sorted(set(intents)))
    probes = [*_rows(40, REASONS, seed=9)[0], {}, {"unknown=feature": 1.0}]
    expected = pipeline.predict_proba(probes)
    assert np.abs(model.probabilities(probes) - expected).max() <= 1e-9
    stored = ContactReasonModel.from_bytes(model.to_bytes())
    assert np.array_equal(stored.probabilities(probes), model.probabilities(probes))
    assert [p.intent for p in stored.predict_many(probes)] == [
        str(pipeline.classes_[i]) for i in expected.argmax(axis=1)]


def test_a_model_stored_in_the_pickled_format_still_loads() -> None:
    import joblib

    rows, intents = _rows(60, REASONS, seed=5)
    pipeline = fit_pipeline(rows, intents)
    buffer = io.BytesIO()
    joblib.dump({"format": 1, "pipeline": pipeline, "labels": sorted(set(intents)),
                 "trained_at": "", "metrics": {}}, buffer)
    old = ContactReasonModel.from_bytes(buffer.getvalue())
    assert np.abs(old.probabilities(rows) - pipeline.predict_proba(rows)).max() <= 1e-9
    with pytest.raises(PredictionError):
        ContactReasonModel.from_bytes(b"PK\x03\x04 not a zip")
