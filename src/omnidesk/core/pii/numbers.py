"""Registration, card, CVV, bank account/IBAN, passport and driver's licence numbers."""

from __future__ import annotations

import re

from omnidesk.core.pii.normalize import digits
from omnidesk.core.pii.span import (
    SEP,
    PiiSpan,
    isolated,
    labelled_as_id,
    luhn_valid,
    near_before,
    span,
)

_DATE = r"\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])"
# The 7th digit is 1-8; since Oct 2020 the last six are random, so no checksum is asked.
RRN = re.compile(rf"(?<![\d*A-Za-z]){_DATE}"  # the halves may be split by a dash, a space or a line
                 rf"(?:[ \t]*-[ \t]*\n?[ \t]*|[ \t]*\n[ \t]*-?[ \t]*|[ \t])?"  # break on either side
                 rf"[1-8]\d{{6}}(?![\d*])")
RRN_FRONT = re.compile(rf"(?<![\d*-]){_DATE}(?![\d*])")
RRN_BACK = re.compile(r"(?<![\d*-])[1-8]\d{6}(?![\d*])")
RRN_LABEL = re.compile(r"주민|외국인\s?등록|등록\s?번호|앞\s?자리|뒷\s?자리|뒷\s?번호|\bRRN\b|\bARC\b|"
                       r"resident registration|registration (?:no|number)", re.IGNORECASE)

CARD_RUN = re.compile(rf"(?<![\d*A-Za-z])\d(?:{SEP}\d){{12,18}}(?![\d*])")
CARD_LABEL = re.compile(r"카드|card|visa|master|amex|jcb|결제|credit|debit|체크", re.IGNORECASE)
CVV_LABEL = re.compile(
    r"(?:cv[cv]2?|cid|csc|security\s+code|card\s+code|보안\s?코드|"
    r"(?:카드\s?)?뒷면\s*(?:세|3|네|4)\s*자리(?:\s*숫자)?|뒤(?:에|의)?\s*(?:세|3)\s*자리(?:\s*숫자)?)"
    r"[^\d\n]{0,8}?(\d{3,4})(?![\d*/])", re.IGNORECASE)
CVV_AFTER_CARD = re.compile(r"[^\d\n]{0,8}(?:\d{2}[ \t]?/[ \t]?\d{2,4}|\d{4})[^\d\n]{1,8}?(\d{3,4})(?![\d*/])")

BANK_LABEL = re.compile(
    r"은행|뱅크|카뱅|농협|국민|신한|우리|하나|기업|우체국|새마을|신협|수협|SC제일|씨티|\bKB|\bNH|\bIBK|"
    r"계좌|입금|송금|예금주|bank|account|acct|checking|savings|IBAN", re.IGNORECASE)
ACCOUNT_KR = re.compile(r"(?<![\d*A-Za-z])\d{2,6}(?:(?:[ \t]?-[ \t]?|[ \t])\d{1,7}){1,3}(?![\d*])"
                        r"|(?<![\d*A-Za-z])\d{10,14}(?![\d*])")
BUSINESS_NO = re.compile(r"\d{3}-\d{2}-\d{5}")
ACCOUNT_EN = re.compile(r"(?:account|acct)(?:\s+(?:number|no\.?|num|#))?\s*[:#]?\s*(\d{6,17})(?![\d*])",
                        re.IGNORECASE)
IBAN = re.compile(r"(?<![A-Za-z0-9])[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]{1,4}){2,8}")

PASSPORT_LABEL = re.compile(r"여권|passport|면세", re.IGNORECASE)
PASSPORT_ANY = re.compile(r"(?<![A-Za-z0-9])M(?:\d{8}|\d{3}[A-Z]\d{4})(?![A-Za-z0-9])")
PASSPORT_NEAR = re.compile(r"(?<![A-Za-z0-9*-])(?:[A-Z]{1,2}\d{6,8}|[A-Z]\d{3}[A-Z]\d{4}|\d{8,9})"
                           r"(?![A-Za-z0-9*])")

