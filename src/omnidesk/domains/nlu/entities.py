"""Entities in customer messages: order numbers, phones, emails, dates, amounts and products.

Each extractor returns typed spans (kind, text, start, end, normalized value). ``extract_entities``
runs them all and drops overlaps, preferring the longer span, then the kind listed first in
``KIND_PRIORITY`` (an order number is not also a phone number or an amount).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import phonenumbers

from omnidesk.domains.nlu.amounts import find_amounts
from omnidesk.domains.nlu.dates import find_dates

KIND_PRIORITY = ("email", "order_number", "phone", "date", "amount", "product")

ORDER_PATTERNS = (
    re.compile(r"#[A-Z]\d{6,10}\b"),  # #W2611340
    re.compile(r"\b[A-Z]{2,4}-?\d{8}-\d{3,6}\b"),  # HB20241123-0012
    re.compile(r"(?<![\d-])20\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{4,6}(?![\d-])"),
    re.compile(r"(?i)(?<=order\s)#?\d{6,}\b|(?<=주문번호\s)\d{6,}|(?<=주문번호)\d{6,}"),
)
EMAIL = re.compile(r"\b[\w.+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\b")
PHONE_CANDIDATE = re.compile(
    r"(?<![\w+])(?:\+\d{1,3}[\s-]?)?\(?0?\d{1,3}\)?[\s.-]?\d{3,4}[\s.-]?\d{4}(?!\d)"
)


@dataclass(frozen=True)
class Entity:
    """A typed span of the message with its normalized value."""

    kind: str
    text: str
    start: int
    end: int
    value: str


def extract_entities(
    text: str,
    *,
    products: Sequence[str] = (),
    today: dt.date | None = None,
    region: str = "KR",
) -> list[Entity]:
    """Find every entity in a message, sorted by position, without overlapping spans."""
    found: list[Entity] = []
    found += find_emails(text)
    found += find_order_numbers(text)
    found += find_phones(text, region=region)
    found += [Entity("date", *span) for span in find_dates(text, today=today)]
    found += [Entity("amount", *span) for span in find_amounts(text)]
    found += find_products(text, products)
    return _without_overlaps(found)


def find_order_numbers(text: str) -> list[Entity]:
    """Find order numbers like #W2611340, 2024112312345 or HB20241123-0012."""
    spans = {(m.start(), m.end()) for pattern in ORDER_PATTERNS for m in pattern.finditer(text)}
    return [
        Entity("order_number", text[s:e], s, e, text[s:e].lstrip("#")) for s, e in sorted(spans)
    ]


def find_emails(text: str) -> list[Entity]:
    """Find e-mail addresses; the value is lower-cased."""
    return [
        Entity("email", m.group(), m.start(), m.end(), m.group().lower())
        for m in EMAIL.finditer(text)
    ]


def find_phones(text: str, *, region: str = "KR") -> list[Entity]:
    """Find valid phone numbers and normalize them to E.164 (+821012345678)."""
    found = []
    for match in PHONE_CANDIDATE.finditer(text):
        try:
            number = phonenumbers.parse(match.group(), region)
        except phonenumbers.NumberParseException:
            continue
        if phonenumbers.is_valid_number(number):
            e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
            found.append(Entity("phone", match.group(), match.start(), match.end(), e164))
    return found


def find_products(text: str, catalogue: Iterable[str]) -> list[Entity]:
    """Find catalogue product names, ignoring case and spacing ("무선청소기" = "무선 청소기")."""
    found = []
    for name in catalogue:
        letters = [re.escape(char) for char in name if not char.isspace()]
        if not letters:
            continue
        pattern = re.compile(r"\s*".join(letters), re.IGNORECASE)
        found += [
            Entity("product", m.group(), m.start(), m.end(), name) for m in pattern.finditer(text)
        ]
    return found


def _without_overlaps(entities: list[Entity]) -> list[Entity]:
    def rank(entity: Entity) -> tuple[int, int, int]:
        return (-(entity.end - entity.start), KIND_PRIORITY.index(entity.kind), entity.start)

    kept: list[Entity] = []
    for entity in sorted(entities, key=rank):
        if all(entity.end <= other.start or entity.start >= other.end for other in kept):
            kept.append(entity)
    return sorted(kept, key=lambda entity: entity.start)
