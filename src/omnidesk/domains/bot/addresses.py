"""Read a delivery address from a customer's words and merge it into the order's address.

A customer writes an address the way they speak ("서울시 강남구 테헤란로 152, 10층, 우편번호
06236으로 바꿔 주세요"): the parser finds the road (or lot) address, the detail (building,
floor, unit) and the 5-digit postcode, drops labels and the request around them, and reads a new
recipient or phone only when the customer names them ("받는 사람 박서준", "연락처 010-…").
Merging keeps everything the customer did not change (recipient, phone, delivery notes) and
writes in the order's own key style (omnidesk's demo store: line1/line2/postal_code; tau-bench
and most shop exports: address1/address2/zip).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

POSTCODE = re.compile(r"(?<![\d-])(\d{5})(?:-\d{4})?(?![\d-])")
LABELS = re.compile(r"우편\s*번호\s*(?:는|은|:)?|\(우\)|zip\s*(?:code)?\s*:?|post\s*code\s*:?"
                    r"|새\s*(?:배송지|주소)\s*(?:는|은|:)?|(?:배송지|주소)\s*(?:는|은|:)",
                    re.IGNORECASE)
# The request around the address: "…(으)로 바꿔 주세요", "…이에요", "change it to …".
REQUEST_TAIL = re.compile(r"\s*(?:(?:으로|로)\s*)?(?:바꿔|바꾸|변경|보내|배송해|해\s*주|부탁|"
                          r"입니다|이에요|예요|이요|요)[^,]*$")
REQUEST_HEAD = re.compile(r"^\s*(?:please\s+)?(?:change\s+(?:it|the\s+address)\s+to|ship\s+to|"
                          r"send\s+it\s+to|new\s+address\s*:?)\s*", re.IGNORECASE)
# A road address ends in "…로/길 <number>" (e.g. 테헤란로 152, 판교역로235번길 10, 세종대로 1-2).
PROVINCES = ("서울|부산|대구|인천|광주|대전|울산|세종|경기|강원|충북|충남|전북|전남|경북|경남|제주")
ROAD = re.compile(r"(?:(?:[가-힣]+(?:특별시|광역시|특별자치시|특별자치도|시|도)|"
                  rf"(?:{PROVINCES}))\s+)?"
                  r"(?:[가-힣]+(?:시|군|구)\s+){0,2}(?:[가-힣]+(?:읍|면)\s+)?"
                  r"[가-힣A-Za-z0-9.]+(?:로|길)(?:\s*\d+(?:번길|가길|길))?\s*\d+(?:-\d+)?(?:번지)?")
LOT = re.compile(r"(?:[가-힣]+(?:특별시|광역시|시|도)\s+)?(?:[가-힣]+(?:시|군|구)\s+){1,2}"
                 r"[가-힣0-9]+(?:동|리|가)\s+\d+(?:-\d+)?(?:번지)?")
EN_STREET = re.compile(r"\b\d+[A-Za-z]?\s+(?:[A-Za-z0-9.'-]+\s+){0,4}"
                       r"(?:st|street|ave|avenue|rd|road|blvd|boulevard|dr|drive|ln|lane|way|"
                       r"ct|court|pl|place|ro|gil|pkwy|parkway|ter|terrace|hwy|highway)\b\.?",
                       re.IGNORECASE)
RECIPIENT = re.compile(r"(?:받는\s*(?:분|사람|이)|수령인|수취인|recipient|deliver\s+to)\s*(?:은|는|:|is)?"
                       r"\s*([가-힣]{2,5}|[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?)", re.IGNORECASE)
PHONE_ASKED = re.compile(r"(?:연락처|전화\s*번호|휴대폰(?:\s*번호)?|핸드폰|phone(?:\s+number)?)"
                         r"\s*(?:은|는|:|to|is)?\s*(\+?\d[\d\s-]{8,14}\d)", re.IGNORECASE)
CITY = re.compile(rf"^([가-힣]+(?:특별시|광역시|특별자치시|특별자치도|시|도)|(?:{PROVINCES}))\s")
DISTRICT = re.compile(r"([가-힣]+(?:구|군|시))\s")
EN_STATE = re.compile(r"(?:^|\s)([A-Z]{2})$")
UNIT = re.compile(r"^(?:apt|apartment|suite|ste|unit|#|floor|fl|room|rm)\b", re.IGNORECASE)
KEY_STYLES = {"lines": ("line1", "line2", "postal_code"), "address": ("address1", "address2", "zip")}


@dataclass(frozen=True)
class ParsedAddress:
    """What the customer wrote: the road, the detail, the postcode, and any new contact."""

    road: str
    detail: str = ""
    postcode: str = ""
    recipient: str | None = None
    phone: str | None = None
    city: str = ""
    district: str = ""
    state: str = ""

    def shown(self, no_postcode: str) -> str:
        """Write the address on one line for the customer to confirm."""
        line = ", ".join(p for p in (self.road, self.detail) if p)
        return f"{line} ({self.postcode or no_postcode})"


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip(" ,.()/~")


def parse_address(text: str) -> ParsedAddress | None:
    """Read an address from a message (None when there is no road or street in it)."""
    recipient = RECIPIENT.search(text)
    phone = PHONE_ASKED.search(text)
    body = text
    for found in (recipient, phone):
        if found:
            body = body.replace(found.group(0), " ")
    postcodes = POSTCODE.findall(LABELS.sub(" ", body))
    body = REQUEST_HEAD.sub("", LABELS.sub(" ", body))
    korean = ROAD.search(body) or LOT.search(body)
    road_match = korean or EN_STREET.search(body)
    if road_match is None:
        return None
    road = _clean(road_match.group(0))
    rest = body[road_match.end():]
    postcode = postcodes[-1] if postcodes else ""
    rest = POSTCODE.sub(" ", rest)
    rest = REQUEST_TAIL.sub("", _clean(rest)) if korean else rest
    parts = [_clean(p) for p in re.split(r"[,\n]", rest) if _clean(p)]
    city = district = state = ""
    if korean:
        detail = _clean(" ".join(parts))
        found_city = CITY.search(road + " ")
        city = found_city.group(1) if found_city else ""
        districts = DISTRICT.findall(road[found_city.end() if found_city else 0:] + " ")
        district = districts[-1] if districts else ""
    else:
        units = [p for p in parts if UNIT.match(p)]
        detail = ", ".join(units)
        others = [p for p in parts if p not in units]
        states = [EN_STATE.search(p) for p in others]
        state = next((m.group(1) for m in states if m), "")
        city = next((EN_STATE.sub("", p).strip() for p in others
                     if EN_STATE.sub("", p).strip()), "")
    return ParsedAddress(road=road, detail=detail, postcode=postcode,
                         recipient=recipient.group(1) if recipient else None,
                         phone=re.sub(r"[\s]", "", phone.group(1)) if phone else None,
                         city=city, district=district, state=state)


def merge_address(old: dict[str, Any] | None, new: ParsedAddress) -> dict[str, Any]:
    """Return the order's address with the new road, detail and postcode, the rest kept."""
    merged = dict(old or {})
    style = "lines" if {"line1", "postal_code"} & set(merged) else "address"
    road_key, detail_key, postcode_key = KEY_STYLES[style]
    merged[road_key], merged[detail_key] = new.road, new.detail
    merged[postcode_key] = new.postcode
    for key, value in (("city", new.city), ("district", new.district), ("state", new.state)):
        if value and (key in merged or style == "address" and key != "district"):
            merged[key] = value
    if new.recipient:
        merged["recipient" if style == "lines" or "recipient" in merged else "name"] = new.recipient
    if new.phone:
        merged["phone"] = new.phone
    return merged