REGIONS = "서울|부산|경기|강원|충북|충남|전북|전남|경북|경남|제주|대구|인천|광주|대전|울산"
LICENSE_KR = re.compile(rf"(?<![\d*])(?:(?:{REGIONS})[ \t]?\d{{2}}-\d{{6}}-\d{{2}}"
                        rf"|\d{{2}}-\d{{2}}-\d{{6}}-\d{{2}})(?![\d*])")
LICENSE_LABEL = re.compile(r"운전\s?면허|면허\s?(?:번호|증)?|driver'?s?\s+licen[cs]e|driving\s+licen[cs]e|"
                           r"\bDL\b|licen[cs]e\s*(?:no|number|#)", re.IGNORECASE)
LICENSE_NEAR = re.compile(r"(?<![A-Za-z0-9*-])(?:\d{12}|[A-Z]\d{3}-?\d{4}-?\d{4}|[A-Z]\d{4,12}|\d{7,9}|"
                          r"[A-Z9]{5}\d{6}[A-Z9]{2}\d[A-Z]{2})(?![A-Za-z0-9*])")


def _card_iin(number: str) -> bool:
    size, head = len(number), int(number[:4])
    if number[0] == "4":
        return size in (13, 16, 19)
    if 5100 <= head < 5600 or 2221 <= head < 2721:
        return size == 16
    if number[:2] in ("34", "37"):
        return size == 15
    if number[:2] in ("36", "38", "39", "30"):
        return size in (14, 16)
    if number[:4] == "6011" or number[:2] == "65" or 644 <= int(number[:3]) <= 649:
        return size in (16, 19)
    if number[:2] in ("35", "62"):
        return size in (16, 17, 18, 19)
    return number[0] == "9" and size == 16  # Korean domestic (국내 전용) cards


def find_rrns(text: str) -> list[PiiSpan]:
    """Find resident/foreigner registration numbers, also given as two labelled halves."""
    found = [span("rrn", text, m.start(), m.end()) for m in RRN.finditer(text)
             if isolated(text, m.start(), m.end()) and not labelled_as_id(text, m.start(), RRN_LABEL)]
    for pattern in (RRN_FRONT, RRN_BACK):
        found += [span("rrn", text, m.start(), m.end()) for m in pattern.finditer(text)
                  if near_before(text, m.start(), RRN_LABEL, 30)
                  and not labelled_as_id(text, m.start(), RRN_LABEL)]
    return found


def find_cards(text: str) -> list[PiiSpan]:
    """Find Luhn-valid payment card numbers with a real issuer prefix."""
    found = []
    for match in CARD_RUN.finditer(text):
        number = digits(match.group())
        if not (luhn_valid(number) and _card_iin(number) and isolated(text, match.start(), match.end())):
            continue
        if labelled_as_id(text, match.start(), CARD_LABEL):
            continue
        found.append(span("card", text, match.start(), match.end()))
    return found


def find_cvvs(text: str, cards: list[PiiSpan]) -> list[PiiSpan]:
    """Find CVV/CVC codes after their label, or after a card number and its expiry date."""
    found = [span("cvv", text, m.start(1), m.end(1)) for m in CVV_LABEL.finditer(text)]
    for card in cards:
        match = CVV_AFTER_CARD.match(text, card.end)
        if match:
            found.append(span("cvv", text, match.start(1), match.end(1)))
    return found


