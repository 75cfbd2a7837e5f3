"""Money amounts in Korean and English messages: ₩120,000, 12만원, 3만 5천원, 120000원, $49.99.

Each match becomes (text, start, end, value) where value is "<number> <ISO currency>", e.g.
"120000 KRW" or "49.99 USD".
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

AmountSpan = tuple[str, int, int, str]

KOREAN_UNITS = {"억": 100_000_000, "만": 10_000, "천": 1_000, "백": 100}
SYMBOLS = {"₩": "KRW", "￦": "KRW", "$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY"}
WORD_CURRENCIES = {
    "원": "KRW", "krw": "KRW", "won": "KRW", "usd": "USD", "dollar": "USD", "dollars": "USD",
    "달러": "USD", "불": "USD", "eur": "EUR", "euro": "EUR", "euros": "EUR", "유로": "EUR",
    "엔": "JPY", "jpy": "JPY",
}  # fmt: skip

_NUMBER = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_SYMBOL_FIRST = re.compile(rf"([₩￦$€£¥])\s?({_NUMBER})")
_CODE_FIRST = re.compile(rf"\b(KRW|USD|EUR|JPY)\s?({_NUMBER})", re.IGNORECASE)
_KOREAN_COMPOUND = re.compile(
    rf"((?:(?:{_NUMBER})\s*[억만천백]\s*)+(?:{_NUMBER})?)\s*(원|달러|유로|엔)"
)
_NUMBER_THEN_WORD = re.compile(
    rf"({_NUMBER})\s?(원|달러|유로|엔|krw|won|usd|dollars?|eur|euros?|jpy)(?![A-Za-z])",
    re.IGNORECASE,
)
_KOREAN_PART = re.compile(rf"({_NUMBER})\s*([억만천백]?)")


def find_amounts(text: str) -> list[AmountSpan]:
    """Find money amounts and normalize them to a number and an ISO currency code."""
    spans: list[AmountSpan] = []
    for match in _SYMBOL_FIRST.finditer(text):
        spans += _amount(match, _to_decimal(match.group(2)), SYMBOLS[match.group(1)])
    for match in _CODE_FIRST.finditer(text):
        spans += _amount(match, _to_decimal(match.group(2)), match.group(1).upper())
    for match in _KOREAN_COMPOUND.finditer(text):
        spans += _amount(match, korean_number(match.group(1)), WORD_CURRENCIES[match.group(2)])
    for match in _NUMBER_THEN_WORD.finditer(text):
        currency = WORD_CURRENCIES[match.group(2).lower()]
        spans += _amount(match, _to_decimal(match.group(1)), currency)
    return spans


def korean_number(text: str) -> Decimal | None:
    """Read a number written with Korean units: "12만" -> 120000, "3만 5천" -> 35000."""
    total = Decimal(0)
    for number, unit in _KOREAN_PART.findall(text):
        value = _to_decimal(number)
        if value is None:
            return None
        total += value * KOREAN_UNITS.get(unit, 1)
    return total


def _amount(match: re.Match[str], value: Decimal | None, currency: str) -> list[AmountSpan]:
    if value is None:
        return []
    number = format(value.normalize(), "f") if value != value.to_integral() else str(int(value))
    return [(match.group(), match.start(), match.end(), f"{number} {currency}")]


def _to_decimal(number: str) -> Decimal | None:
    try:
        return Decimal(number.replace(",", ""))
    except InvalidOperation:
        return None
