"""Lexicon sentiment for Korean and English messages: a label and a score in [-1, 1]."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from omnidesk.core.text import normalize
from omnidesk.domains.nlu import lexicon

NEUTRAL_BAND = 0.15
SENTIMENT_LABELS = ("negative", "neutral", "positive")
_EN_WORD = re.compile(r"[a-z]+(?:'[a-z]+)?")


@dataclass(frozen=True)
class Sentiment:
    """Sentiment label (negative/neutral/positive), score in [-1, 1] and the words that drove it."""

    label: str
    score: float
    cues: tuple[str, ...] = ()


def score_sentiment(text: str) -> Sentiment:
    """Score a message with the Korean and English lexicons, handling negation and intensifiers."""
    norm = normalize(text)
    hits = _korean_hits(norm) + _english_hits(norm)
    raw = sum(weight for _, weight in hits)
    if "!" in text and raw < 0:
        raw *= 1.2  # exclamation marks sharpen an already negative message
    score = math.tanh(raw / 3)  # squash to [-1, 1]; about one strong word gives |score| ~ 0.75
    label = "neutral"
    if score <= -NEUTRAL_BAND:
        label = "negative"
    elif score >= NEUTRAL_BAND:
        label = "positive"
    return Sentiment(label=label, score=round(score, 3), cues=tuple(cue for cue, _ in hits))


def _korean_hits(norm: str) -> list[tuple[str, float]]:
    hits: list[tuple[str, float]] = []
    taken: list[tuple[int, int]] = []
    # NFKC turns compatibility jamo (ㅠ, ㅡ) into conjoining ones, so normalize the keys too.
    entries = {normalize(k): v for k, v in {**lexicon.NEGATIVE_KO, **lexicon.POSITIVE_KO}.items()}
    for word in sorted(entries, key=len, reverse=True):  # longest first: 어이가 없 before 없
        for match in re.finditer(re.escape(word), norm):
            span = (match.start(), match.end())
            if any(span[0] < end and start < span[1] for start, end in taken):
                continue
            taken.append(span)
            weight = entries[word] * _korean_intensity(norm, span[0])
            if weight > 0 and _korean_negated(norm, span):
                weight = -weight * 0.8
            hits.append((word, weight))
    return hits


def _korean_intensity(norm: str, start: int) -> float:
    before = norm[max(0, start - 4) : start].split()
    return lexicon.INTENSIFIERS_KO.get(before[-1], 1.0) if before else 1.0


def _korean_negated(norm: str, span: tuple[int, int]) -> bool:
    after = norm[span[1] : span[1] + 6]
    before = norm[max(0, span[0] - 2) : span[0]]
    return any(s in after for s in lexicon.NEGATION_SUFFIXES_KO) or before in ("안 ", "못 ")


def _english_hits(norm: str) -> list[tuple[str, float]]:
    words = _EN_WORD.findall(norm)
    hits: list[tuple[str, float]] = []
    for index, word in enumerate(words):
        weight = lexicon.NEGATIVE_EN.get(word) or lexicon.POSITIVE_EN.get(word)
        if not weight:
            continue
        window = words[max(0, index - 3) : index]
        if any(w in lexicon.NEGATORS_EN or w.endswith("n't") for w in window):
            weight = -weight * 0.8
        if window and window[-1] in lexicon.INTENSIFIERS_EN:
            weight *= lexicon.INTENSIFIERS_EN[window[-1]]
        hits.append((word, weight))
    return hits
