"""Index and query terms: morphemes from omnidesk.core.text plus Korean compound pieces.

Text is analysed a line at a time, on both sides: an article's heading, list items and table
cells are separate lines, and Kiwi reading them as one sentence joined words across them (a
heading ending in 한 and a line starting 빛리빙 gave 빛; "points." became "oints." and "p"). A
line without Hangul never reaches the analyser (English and numbers are split by a pattern, as
an English query is), and a batch analyses each distinct line once (``index_terms_many``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from omnidesk.core import text as text_analysis
from omnidesk.core.text import tokenize, tokenize_many

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


def line_terms(text: str) -> list[str]:
    """Return the morphemes, stems and numbers of a text, analysed a line at a time."""
    return [term for line in text.splitlines() for term in tokenize(line)]


def index_terms(text: str) -> list[str]:
    """Return the terms stored in the full-text index for a piece of text."""
    return expand_compounds(line_terms(text))


def index_terms_many(texts: Sequence[str]) -> list[list[str]]:
    """Return ``index_terms`` of each text, analysing each distinct line of the batch once
    (a section's heading starts each of its passages; help centers repeat boilerplate lines),
    a big batch's lines together on the analyser's worker threads (``tokenize_many``)."""
    split = [text.splitlines() for text in texts]
    lines = list(dict.fromkeys(line for text_lines in split for line in text_lines))
    if len(lines) >= text_analysis.BULK_MIN_LINES:
        found = tokenize_many(lines)
    else:
        found = [tokenize(line) for line in lines]
    analysed = dict(zip(lines, map(expand_compounds, found), strict=True))
    out: list[list[str]] = []
    for text_lines in split:
        terms: list[str] = []
        for line in text_lines:
            terms += analysed[line]
        out.append(terms)
    return out


def is_hangul(term: str) -> bool:
    """Tell whether a term is made of Hangul syllables only."""
    return bool(HANGUL_WORD.match(term))
