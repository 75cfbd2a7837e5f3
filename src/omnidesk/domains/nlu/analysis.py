"""Per-message analysis for the bot and routing: language, sentiment and frustration signals.

Frustration is a 0–1 score built from signals a human supervisor would notice: the customer asks
for a person, repeats themselves, shouts (!!, ALL CAPS), swears (also spaced or masked: ㅅ ㅂ,
씨X, f*ck) or is simply negative.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from omnidesk.core.text import normalize
from omnidesk.domains.nlu import lexicon
from omnidesk.domains.nlu.language import message_language
from omnidesk.domains.nlu.sentiment import score_sentiment

SIGNAL_WEIGHTS = {
    "wants_human": 0.35,
    "repeated_message": 0.3,
    "shouting": 0.2,
    "all_caps": 0.2,
    "profanity": 0.4,
    "negative_sentiment": 0.25,
}
REPEAT_SIMILARITY = 0.85
REPEAT_LOOKBACK = 5
_SQUASH = re.compile(r"[\s.·,_\-*~!?^'\"`]+")
_EN_WORDS = re.compile(r"[a-z]+")
_CAPS_WORD = re.compile(r"\b[A-Z]{3,}\b")


@dataclass(frozen=True)
class MessageAnalysis:
    """What the bot needs to know about one customer message."""

    language: str
    sentiment: str
    sentiment_score: float
    frustration: float
    wants_human: bool
    signals: list[str] = field(default_factory=list)


def analyze_message(text: str, history: Sequence[str] = ()) -> MessageAnalysis:
    """Analyze a message given the customer's earlier messages in the conversation (oldest first)."""
    sentiment = score_sentiment(text)
    signals = frustration_signals(text, history)
    if sentiment.label == "negative":
        signals.append("negative_sentiment")
    frustration = min(1.0, sum((SIGNAL_WEIGHTS[signal] for signal in signals), 0.0))
    if sentiment.score < 0:
        frustration = min(1.0, frustration + 0.2 * -sentiment.score)
    return MessageAnalysis(
        language=message_language(text),
        sentiment=sentiment.label,
        sentiment_score=sentiment.score,
        frustration=round(frustration, 3),
        wants_human="wants_human" in signals,
        signals=signals,
    )


def frustration_signals(text: str, history: Sequence[str] = ()) -> list[str]:
    """List the frustration signals present in a message (without sentiment)."""
    checks = (
        ("wants_human", wants_human(text)),
        ("repeated_message", is_repeated(text, history)),
        ("shouting", is_shouting(text)),
        ("all_caps", is_all_caps(text)),
        ("profanity", has_profanity(text)),
    )
    return [name for name, present in checks if present]


def wants_human(text: str) -> bool:
    """Tell whether the customer asks for a human agent (상담원 연결, talk to a human)."""
    norm = normalize(text)
    if any(normalize(phrase) in norm for phrase in lexicon.HUMAN_REQUESTS_KO):
        return True
    words = " ".join(_EN_WORDS.findall(norm))
    return any(
        re.search(rf"\b{re.escape(phrase)}s?\b", words) for phrase in lexicon.HUMAN_REQUESTS_EN
    )


def is_repeated(text: str, history: Sequence[str]) -> bool:
    """Tell whether the message (nearly) repeats one of the customer's recent messages."""
    current = _squash(text)
    if len(current) < 2:
        return False
    recent = history[-REPEAT_LOOKBACK:]
    return any(
        SequenceMatcher(None, current, _squash(old)).ratio() >= REPEAT_SIMILARITY for old in recent
    )


def is_shouting(text: str) -> bool:
    """Tell whether the message shouts with repeated ! or ? marks (!!, ?!?)."""
    return re.search(r"[!?！？]{2,}", text) is not None and "!" in text.replace("！", "!")


def is_all_caps(text: str) -> bool:
    """Tell whether English text is written mostly in capitals (two or more words of 3+ letters)."""
    letters = [char for char in text if char.isascii() and char.isalpha()]
    if len(letters) < 6:
        return False
    upper_share = sum(char.isupper() for char in letters) / len(letters)
    return upper_share >= 0.7 and len(_CAPS_WORD.findall(text)) >= 2


def has_profanity(text: str) -> bool:
    """Tell whether the message swears, also when spaced or masked (ㅅ ㅂ, 씨X, f u c k)."""
    squashed = _squash(text)
    if any(normalize(word) in squashed for word in lexicon.PROFANITY_KO):
        return True
    words = set(_EN_WORDS.findall(normalize(text)))
    masked = re.findall(r"[a-z*@#$x]{3,}", normalize(text))
    english = lexicon.PROFANITY_EN
    return any(word in words or word in masked for word in english) or "fuck" in squashed


def _squash(text: str) -> str:
    return _SQUASH.sub("", normalize(text))
