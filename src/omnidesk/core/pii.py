"""Personal data in Korean and English text: detect typed spans and mask them for display.

Covers resident registration numbers (주민등록번호, also foreigners'), mobile and landline phones,
payment cards (Luhn-checked), bank accounts (by layout plus a nearby context word) and emails.
Digits are NFKC-normalized first so full-width numbers are caught. Callers log counts, never values.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

RRN = re.compile(r"(?<!\d)(\d{2})(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])[- ]?([1-8])(\d{6})(?!\d)")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
MOBILE = re.compile(r"(?<![\d+])(?:\+82[- ]?1[016789]|01[016789])[- .]?\d{3,4}[- .]?\d{4}(?!\d)")
LANDLINE = re.compile(
    r"(?<![\d+])0(?:2|3[1-3]|4[1-4]|5[1-5]|6[1-4]|70)[- .)]?\d{3,4}[- .]?\d{4}(?!\d)"
)
CARD = re.compile(r"(?<![\d+/])\d(?:[ -]?\d){11,18}(?!\d)")
ACCOUNT = re.compile(r"(?<!\d)\d{2,6}-\d{2,6}-\d{2,7}(?:-\d{1,3})?(?!\d)")
ACCOUNT_CONTEXT = re.compile(
    r"계좌|입금|송금|은행|농협|국민|신한|우리|하나|기업|카카오뱅크|토스뱅크|account|bank", re.IGNORECASE
)
KINDS = ("rrn", "card", "email", "phone", "account")


@dataclass(frozen=True)
class PiiSpan:
    """One piece of personal data found in a text (offsets into the original string)."""

    kind: str
    start: int
    end: int
    value: str


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def luhn_valid(number: str) -> bool:
    """Tell whether a digit string passes the Luhn checksum."""
    digits = [int(d) for d in _digits(number)]
    if len(digits) < 12:
        return False
    total = 0
    for i, digit in enumerate(reversed(digits)):
        if i % 2 == 1:
            digit = digit * 2 - 9 if digit > 4 else digit * 2
        total += digit
    return total % 10 == 0


def _find(pattern: re.Pattern[str], kind: str, text: str) -> list[PiiSpan]:
    return [PiiSpan(kind, m.start(), m.end(), m.group()) for m in pattern.finditer(text)]


def _accounts(text: str) -> list[PiiSpan]:
    spans = []
    for match in ACCOUNT.finditer(text):
        window = text[max(0, match.start() - 20): match.end() + 10]
        if 10 <= len(_digits(match.group())) <= 14 and ACCOUNT_CONTEXT.search(window):
            spans.append(PiiSpan("account", match.start(), match.end(), match.group()))
    return spans


def detect_pii(text: str) -> list[PiiSpan]:
    """Find personal data in a text, strongest kinds first, without overlapping spans."""
    norm = unicodedata.normalize("NFKC", text)
    if len(norm) != len(text):  # NFKC changed lengths: offsets would drift, scan the original
        norm = text
    candidates = (
        _find(RRN, "rrn", norm)
        + [s for s in _find(CARD, "card", norm) if luhn_valid(s.value)]
        + _find(EMAIL, "email", norm)
        + _find(MOBILE, "phone", norm)
        + _find(LANDLINE, "phone", norm)
        + _accounts(norm)
    )
    taken: list[PiiSpan] = []
    for span in candidates:
        if all(span.end <= t.start or span.start >= t.end for t in taken):
            taken.append(span)
    return sorted(taken, key=lambda s: s.start)


def mask_digits(value: str, *, keep_start: int = 0, keep_end: int = 0) -> str:
    """Replace digits with '*' except the first keep_start and last keep_end digits."""
    count = len(_digits(value))
    out, seen = [], 0
    for char in value:
        if char.isdigit():
            seen += 1
            keep = seen <= keep_start or seen > count - keep_end
            out.append(char if keep else "*")
        else:
            out.append(char)
    return "".join(out)


def mask_email(value: str) -> str:
    """Keep the first character of the local part and the domain: k***@example.com."""
    local, _, domain = value.partition("@")
    return f"{local[:1]}{'*' * max(len(local) - 1, 2)}@{domain}" if domain else mask_name(value)


def mask_phone(value: str) -> str:
    """Hide the middle digits of a phone number: 010-****-5678."""
    return mask_digits(value, keep_start=3, keep_end=4)


def mask_name(value: str | None) -> str:
    """Mask a person's name the usual Korean way (김*용, 김**) or keep 4 Latin letters."""
    if not value:
        return ""
    name = value.strip()
    if re.search(r"[A-Za-z]", name):
        return name[:4] + "*" * max(len(name) - 4, 2)
    if len(name) <= 2:
        return name[:1] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


def mask_value(kind: str, value: str) -> str:
    """Mask one detected value according to its kind."""
    if kind == "rrn":
        return mask_digits(value, keep_start=7)  # keep birth date and the gender digit
    if kind == "card":
        return mask_digits(value, keep_start=6, keep_end=4)
    if kind == "email":
        return mask_email(value)
    if kind == "phone":
        return mask_phone(value)
    return mask_digits(value, keep_end=4)


def mask_text(text: str) -> str:
    """Return the text with every detected piece of personal data masked."""
    out, cursor = [], 0
    for span in detect_pii(text):
        out.append(text[cursor: span.start])
        out.append(mask_value(span.kind, text[span.start: span.end]))
        cursor = span.end
    out.append(text[cursor:])
    return "".join(out)


def pii_counts(text: str) -> dict[str, int]:
    """Count detected personal data by kind (safe to log)."""
    counts: dict[str, int] = {}
    for span in detect_pii(text):
        counts[span.kind] = counts.get(span.kind, 0) + 1
    return counts
