"""The grounding check: numbers, durations and negations must be in the cited passages."""

from __future__ import annotations

from omnidesk.domains.bot.grounding import check_grounded, quantities

PASSAGES = [
    "주문 금액 50,000원 이상이면 무료배송입니다. 50,000원 미만은 배송비 3,000원입니다.",
    "카드 환불은 5~7영업일 걸립니다. 기프트카드 결제는 즉시 환불됩니다.",
    "설치 후 사용했다면 반품할 수 없습니다.",
    "Card refunds take 5 to 7 business days.",
]


def test_it_reads_amounts_and_durations_with_their_units() -> None:
    assert (50000.0, "") in quantities("5만 원 이상")
    assert (7.0, "day") in quantities("5~7영업일")
    assert (3.0, "hour") in quantities("3 hours")


def test_it_accepts_numbers_the_passage_has_even_written_differently() -> None:
    assert check_grounded("5만 원 이상이면 무료배송입니다. [1]", PASSAGES) is not None
    assert check_grounded("카드 환불은 5~7영업일 걸립니다. [2]", PASSAGES) is not None


def test_it_rejects_an_amount_or_a_duration_the_passage_does_not_have() -> None:
    assert check_grounded("4만 원 이상이면 무료배송입니다. [1]", PASSAGES) is None
    assert check_grounded("카드 환불은 10영업일 걸립니다. [2]", PASSAGES) is None
    assert check_grounded("카드 환불은 7시간 걸립니다. [2]", PASSAGES) is None
    assert check_grounded("Card refunds take 7 hours. [4]", PASSAGES) is None


def test_it_rejects_a_negation_added_or_dropped() -> None:
    assert check_grounded("설치 후 사용했다면 반품할 수 없습니다. [3]", PASSAGES) is not None
    assert check_grounded("설치 후 사용했다면 반품할 수 있습니다. [3]", PASSAGES) is None
    assert check_grounded("기프트카드 결제는 환불되지 않습니다. [2]", PASSAGES) is None
    assert check_grounded("Card refunds do not take 5 to 7 business days. [4]", PASSAGES) is None
