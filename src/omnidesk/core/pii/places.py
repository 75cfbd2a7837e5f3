"""Email addresses (also written 골뱅이 / [at] / [dot]) and street addresses (ko and en)."""

from __future__ import annotations

import re

from omnidesk.core.pii.span import PiiSpan, span

EMAIL = re.compile(r"(?<![A-Za-z0-9._%+-])([A-Za-z0-9][A-Za-z0-9._%+-]*)@[A-Za-z0-9-]+"
                   r"(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
_AT = r"(?:[ \t]*(?:골뱅이|\[at\]|\(at\)|@)[ \t]*|[ \t]+at[ \t]+)"
_DOT = r"(?:[ \t]*(?:\.|닷|점|\[dot\]|\(dot\))[ \t]*|[ \t]+dot[ \t]+)"
EMAIL_SPOKEN = re.compile(
    rf"(?<![A-Za-z0-9._%+-])([A-Za-z0-9][A-Za-z0-9._%+-]*){_AT}[A-Za-z0-9-]+"
    rf"(?:{_DOT}[A-Za-z0-9-]+)*?{_DOT}(com|net|org|kr|co|io|edu|gov|jp|uk|de|me|info|biz|ac)(?![A-Za-z0-9])",
    re.IGNORECASE)
ROLE_MAILBOXES = {
    "help", "support", "noreply", "no-reply", "donotreply", "do-not-reply", "info", "cs", "admin",
    "contact", "sales", "service", "webmaster", "postmaster", "privacy", "billing", "hello", "team",
    "office", "abuse", "marketing", "feedback", "jobs", "hr", "press", "mailer-daemon", "security",
    "customerservice", "customer", "helpdesk", "orders", "returns", "notification", "notifications",
}

SIDO = ("서울특별시|서울시|서울|부산광역시|부산시|부산|대구광역시|대구시|대구|인천광역시|인천시|인천|"
        "광주광역시|광주시|광주|대전광역시|대전시|대전|울산광역시|울산시|울산|세종특별자치시|세종시|세종|"
        "경기도|경기|강원특별자치도|강원도|강원|충청북도|충북|충청남도|충남|전북특별자치도|전라북도|전북|"
        "전라남도|전남|경상북도|경북|경상남도|경남|제주특별자치도|제주도|제주")
_SGG = r"[가-힣]{1,6}(?:시|군|구)"
_ROAD = r"[가-힣A-Za-z0-9]{1,12}(?:로|길)(?:[ \t]?\d{1,4}(?:번?[가-힣]?길))?[ \t]?\d{1,5}(?:-\d{1,5})?"
_LOT = r"[가-힣0-9]{1,8}(?:동|리|가)\d?[ \t](?:산[ \t]?)?\d{1,5}(?:-\d{1,5})?"
_UNIT = r"(?:[A-Za-z]|\d{1,5})(?:동|층|호)"
_TAIL = (rf"(?:[ \t]*[,\n]?[ \t]*(?:(?:[가-힣A-Za-z]{{2,12}}[ \t\n]){{0,2}}{_UNIT}|지하[ \t]?\d층|"
         rf"\([가-힣A-Za-z0-9, ]{{2,20}}\)))*")
ADDRESS_KR = re.compile(
    rf"(?:(?:{SIDO})[ \t]+(?:{_SGG}[ \t]+){{0,2}}|(?:{_SGG}[ \t]+){{1,2}})(?:{_ROAD}|{_LOT})(?![\d-]){_TAIL}")

_SUFFIX = (r"Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|Parkway|Pkwy|"
           r"Way|Place|Pl|Terrace|Ter|Circle|Cir|Highway|Hwy|Square|Sq|Loop|Trail|Row|Crescent|Close|Parade|Gardens|Mews|Walk")
_POSTCODE = (r"[A-Z]{2}[ \t]+\d{5}(?:-\d{4})?|[A-Z]{2}[ \t]+[A-Z]\d[A-Z][ \t]?\d[A-Z]\d|"
             r"[A-Z]{1,2}\d[A-Z\d]?[ \t]?\d[A-Z]{2}")
ADDRESS_EN = re.compile(
    rf"(?<![\w])\d{{1,6}}[A-Z]?[ \t]+(?:(?:[A-Z][A-Za-z'.]*|\d+(?:st|nd|rd|th))[ \t]+){{0,5}}?"
    rf"(?:{_SUFFIX})\.?(?:[ \t]+(?:North|South|East|West|N|S|E|W|NE|NW|SE|SW))?"
    rf"(?:,?[ \t]*(?:Apt|Apartment|Suite|Ste|Unit|Fl|Floor|\#)\.?[ \t]*\#?[A-Za-z0-9-]+)?"
    rf",?[ \t]*\n?[ \t]*[A-Z][A-Za-z.]+(?:[ \t]+[A-Z][A-Za-z.]+){{0,2}},?[ \t]+(?:{_POSTCODE})"
    rf"(?![A-Za-z0-9])")


def find_emails(text: str) -> list[PiiSpan]:
    """Find personal email addresses; role mailboxes (help@, support@ …) are not personal data."""
    found = []
    for pattern in (EMAIL, EMAIL_SPOKEN):
        for match in pattern.finditer(text):
            if match.group(1).lower() not in ROLE_MAILBOXES:
                found.append(span("email", text, match.start(), match.end()))
    return found


def find_addresses(text: str) -> list[PiiSpan]:
    """Find Korean road/lot addresses (through 동/층/호) and English addresses ending in a postcode."""
    return [span("address", text, m.start(), m.end())
            for pattern in (ADDRESS_KR, ADDRESS_EN) for m in pattern.finditer(text)]
