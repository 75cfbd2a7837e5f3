"""Shared fixtures for NLU tests: a small bilingual intent set and the shared data folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from omnidesk.domains.nlu.classifier import train_intent_model
from omnidesk.domains.nlu.schemas import IntentModel

# <repo>/tests/domains/nlu/conftest.py -> parents[3] is the repo root.
SHARED_DATA = Path(__file__).resolve().parents[3] / ".." / "shared" / "data"

SMALL_INTENTS = {
    "order_status": [
        "주문한 상품 어디쯤 왔나요?", "배송 조회 부탁드립니다", "택배 언제 와요?", "송장번호 알려주세요",
        "where is my order", "track my package please", "has my order shipped", "order status",
    ],
    "refund_status": [
        "환불 언제 들어오나요?", "환불 처리 됐나요?", "환불 금액 확인하고 싶어요", "카드 환불 언제 돼요",
        "when will I get my refund", "refund status please", "has my refund been processed",
        "how much will be refunded",
    ],
    "talk_to_agent": [
        "상담원 연결해 주세요", "사람이랑 얘기하고 싶어요", "상담사 바꿔줘", "직원 연결 부탁해요",
        "I want to talk to a human", "connect me to an agent", "representative please",
        "let me speak to a real person",
    ],
    "oos": [
        "오늘 날씨 어때?", "주식 추천해줘", "재밌는 농담 해줘", "대한민국 수도가 어디야",
        "what's the weather like", "tell me a joke", "who won the football game",
        "what is the capital of france",
    ],
}  # fmt: skip


def small_rows() -> tuple[list[str], list[str]]:
    """Return the small bilingual data set as texts and labels."""
    texts = [text for examples in SMALL_INTENTS.values() for text in examples]
    labels = [label for label, examples in SMALL_INTENTS.items() for _ in examples]
    return texts, labels


@pytest.fixture(scope="session")
def small_model() -> IntentModel:
    """Train once per session on the small bilingual set."""
    texts, labels = small_rows()
    return train_intent_model(texts, labels, folds=4)


@pytest.fixture
def kointent_csv() -> Path:
    """Path of the kointent training file, or skip when the shared data is absent."""
    path = SHARED_DATA / "kointent" / "train.csv"
    if not path.is_file():
        pytest.skip(f"shared data set not found at {path} (checkout outside the workplace)")
    return path
