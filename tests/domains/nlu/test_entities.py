import datetime as dt

from omnidesk.domains.nlu.schemas import Entity
from omnidesk.domains.nlu.service import extract_entities

TODAY = dt.date(2024, 11, 25)


def kinds(text: str, **kwargs: object) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for entity in extract_entities(text, today=TODAY, **kwargs):  # type: ignore[arg-type]
        assert text[entity.start : entity.end] == entity.text
        found.setdefault(entity.kind, []).append(entity.value)
    return found


def test_it_finds_order_numbers_in_each_format() -> None:
    found = kinds("#W2611340 하고 2024112312345, 그리고 HB20241123-0012 주문이요")
    assert found["order_number"] == ["W2611340", "2024112312345", "HB20241123-0012"]


def test_it_normalizes_korean_phone_numbers_to_e164() -> None:
    found = kinds("010-1234-5678로 연락 주시거나 +82 10 9876 5432 로 주세요")
    assert found["phone"] == ["+821012345678", "+821098765432"]


def test_it_finds_english_phone_numbers_with_a_country_code() -> None:
    assert kinds("call me at +1 415-555-2671")["phone"] == ["+14155552671"]


def test_it_finds_emails() -> None:
    assert kinds("메일은 John.Doe@Example.com 입니다")["email"] == ["john.doe@example.com"]


def test_it_resolves_korean_relative_and_absolute_dates() -> None:
    found = kinds("어제 주문, 오늘 확인, 내일 배송, 3일 전 결제, 11월 23일, 2024-11-23, 이틀 전")
    assert found["date"] == [
        "2024-11-24", "2024-11-25", "2024-11-26", "2024-11-22", "2024-11-23", "2024-11-23",
        "2024-11-23",
    ]  # fmt: skip


def test_it_resolves_english_dates() -> None:
    found = kinds("ordered yesterday, paid 2 days ago on Nov 23rd, arriving tomorrow or 12/01/2024")
    assert found["date"] == ["2024-11-24", "2024-11-23", "2024-11-23", "2024-11-26", "2024-12-01"]


def test_a_month_day_in_the_future_means_last_year() -> None:
    assert kinds("12월 30일에 샀어요")["date"] == ["2023-12-30"]


def test_it_reads_amounts_in_won_and_dollars() -> None:
    found = kinds("₩120,000 결제, 12만원 환불, 3만 5천원 쿠폰, 120000원, and $49.99 in USD")
    assert found["amount"] == ["120000 KRW", "120000 KRW", "35000 KRW", "120000 KRW", "49.99 USD"]


def test_it_matches_catalogue_products_ignoring_case_and_spacing() -> None:
    catalogue = ["무선청소기", "Galaxy S24"]
    found = kinds("무선 청소기랑 galaxy s24 재고 있나요?", products=catalogue)
    assert found["product"] == ["무선청소기", "Galaxy S24"]


def test_an_order_number_is_not_also_a_phone_or_an_amount() -> None:
    entities = extract_entities("주문번호 2024112312345 확인", today=TODAY)
    assert entities == [Entity("order_number", "2024112312345", 5, 18, "2024112312345")]
