"""Chat wording the intent model sees through: slang, 초성, misspellings, negation, other companies."""

from __future__ import annotations

from omnidesk.domains.nlu.features import message_terms, surface_text, unspaced_text
from omnidesk.domains.nlu.wording import canonical, negated_words, other_company


def test_it_reads_chosung_thanks_and_chat_misspellings_as_standard_korean() -> None:
    assert canonical("ㄳㄳ").split() == ["감사", "감사"]
    assert "됐" in canonical("환불 됬나요?")
    assert "하려면" in canonical("주문취소할려면 어떻게해요")
    assert "결제" in canonical("결재가 안되요")


def test_it_marks_the_negated_request_instead_of_counting_it() -> None:
    terms = message_terms("취소 말고 배송지만 바꿔 주세요")
    assert "neg:취소" in terms and "neg:c:cancel" in terms
    assert "취소" not in terms and "c:cancel" not in terms
    assert "배송지" in terms
    assert "취소" not in surface_text("취소 말고 배송지만 바꿔 주세요")


def test_it_finds_the_negated_word_before_a_bound_noun_and_in_english() -> None:
    assert negated_words(canonical("취소하려는 거 아니고 언제 오는지만 알려 주세요")) == ["취소"]
    assert "cancel" in negated_words(canonical("I don't want to cancel, just change the address"))
    assert "neg:반품" in message_terms("반품은 안 하고 교환만 할게요")


def test_spacing_does_not_change_the_unspaced_view() -> None:
    assert unspaced_text("이 소파 반품할려고요") == unspaced_text("이소파 반품 하려고요")


def test_it_flags_other_companies_services() -> None:
    assert other_company(canonical("쿠팡에서 산 에어프라이어 언제 와요?"))
    assert other_company(canonical("홈택스 로그인 어떻게 해요?"))
    assert "c:other_company" in message_terms("My Amazon order hasn't arrived")
    assert not other_company(canonical("주문한 냉장고 언제 와요?"))
