"""Check that a generated answer says nothing its cited passages do not support.

Every sentence must cite at least one passage by number ([1]) and share most of its content words
with the passages it cites; every number in it (amounts, durations, counts; 5만 = 50,000) must be
in those passages, a duration with the same unit ("7일" needs 7 days there, not 7 hours), and it
must not say "not" where the passage sentence it rests on does not, nor drop a "not" that
sentence has. One unsupported sentence rejects the whole answer.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from omnidesk.core.text import tokenize

CITATION = re.compile(r"\[(\d+)\]")
SENTENCE_END = re.compile(r"(?<=[.!?。])\s+|\n+")
MIN_OVERLAP = 0.6
NO_ANSWER = "NO_ANSWER"
NUMBER = re.compile(r"(\d+(?:[.,]\d+)*)\s*(만|천)?\s*([가-힣]+|[a-z]+)?", re.IGNORECASE)
DURATION_UNITS = {
    "일": "day", "영업일": "day", "day": "day", "days": "day", "business": "day",
    "시간": "hour", "hour": "hour", "hours": "hour", "분": "minute", "minute": "minute",
    "minutes": "minute", "주": "week", "주일": "week", "week": "week", "weeks": "week",
    "개월": "month", "달": "month", "month": "month", "months": "month", "년": "year",
    "year": "year", "years": "year",
}
NEGATION = re.compile(
    r"(?:^|\s)(?:안|못)\s|않|없|불가|아닙|아니|\b(?:not|no|never|cannot|can't|won't|don't|"
    r"doesn't|isn't|aren't|without)\b", re.IGNORECASE)


@dataclass(frozen=True)
class GroundedAnswer:
    """An accepted answer: its sentences without citation marks and the passages it cites."""

    text: str
    cited: list[int]


def sentences(text: str) -> list[str]:
    """Split an answer into sentences, keeping each sentence's trailing citations."""
    parts = [p.strip() for p in SENTENCE_END.split(text.strip()) if p and p.strip()]
    merged: list[str] = []
    for part in parts:
        if merged and re.fullmatch(r"(\[\d+\]\s*)+", part):
            merged[-1] += " " + part  # citations that drifted onto their own line
        else:
            merged.append(part)
    return merged


def overlap(sentence: str, passages: Sequence[str]) -> float:
    """Return the share of the sentence's content words found in the passages."""
    words = set(tokenize(CITATION.sub(" ", sentence)))
    if not words:
        return 1.0
    known: set[str] = set()
    for passage in passages:
        known.update(tokenize(passage))
    return len(words & known) / len(words)


def quantities(text: str) -> set[tuple[float, str]]:
    """Return the numbers in a text as (value, duration unit or '') pairs: 5만 원 -> 50000."""
    found: set[tuple[float, str]] = set()
    for digits, scale, word in NUMBER.findall(text):
        value = float(digits.replace(",", ""))
        value *= {"만": 10_000, "천": 1_000}.get(scale, 1)
        unit = DURATION_UNITS.get((word or "").lower(), "")
        if not unit and word:  # 5~7영업일, 3일간: the unit starts the word
            unit = next((u for k, u in DURATION_UNITS.items() if word.startswith(k)), "")
        found.add((value, unit))
    return found


def numbers_supported(sentence: str, passages: Sequence[str]) -> bool:
    """Tell whether every number of the sentence (with its duration unit) is in the passages."""
    known = set().union(*(quantities(p) for p in passages)) if passages else set()
    values = {value for value, _ in known}
    for value, unit in quantities(sentence):
        if value not in values or (unit and (value, unit) not in known):
            return False
    return True


def _negated(text: str) -> bool:
    return bool(NEGATION.search(text))


def polarity_supported(sentence: str, passages: Sequence[str]) -> bool:
    """Tell whether the sentence says "not" exactly when its closest passage sentence does."""
    candidates = [s for p in passages for s in sentences(p)]
    if not candidates:
        return True
    words = set(tokenize(CITATION.sub(" ", sentence)))
    closest = max(candidates, key=lambda s: len(words & set(tokenize(s))))
    return _negated(CITATION.sub(" ", sentence)) == _negated(closest)


def check_grounded(answer: str, passages: Sequence[str]) -> GroundedAnswer | None:
    """Accept the answer only if every sentence cites passages that support it."""
    if not answer.strip() or NO_ANSWER in answer:
        return None
    kept: list[str] = []
    cited: set[int] = set()
    for sentence in sentences(answer):
        numbers = {int(n) for n in CITATION.findall(sentence)}
        if not numbers or any(n < 1 or n > len(passages) for n in numbers):
            return None
        cited_texts = [passages[n - 1] for n in numbers]
        if overlap(sentence, cited_texts) < MIN_OVERLAP:
            return None
        if not numbers_supported(CITATION.sub(" ", sentence), cited_texts):
            return None
        if not polarity_supported(sentence, cited_texts):
            return None
        kept.append(" ".join(CITATION.sub(" ", sentence).split()))
        cited |= numbers
    return GroundedAnswer(" ".join(kept), sorted(cited)) if kept else None
