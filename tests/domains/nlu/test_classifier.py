import numpy as np
import pytest

from omnidesk.domains.nlu.classifier import train_intent_model
from omnidesk.domains.nlu.schemas import IntentModel, TrainingError
from omnidesk.domains.nlu.training import train_from_rows

from .conftest import small_rows


def test_it_classifies_korean_and_english_messages(small_model: IntentModel) -> None:
    assert small_model.predict("환불은 언제 들어와요?").intent == "refund_status"
    assert small_model.predict("where is my package now").intent == "order_status"
    assert small_model.predict("상담원 연결 부탁드려요").intent == "talk_to_agent"


def test_it_flags_out_of_scope_messages(small_model: IntentModel) -> None:
    prediction = small_model.predict("내일 날씨 어때?")
    assert prediction.is_oos
    assert prediction.intent == "oos"


def test_confidences_are_probabilities(small_model: IntentModel) -> None:
    probabilities = small_model.probabilities(["택배 어디쯤이에요", "tell me a joke"])
    assert np.all((probabilities >= 0) & (probabilities <= 1))
    assert np.allclose(probabilities.sum(axis=1), 1.0)
    prediction = small_model.predict("택배 어디쯤이에요")
    assert 0 <= prediction.confidence <= 1
    assert prediction.top[0][1] == prediction.confidence
    assert [p for _, p in prediction.top] == sorted((p for _, p in prediction.top), reverse=True)


def test_threshold_and_temperature_come_from_cross_validation(small_model: IntentModel) -> None:
    assert 0 <= small_model.threshold < 1
    assert small_model.temperature > 0
    assert small_model.metrics["cv_folds"] == 4
    assert 0 <= small_model.metrics["cv_accuracy"] <= 1


def test_it_round_trips_through_bytes(small_model: IntentModel) -> None:
    loaded = IntentModel.from_bytes(small_model.to_bytes())
    assert loaded.labels == small_model.labels
    assert loaded.threshold == small_model.threshold
    assert loaded.version == small_model.version
    text = "refund status please"
    assert loaded.predict(text) == small_model.predict(text)


def test_it_rejects_bytes_that_are_not_a_model() -> None:
    import io

    import joblib

    buffer = io.BytesIO()
    joblib.dump({"something": "else"}, buffer)
    with pytest.raises(ValueError):
        IntentModel.from_bytes(buffer.getvalue())


def test_it_refuses_a_single_label() -> None:
    with pytest.raises(TrainingError):
        train_intent_model(["a", "b", "c"], ["x", "x", "x"])


def test_it_trains_from_rows_and_reports_progress() -> None:
    texts, labels = small_rows()
    rows = [{"text": t, "intent": label} for t, label in zip(texts, labels, strict=True)]
    steps: list[tuple[str, int, int]] = []
    model = train_from_rows(
        rows, progress=lambda step, done, total: steps.append((step, done, total))
    )
    assert sorted(model.labels) == sorted(set(labels))
    assert steps[-1][1] == steps[-1][2]
    assert any("fold" in step for step, _, _ in steps)


def test_without_an_oos_label_low_confidence_is_still_flagged() -> None:
    texts, labels = small_rows()
    in_scope = [(t, label) for t, label in zip(texts, labels, strict=True) if label != "oos"]
    model = train_from_rows(in_scope)
    assert not model.has_oos_class
    prediction = model.predict("where is my order")
    assert prediction.intent == "order_status"
    assert prediction.is_oos == (prediction.confidence < model.threshold)
