"""Index and query terms: morphemes from omnidesk.core.text plus Korean compound pieces."""

from __future__ import annotations

import re
from collections.abc import Iterable

from omnidesk.core.text import tokenize

HANGUL_WORD = re.compile(r"^[\uac00-\ud7a3]+$")
HANGUL_RUN = re.compile(r"[\uac00-\ud7a3]{2,}")
# Compound nouns of this many syllables or more also contribute their syllable bigrams, so
# 현금영수증 meets 영수증 and an unknown compound like 배숑조회 still shares 조회.
COMPOUND_MIN_SYLLABLES = 3


def syllable_bigrams(word: str) -> list[str]:
    """Return the overlapping two-syllable pieces of a Hangul word."""
    return [word[i : i + 2] for i in range(len(word) - 1)]


def expand_compounds(terms: Iterable[str]) -> list[str]:
    """Add syllable bigrams after each long Hangul term."""
    out: list[str] = []
    for term in terms:
        out.append(term)
        if len(term) >= COMPOUND_MIN_SYLLABLES and HANGUL_WORD.match(term):
            out.extend(syllable_bigrams(term))
    return out


def index_terms(text: str) -> list[str]:
    """Return the terms stored in the full-text index for a piece of text."""
    return expand_compounds(tokenize(text))


def is_hangul(term: str) -> bool:
    """Tell whether a term is made of Hangul syllables only."""
    return bool(HANGUL_WORD.match(term))
