"""Korean/English text utilities shared by search and NLU: language guess and tokenization.

Korean is split into morphemes with kiwipiepy (nouns, verb/adjective stems, roots; compounds come
out as their parts); English is case-folded and lightly stemmed. The Kiwi model ships inside the
`kiwipiepy_model` package, so nothing is downloaded at run time.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from functools import lru_cache
from typing import Any

HANGUL = re.compile(r"[\uac00-\ud7a3\u3131-\u318e]")
LATIN = re.compile(r"[A-Za-z]")
WORD = re.compile(r"[A-Za-z]+(?:'[a-z]+)?|\d+(?:[.,]\d+)*|[\uac00-\ud7a3]+")
# A term must carry a letter, digit or Hangul syllable (drops bare jamo such as "ㅠㅠ").
TERM_CHARS = re.compile(r"[0-9a-z\uac00-\ud7a3]")
# Kiwi tags kept as content: nouns, verb/adjective stems, roots, foreign words, numbers.
CONTENT_TAGS = ("NNG", "NNP", "NNB", "NR", "NP", "VV", "VA", "XR", "SL", "SN", "MAG", "SH")
EN_STOPWORDS = frozenset((
    "a", "an", "the", "is", "are", "was", "were", "be", "been", "am", "do", "does", "did", "of",
    "to", "in", "on", "at", "for", "and", "or", "my", "i", "me", "you", "your", "it", "this",
    "that", "with", "can", "could", "would", "should", "will", "please", "hi", "hello", "there",
    "how", "what", "when",
))
# Ordered (suffix, replacement, shortest stem kept): longest, most specific first.
EN_SUFFIXES = (
    ("ational", "ate", 3),
    ("ations", "", 4),
    ("ation", "", 4),
    ("ments", "", 4),
    ("ment", "", 4),
    ("ness", "", 4),
    ("ies", "y", 3),
    ("ied", "y", 3),
    ("ers", "", 4),
    ("ing", "", 3),
    ("ed", "", 3),
    ("er", "", 4),
    ("es", "", 3),
    ("s", "", 3),
)
DOUBLE_END = re.compile(r"([bdfglmnprtz])\1$")

_kiwi_lock = threading.Lock()


def normalize(text: str) -> str:
    """Return NFKC-normalized, case-folded text (full-width forms and Hangul jamo composed)."""
    return unicodedata.normalize("NFKC", text).casefold()


def detect_language(text: str) -> str:
    """Guess 'ko' or 'en' from the script mix; Korean wins when Hangul is a real share."""
    hangul = len(HANGUL.findall(text))
    latin = len(LATIN.findall(text))
    if hangul == 0 and latin == 0:
        return "ko"
    return "ko" if hangul * 2 >= latin * 0.5 and hangul > 0 else "en"


@lru_cache(maxsize=1)
def _kiwi() -> Any:
    from kiwipiepy import Kiwi

    return Kiwi(num_workers=-1)


def stem_english(word: str) -> str:
    """Strip common English inflections and derivations (a light Porter-style step)."""
    if word.endswith("ss") or not word.isalpha():
        return word
    stem = word
    for suffix, keep, min_stem in EN_SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= min_stem:
            stem = word[: -len(suffix)] + keep
            break
    # Fold the ends that inflection changes, so install/installer/installation, cancel/cancelled
    # and arrive/arrived meet on one form.
    if len(stem) > 4 and stem.endswith("e"):
        stem = stem[:-1]
    if len(stem) > 3 and DOUBLE_END.search(stem):
        stem = stem[:-1]
    return stem


def korean_morphemes(text: str) -> list[tuple[str, str]]:
    """Return (form, tag) pairs for Korean text, compounds split where Kiwi knows them."""
    with _kiwi_lock:
        tokens = _kiwi().tokenize(text, split_complex=True)
    return [(tok.form, tok.tag.split("-")[0]) for tok in tokens]


def _korean_terms(norm: str, keep_stopwords: bool) -> list[str]:
    terms: list[str] = []
    for form, tag in korean_morphemes(norm):
        if tag not in CONTENT_TAGS:
            continue
        if tag == "SL":
            if not keep_stopwords and form in EN_STOPWORDS:
                continue
            form = stem_english(form.lower())
        if TERM_CHARS.search(form):
            terms.append(form)
    return terms


def tokenize(text: str, *, keep_stopwords: bool = False) -> list[str]:
    """Split text into search/NLU terms: Korean content morphemes, English stems, numbers."""
    norm = normalize(text)
    if HANGUL.search(norm):
        return _korean_terms(norm, keep_stopwords)
    terms: list[str] = []
    for word in WORD.findall(norm):
        if not keep_stopwords and word in EN_STOPWORDS:
            continue
        terms.append(stem_english(word) if word.isalpha() else word)
    return terms
