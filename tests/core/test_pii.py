"""The PII detector and masker on Korean and English text."""

from __future__ import annotations

import pytest

from omnidesk.core.pii import detect_pii, luhn_valid, mask_text


@pytest.mark.parametrize(("text", "kind", "masked"), [
    ("주민번호 900101-1234568 입니다", "rrn", "900101-1******"),
    ("카드 4111 1111 1111 1111로 결제", "card", "4111 11** **** 1111"),
    ("연락처 010-1234-5678로 주세요", "phone", "010-****-5678"),
    ("mail kim.min@example.com please", "email", "k******@example.com"),
    ("국민은행 계좌 123456-78-901234 입금", "account", "******-**-**1234"),
    ("전화 ０１０１２３４５６７８", "phone", "０１０****５６７８"),
])
def test_it_detects_and_masks_each_kind(text: str, kind: str, masked: str) -> None:
    assert [s.kind for s in detect_pii(text)] == [kind]
    assert masked in mask_text(text)


def test_it_ignores_numbers_that_are_not_personal_data() -> None:
    assert detect_pii("주문 #W2611340, 4111 1111 1111 1112, 총 880,000원") == []
    assert not luhn_valid("4111111111111112")
