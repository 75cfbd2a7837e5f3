"""Replies reused from other customers' conversations carry only this customer's facts."""

from __future__ import annotations

from omnidesk.domains.assist.suggestions import Thread, conversation_candidates

ASKED = [("customer", "배송 언제 와요?")]


def _suggested(reply: str, variables: dict[str, str]) -> list[str]:
    thread = Thread(messages=[*ASKED, ("agent", reply)], customer_name="김은비",
                    order_number="HB2026071600277")
    return [c.reply for c in conversation_candidates({7: thread}, variables)]


def test_another_customers_dates_and_unfilled_order_numbers_are_not_suggested() -> None:
    assert _suggested("김은비 고객님, 7월 18일에 도착 예정입니다.", {}) == []
    assert _suggested("Arriving Jul 18 as planned.", {}) == []
    assert _suggested("주문 HB2026071600277 건 확인했습니다.", {}) == []  # no order of theirs


def test_a_reply_filled_with_this_customers_own_order_is_suggested() -> None:
    assert _suggested("주문 HB2026071600277 건 확인했습니다. 곧 출고됩니다.",
                      {"order_number": "HB2026120500012"}) == [
        "주문 HB2026120500012 건 확인했습니다. 곧 출고됩니다."]
