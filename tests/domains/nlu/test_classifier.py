from pathlib import Path

import numpy as np
import pytest

from omnidesk.domains.nlu.calibration import choose_threshold
from omnidesk.domains.nlu.classifier import train_intent_model
from omnidesk.domains.nlu.dataset import load_labelled_csv
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


def test_out_of_scope_is_decided_on_the_probability_of_oos(small_model: IntentModel) -> None:
    assert small_model.oos_rule == "oos_probability"
    for text in ["오늘 날씨 어때?", "tell me a joke please", "환불 언제 돼요", "where is my order",
                 "상담원 연결", "주식 추천"]:
        prediction = small_model.predict(text)
        probability = dict(prediction.top)
        assert prediction.is_oos == (probability["oos"] >= small_model.threshold)
        if not prediction.is_oos:
            assert prediction.confidence == probability[prediction.intent]
        assert 0 <= prediction.confidence <= 1


def test_the_threshold_rule_travels_with_the_model_and_old_models_keep_theirs(
        small_model: IntentModel) -> None:
    import io
    import json

    assert IntentModel.from_bytes(small_model.to_bytes()).oos_rule == "oos_probability"
    with np.load(io.BytesIO(small_model.to_bytes()), allow_pickle=False) as stored:
        arrays = {name: stored[name] for name in stored.files}
    meta = json.loads(arrays["meta"].tobytes())
    del meta["oos_rule"]  # as models trained before the rule was stored
    arrays["meta"] = np.frombuffer(json.dumps(meta).encode(), np.uint8)
    buffer = io.BytesIO()
    np.savez_compressed(buffer, **arrays)
    old = IntentModel.from_bytes(buffer.getvalue())
    assert old.oos_rule == "confidence"
    prediction = old.predict("환불 언제 돼요")
    assert prediction.is_oos == (prediction.top[0][0] == "oos"
                                 or prediction.confidence < old.threshold)


def test_the_oos_threshold_separates_what_the_top_confidence_cannot() -> None:
    # Columns: intent a, oos, intent b. The in-scope rows are right at 0.55; the out-of-scope rows
    # look surer (0.6 for a) but carry 0.4 of oos, which in-scope rows never reach.
    in_scope = [[0.55, 0.05, 0.40]] * 8
    out_of_scope = [[0.60, 0.40, 0.0]] * 2
    choice = choose_threshold(np.array(in_scope + out_of_scope), np.array([0] * 8 + [1] * 2), 1)
    assert choice.rule == "oos_probability"
    assert 0.05 < choice.threshold <= 0.40
    assert (choice.in_scope_accuracy, choice.oos_recall) == (1.0, 1.0)


def test_other_companies_services_are_out_of_scope_in_the_store_set(kointent_csv: Path) -> None:
    rows = load_labelled_csv(kointent_csv)
    model = train_intent_model(rows.texts, rows.labels)
    assert model.oos_scale is not None
    for text in ["배민에서 시킨 치킨 주문 취소해줘", "Can you cancel my Spotify subscription?",
                 "넷플릭스 결제 취소하고 싶어요"]:
        prediction = model.predict(text)
        assert prediction.intent == "oos", text
        # the calibrated out-of-scope probability, not the softmax's share for a rare label
        assert prediction.confidence >= 0.5, text
    for text, intent in [("카카오페이로 결제했는데 실패했어요", "payment_issue"),
                         ("주문한 거 취소해 주세요", "cancel_order"),
                         ("cancel my order please", "cancel_order")]:
        assert model.predict(text).intent == intent, text
