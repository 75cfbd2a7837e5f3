"""The span type every finder returns, and the checks finders share."""

from __future__ import annotations

import re
from dataclasses import dataclass

KINDS = ("rrn", "card", "cvv", "account", "passport", "driver_license", "email", "phone", "address")

# A separator inside one written number: a dash or dot with spaces around, a line break, 1-2 spaces.
SEP = r"(?:[ \t]*\n?[ \t]*[-.][ \t]*\n?[ \t]*|[ \t]*\n[ \t]*|[ \t]{1,2})?"
# Words that say a number is an order, parcel, product or document id (not personal data).
ID_LABEL = re.compile(
    r"주문|송장|운송장|등기|택배|배송\s?조회|교환\s?번호|참조|상품|바코드|쿠폰|회원\s?번호|고객\s?번호|멤버십|"
    r"예약|영수증|사업자|시리얼|모델|인증\s?번호|문의\s?번호|티켓|"
    r"tracking|order|invoice|ref(?:erence)?\b|case|ticket|sku|part\b|meeting|serial|otp|"
    r"\b(?:ups|dhl|fedex|usps)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class PiiSpan:
    """One piece of personal data found in a text (offsets into the original string)."""

    kind: str
    start: int
    end: int
    value: str


def span(kind: str, text: str, start: int, end: int) -> PiiSpan:
    """Build a span over text[start:end] with trailing blanks trimmed."""
    while end > start and text[end - 1] in " \t\n,.":
        end -= 1
    return PiiSpan(kind, start, end, text[start:end])


_GLUED_BEFORE = re.compile(r"[\d*][ \t]{0,2}[-./]?[ \t]{0,2}$")
_GLUED_AFTER = re.compile(r"^[ \t]{0,2}[-./]?[ \t]{0,2}[\d*]")


def isolated(text: str, start: int, end: int) -> bool:
    """Tell whether a number stands alone (no more digit groups glued to either side on its line)."""
    return not (_GLUED_BEFORE.search(text[max(0, start - 5): start])
                or _GLUED_AFTER.match(text[end: end + 5]))


def near_before(text: str, start: int, label: re.Pattern[str], width: int) -> re.Match[str] | None:
    """Return the last match of a label in the `width` characters before `start`."""
    found = None
    for found in label.finditer(text, max(0, start - width), start):
        pass
    return found


def labelled_as_id(text: str, start: int, pii_label: re.Pattern[str]) -> bool:
    """Tell whether the closest label before a number names an id rather than personal data."""
    id_label = near_before(text, start, ID_LABEL, 16)
    if id_label is None:
        return False
    own = near_before(text, start, pii_label, 16)
    return own is None or own.start() < id_label.start()


def luhn_valid(number: str) -> bool:
    """Tell whether a digit string passes the Luhn checksum."""
    digits = [int(d) for d in number if d.isdigit()]
    if len(digits) < 12:
        return False
    total = 0
    for i, digit in enumerate(reversed(digits)):
        if i % 2 == 1:
            digit = digit * 2 - 9 if digit > 4 else digit * 2
        total += digit
    return total % 10 == 0