# The IBAN registry's countries and the length of their IBANs (ISO 13616 / SWIFT registry): a
# store's order number such as HB2026120500307 can pass mod-97 by chance (1 in 97), never this.
IBAN_LENGTHS = {
    "AD": 24, "AE": 23, "AL": 28, "AT": 20, "AZ": 28, "BA": 20, "BE": 16, "BG": 22, "BH": 22,
    "BI": 27, "BR": 29, "BY": 28, "CH": 21, "CR": 22, "CY": 28, "CZ": 24, "DE": 22, "DJ": 27,
    "DK": 18, "DO": 28, "EE": 20, "EG": 29, "ES": 24, "FI": 18, "FK": 18, "FO": 18, "FR": 27,
    "GB": 22, "GE": 22, "GI": 23, "GL": 18, "GR": 27, "GT": 28, "HR": 21, "HU": 28, "IE": 22,
    "IL": 23, "IQ": 23, "IS": 26, "IT": 27, "JO": 30, "KW": 30, "KZ": 20, "LB": 28, "LC": 32,
    "LI": 21, "LT": 20, "LU": 20, "LV": 21, "LY": 25, "MC": 27, "MD": 24, "ME": 22, "MK": 19,
    "MN": 20, "MR": 27, "MT": 31, "MU": 30, "NI": 28, "NL": 18, "NO": 15, "OM": 23, "PK": 24,
    "PL": 28, "PS": 29, "PT": 25, "QA": 29, "RO": 24, "RS": 22, "RU": 33, "SA": 24, "SC": 31,
    "SD": 18, "SE": 24, "SI": 19, "SK": 24, "SM": 27, "SO": 23, "ST": 25, "SV": 28, "TL": 23,
    "TN": 24, "TR": 26, "UA": 29, "VA": 22, "VG": 24, "XK": 20, "YE": 30,
}


def _iban_valid(value: str) -> bool:
    if IBAN_LENGTHS.get(value[:2]) != len(value):
        return False
    code = value[4:] + value[:4]
    number = "".join(str(int(char, 36)) for char in code)
    return int(number) % 97 == 1


def find_ibans(text: str) -> list[PiiSpan]:
    """Find IBANs whose mod-97 check passes (trailing words that are not part of it are dropped)."""
    found = []
    for match in IBAN.finditer(text):
        groups = re.split(r"(?<= )", match.group())
        while groups:
            raw = "".join(groups)
            if _iban_valid(raw.replace(" ", "")):
                found.append(span("account", text, match.start(), match.start() + len(raw)))
                break
            groups.pop()
    return found


def find_accounts(text: str) -> list[PiiSpan]:
    """Find bank account numbers next to a bank name or an account word, and IBANs."""
    found = find_ibans(text)
    for match in ACCOUNT_KR.finditer(text):
        value, start, end = match.group(), match.start(), match.end()
        if not 10 <= len(digits(value)) <= 14 or BUSINESS_NO.fullmatch(value):
            continue
        line_after = text[end: end + 12].split("\n")[0]
        if not (near_before(text, start, BANK_LABEL, 30) or BANK_LABEL.search(line_after)):
            continue
        if isolated(text, start, end) and not labelled_as_id(text, start, BANK_LABEL):
            found.append(span("account", text, start, end))
    found += [span("account", text, m.start(1), m.end(1)) for m in ACCOUNT_EN.finditer(text)]
    return found


def find_passports(text: str) -> list[PiiSpan]:
    """Find passport numbers: the Korean layout anywhere, other layouts after a passport word."""
    found = [span("passport", text, m.start(), m.end()) for m in PASSPORT_ANY.finditer(text)]
    found += [span("passport", text, m.start(), m.end()) for m in PASSPORT_NEAR.finditer(text)
              if near_before(text, m.start(), PASSPORT_LABEL, 40)]
    return found


def find_licenses(text: str) -> list[PiiSpan]:
    """Find driver's licence numbers: the Korean layout anywhere, others after a licence word."""
    found = [span("driver_license", text, m.start(), m.end()) for m in LICENSE_KR.finditer(text)]
    found += [span("driver_license", text, m.start(), m.end()) for m in LICENSE_NEAR.finditer(text)
              if near_before(text, m.start(), LICENSE_LABEL, 30)]
    return found
