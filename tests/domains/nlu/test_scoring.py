"""The exported scorer (nlu.scoring) gives scikit-learn's numbers, and serving never imports it."""

from __future__ import annotations

import io
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

from omnidesk.domains.nlu.calibration import scores_to_probabilities
from omnidesk.domains.nlu.classifier import _decision_scores, _fit_pipeline
from omnidesk.domains.nlu.dataset import load_labelled_csv
from omnidesk.domains.nlu.schemas import IntentModel
from omnidesk.domains.nlu.scoring import LinearTextScorer

from .conftest import SHARED_DATA, small_rows

PROBES = ["", "   ", "ㄳㄳ", "취소 말고 배송지만 바꿔주세요", "What's your refund policy?",
          "환불  규정이\t어떻게  되나요?", "이소파 언제와요", "zzzz qqq 123", "쿠팡 환불 어떻게 해요"]


def _shared_rows() -> tuple[list[str], list[str]]:
    """The Korean store set and every 30th CLINC150 row (in- and out-of-scope English)."""
    kointent, clinc = SHARED_DATA / "kointent" / "train.csv", SHARED_DATA / "clinc150" / "train.csv"
    if not kointent.is_file() or not clinc.is_file():
        pytest.skip("shared data sets not found (checkout outside the workplace)")
    korean, english = load_labelled_csv(kointent), load_labelled_csv(clinc)
    return (korean.texts + english.texts[::30], korean.labels + english.labels[::30])


def _assert_same(pipeline: object, texts: list[str]) -> None:
    scorer = LinearTextScorer.from_pipeline(pipeline)
    theirs = _decision_scores(pipeline, texts, len(scorer.classes))  # type: ignore[arg-type]
    ours = scorer.decision(texts)
    assert ours.shape == theirs.shape
    assert np.abs(ours - theirs).max() <= 1e-9
    assert np.abs(scores_to_probabilities(ours, 0.7)
                  - scores_to_probabilities(theirs, 0.7)).max() <= 1e-9
    stored, _ = LinearTextScorer.from_npz(scorer.to_npz({}))
    assert np.array_equal(stored.decision(texts), ours)


def test_the_scorer_gives_scikit_learns_scores_on_the_shared_data() -> None:
    texts, labels = _shared_rows()
    pipeline = _fit_pipeline(texts, labels, 0.5)
    held = [*texts[::7], *PROBES]
    _assert_same(pipeline, held)
    assert len(set(LinearTextScorer.from_pipeline(pipeline).classes)) > 40


def test_the_scorer_handles_a_two_class_model() -> None:
    texts, labels = small_rows()
    two = [(t, label) for t, label in zip(texts, labels, strict=True)
           if label in ("order_status", "oos")]
    pipeline = _fit_pipeline([t for t, _ in two], [label for _, label in two], 0.5)
    _assert_same(pipeline, [t for t, _ in two] + PROBES)


def test_a_model_stored_in_the_pickled_format_still_loads(small_model: IntentModel) -> None:
    import joblib

    texts, labels = small_rows()
    pipeline = _fit_pipeline(texts, labels, 0.5)
    buffer = io.BytesIO()
    joblib.dump({"format": 1, "pipeline": pipeline, "labels": small_model.labels,
                 "temperature": small_model.temperature, "threshold": small_model.threshold,
                 "version": "v1", "trained_at": "", "metrics": {}}, buffer, compress=3)
    old = IntentModel.from_bytes(buffer.getvalue())
    expected = scores_to_probabilities(_decision_scores(pipeline, PROBES, len(old.labels)),
                                       small_model.temperature)
    assert np.array_equal(old.probabilities(PROBES), expected)
    assert IntentModel.from_bytes(old.to_bytes()).predict_many(PROBES) == old.predict_many(PROBES)


def test_serving_a_stored_model_imports_neither_scikit_learn_nor_scipy(
        small_model: IntentModel, tmp_path: Path) -> None:
    model = tmp_path / "model.npz"
    model.write_bytes(small_model.to_bytes())
    script = textwrap.dedent(f"""
        import sys
        from pathlib import Path
        import omnidesk.app.main  # the whole application, as `omnidesk serve` loads it
        from omnidesk.domains.nlu.service import load_intent_model, understand_message
        model = load_intent_model(Path({str(model)!r}).read_bytes())
        understood = understand_message("환불은 언제 들어와요?", model=model)
        print(understood.intent.intent)
        print(sorted(m for m in ("sklearn", "scipy", "joblib") if m in sys.modules))
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          check=True, timeout=120)
    intent, loaded = done.stdout.split("\n")[:2]
    assert intent == small_model.predict("환불은 언제 들어와요?").intent
    assert loaded == "[]", done.stdout
