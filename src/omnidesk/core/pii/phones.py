"""Phone numbers: Korean mobile/landline/070/050x, E.164, North American, UK, spoken digits.

Company representative numbers (15xx/16xx/18xx, 080, 1-800 and other toll-free codes) and
masked numbers (010-****-5678) are not personal data and never match.
"""

from __future__ import annotations

import re

from omnidesk.core.pii.normalize import digits
from omnidesk.core.pii.span import SEP, PiiSpan, isolated, span

_NB = r"(?<![\d*+A-Za-z])"
_NA = r"(?![\d*])"
KR_LOCAL = re.compile(
    rf"{_NB}\(?(?:01[016789]|02|0[3-6][1-5]|070|050\d?)\)?{SEP}\d{{3,4}}{SEP}\d{{4}}{_NA}")
KR_INTL = re.compile(
    rf"(?:\+[ \t]?|{_NB})82[ \t\-.)]*\(?0?\)?[ \t\-.]*(?:1[016789]|2|[3-6][1-5]|70)"
    rf"{SEP}\d{{3,4}}{SEP}\d{{4}}{_NA}")
NANP = re.compile(
    rf"(?:\+[ \t]?1[ \t\-.]?|{_NB}1[ \t\-.]|{_NB})\(?([2-9]\d{{2}})\)?[ \t\-.]?\d{{3}}"
    rf"[ \t\-.]?\d{{4}}{_NA}")
UK_MOBILE = re.compile(rf"{_NB}07\d{{3}}[ \t]?\d{{6}}{_NA}")
E164 = re.compile(rf"\+[ \t]?[1-9]\d{{0,2}}(?:[ \t\-.]?\(?\d{{1,4}}\)?){{2,5}}{_NA}")
TOLL_FREE = {"800", "822", "833", "844", "855", "866", "877", "888"}
PHONE_WORD = re.compile(r"phone|call|cell|mobile|tel|text|number|reach|whatsapp|연락|전화|번호|핸드폰|휴대폰",
                        re.IGNORECASE)

KO_DIGITS = {"공": "0", "영": "0", "빵": "0", "일": "1", "이": "2", "삼": "3", "사": "4", "오": "5",
             "육": "6", "륙": "6", "칠": "7", "팔": "8", "구": "9"}
EN_DIGITS = {"zero": "0", "oh": "0", "o": "0", "one": "1", "two": "2", "three": "3", "four": "4",
             "five": "5", "six": "6", "seven": "7", "eight": "8", "nine": "9"}
EN_WORD = re.compile(r"[A-Za-z]+")


def _bare_landline(text: str, value: str, start: int) -> bool:
    """Tell whether unseparated digits not starting 01x lack a word calling them a number."""
    return (value.isdigit() and not value.startswith("01")
            and not PHONE_WORD.search(text[max(0, start - 30): start]))


def _nanp(text: str) -> list[PiiSpan]:
    found = []
    for match in NANP.finditer(text):
        if match.group(1) in TOLL_FREE:
            continue
        value = match.group()
        bare = value.isdigit() and len(value) == 10
        if bare and not PHONE_WORD.search(text[max(0, match.start() - 30): match.start()]):
            continue  # ten bare digits are an id unless someone calls it a number
        found.append(span("phone", text, match.start(), match.end()))
    return found


def _e164(text: str) -> list[PiiSpan]:
    found = []
    for match in E164.finditer(text):
        count = len(digits(match.group()))
        rest = digits(match.group())
        if 8 <= count <= 15 and not (rest.startswith("1") and rest[1:4] in TOLL_FREE):
            found.append(span("phone", text, match.start(), match.end()))
    return found


def _spoken_korean(text: str) -> list[PiiSpan]:
    """Read 공일공에 일이삼사에 … as digits; keep a run that forms a Korean phone number."""
    found = []
    i = 0
    while i < len(text):
        if text[i] not in "공영빵" or (i and text[i - 1] in KO_DIGITS):
            i += 1
            continue
        ends: list[int] = []
        j = i
        while j < len(text) and len(ends) < 11:
            char = text[j]
            if char in KO_DIGITS:
                ends.append(j + 1)
            elif not (char in " \t-,." or (char == "에" and ends)):
                break
            j += 1
        number = "".join(KO_DIGITS[text[k - 1]] for k in ends)
        length = 11 if number.startswith("01") else 9 if number.startswith("02") else 10
        if len(number) >= length and number[:2] in {"01", "02", "03", "04", "05", "06", "07"}:
            found.append(span("phone", text, i, ends[length - 1]))
            i = ends[length - 1]
        else:
            i += 1
    return found


def _spoken_english(text: str) -> list[PiiSpan]:
    """Read "four one five, five five five …" as digits; keep runs of 10 (or 1 + 10)."""
    found = []
    words = list(EN_WORD.finditer(text))
    i = 0
    while i < len(words):
        run = []
        j = i
        while j < len(words) and words[j].group().lower() in EN_DIGITS:
            gap = text[words[j - 1].end(): words[j].start()] if j > i else ""
            if j > i and not re.fullmatch(r"[ \t,\-.]{1,3}", gap):
                break
            run.append(words[j])
            j += 1
        numerals = [EN_DIGITS[w.group().lower()] for w in run]
        if numerals.count("0") < len(numerals) and len(run) >= 10:
            size = 11 if numerals[0] == "1" and len(run) >= 11 else 10
            found.append(span("phone", text, run[0].start(), run[size - 1].end()))
            i = i + size
        else:
            i = max(j, i + 1)
    return found


def find_phones(text: str) -> list[PiiSpan]:
    """Find phone numbers in folded text."""
    found = [span("phone", text, m.start(), m.end())
             for pattern in (KR_LOCAL, KR_INTL, UK_MOBILE) for m in pattern.finditer(text)
             if not _bare_landline(text, m.group(), m.start())]
    found += _nanp(text) + _e164(text)
    found = [s for s in found if isolated(text, s.start, s.end)]
    return found + _spoken_korean(text) + _spoken_english(text)
