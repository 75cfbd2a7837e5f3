"""Read which variant a customer picks: its number in the list, or option words in ko or en.

Option values come from the store's catalogue in whatever language it uses ("blue", "화이트",
"메탈 실버"), so common colour and size words are matched across both languages.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from omnidesk.domains.commerce.service import Variant

INDEX = re.compile(r"^\s*(?:no\.?|number|option|#)?\s*(\d{1,2})(?![\da-z]|[.,]\d)", re.IGNORECASE)
_GROUPS = (
    "black 검정 검정색 검은 검은색 까만 블랙", "white 흰 흰색 하얀 하얀색 백색 화이트",
    "red 빨강 빨간 빨간색 레드", "blue 파랑 파란 파란색 블루", "navy 남색 네이비",
    "green 초록 초록색 녹색 그린", "yellow 노랑 노란 노란색 옐로", "purple 보라 보라색 퍼플",
    "pink 분홍 분홍색 핑크", "gray grey 회색 그레이", "silver 은색 실버", "gold 금색 골드",
    "beige 베이지", "brown 갈색 브라운", "orange 주황 주황색 오렌지",
    "s small 스몰", "m medium 미디엄", "l large 라지", "xl extra_large x-large 엑스라지",
)
SYNONYMS = tuple(frozenset(w.replace("_", " ") for w in group.split()) for group in _GROUPS)


def _terms(value: str) -> set[str]:
    """Return the words that name an option value: itself, its words, and their synonyms."""
    value = value.strip().lower()
    words = {value, *(w for w in value.split() if len(w) >= 2)}
    terms = set(words)
    for group in SYNONYMS:
        if words & group:
            terms |= group
    return {t for t in terms if t}


def _spans(text: str, term: str) -> list[tuple[int, int]]:
    # Latin words need word edges ("m" is not in "I'm"); Korean ones take particles ("화이트로").
    edge = r"(?<![a-z0-9'])" if term.isascii() else ""
    tail = r"(?![a-z0-9'])" if term.isascii() else ""
    return [m.span() for m in re.finditer(edge + re.escape(term) + tail, text)]


def by_words(text: str, choices: Sequence[Variant]) -> list[Variant]:
    """Return the choices whose options agree with every option the text names."""
    lowered = text.lower()
    found: list[tuple[int, int, str, str]] = []
    for key in sorted({k for v in choices for k in v.options}):
        for value in sorted({str(v.options[key]) for v in choices if key in v.options}):
            for term in _terms(value):
                found += [(s, e, key, value) for s, e in _spans(lowered, term)]
    # A word inside a longer match of another value does not count ("large" in "extra large").
    kept = [f for f in found if not any(
        o[0] <= f[0] and f[1] <= o[1] and o[1] - o[0] > f[1] - f[0] and o[2:] != f[2:]
        for o in found)]
    named: dict[str, set[str]] = {}
    for _start, _end, key, value in kept:
        named.setdefault(key, set()).add(value)
    if not named:
        return []
    return [v for v in choices
            if all(str(v.options.get(key)) in values for key, values in named.items())]


def pick_variant(text: str, choices: Sequence[Variant], *,
                 by_number: bool) -> tuple[Variant | None, list[Variant]]:
    """Return the variant the customer picked (or None) and the choices still possible."""
    if by_number:
        match = INDEX.match(text)
        if match and 1 <= int(match.group(1)) <= len(choices):
            return choices[int(match.group(1)) - 1], []
    matching = by_words(text, choices)
    if len(matching) == 1:
        return matching[0], matching
    return None, matching or list(choices)
