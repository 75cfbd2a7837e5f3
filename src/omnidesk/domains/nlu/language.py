"""Language of a customer message (Korean or English), with how sure the guess is."""

from __future__ import annotations

import re
from dataclasses import dataclass

from omnidesk.core.text import detect_language

HANGUL = re.compile(r"[\uac00-\ud7a3\u3131-\u318e]")
LATIN = re.compile(r"[A-Za-z]")
SUPPORTED_LANGUAGES = ("ko", "en")


@dataclass(frozen=True)
class LanguageGuess:
    """The detected language and the share of letters written in its script."""

    language: str
    script_share: float


def detect_message_language(text: str, *, default: str = "ko") -> LanguageGuess:
    """Detect 'ko' or 'en'; text with no letters at all falls back to ``default``."""
    hangul = len(HANGUL.findall(text))
    latin = len(LATIN.findall(text))
    if hangul + latin == 0:
        return LanguageGuess(language=default, script_share=0.0)
    language = detect_language(text)
    share = (hangul if language == "ko" else latin) / (hangul + latin)
    return LanguageGuess(language=language, script_share=round(share, 3))


def message_language(text: str, *, default: str = "ko") -> str:
    """Return just the language code of a message ('ko' or 'en')."""
    return detect_message_language(text, default=default).language
