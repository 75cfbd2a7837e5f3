"""Check that a generated answer says nothing its cited passages do not support.

Every sentence must cite at least one passage by number ([1]) and share most of its content words
with the passages it cites; one unsupported sentence rejects the whole answer.
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
        if overlap(sentence, [passages[n - 1] for n in numbers]) < MIN_OVERLAP:
            return None
        kept.append(" ".join(CITATION.sub(" ", sentence).split()))
        cited |= numbers
    return GroundedAnswer(" ".join(kept), sorted(cited)) if kept else None
