"""The handoff summary agents and the transfer note read carries personal data masked only."""

from __future__ import annotations

from omnidesk.domains.assist.summary import summarize

CLEAR = ("010-2345-6789", "kim.minsu@gmail.com", "4111 1111 1111 1111", "900101-1234568")


def test_the_summary_quotes_the_customer_with_personal_data_masked() -> None:
    lines = summarize([
        ("customer", "카드 4111 1111 1111 1111 결제 취소요, 연락처 010-2345-6789"),
        ("agent", "확인해 보겠습니다"),
        ("customer", "메일 kim.minsu@gmail.com, 주민번호 900101-1234568 입니다"),
    ], intent=None, status="open", profile=None, order_number=None, locale="ko")
    text = "\n".join(lines)
    for value in CLEAR:
        assert value not in text, value
    assert "010-****-6789" in text and "4111 11** **** 1111" in text
