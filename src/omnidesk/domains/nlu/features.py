"""Text features for intent classification: word n-grams, character n-grams and morphemes.

Three TF-IDF views are stacked: word 1–2-grams catch phrasing ("top up", "환불 언제"), character
n-grams inside word boundaries survive typos and Korean written without spaces, and Korean
morphemes from kiwipiepy make inflected forms meet (취소했어요 / 취소하고 싶어요 -> 취소, 하다).
"""

from __future__ import annotations

import itertools
from functools import lru_cache

from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.pipeline import FeatureUnion

from omnidesk.core.text import normalize, tokenize
from omnidesk.domains.nlu.concepts import concept_terms

# Morphological analysis is the slow part of featurizing Korean; k-fold training sees each text
# several times, and live traffic repeats short messages ("상담원 연결"), so memoise it.
_MORPHEME_CACHE_SIZE = 50_000


@lru_cache(maxsize=_MORPHEME_CACHE_SIZE)
def _cached_terms(text: str) -> tuple[str, ...]:
    return tuple(tokenize(text, keep_stopwords=True))


def morpheme_terms(text: str) -> list[str]:
    """Return morpheme unigrams, adjacent bigrams and bilingual concepts (picklable analyzer)."""
    terms = list(_cached_terms(text))
    bigrams = [f"{left}_{right}" for left, right in itertools.pairwise(terms)]
    return terms + bigrams + concept_terms(text)


def clear_feature_cache() -> None:
    """Forget memoised morpheme analyses (for honest latency measurements)."""
    _cached_terms.cache_clear()


def preprocess(text: str) -> str:
    """Normalize text before word and character n-grams (NFKC, case-folded)."""
    return normalize(text)


def build_feature_union() -> FeatureUnion:
    """Build the unfitted word + char + morpheme TF-IDF union."""
    word = TfidfVectorizer(
        preprocessor=preprocess,
        ngram_range=(1, 2),
        token_pattern=r"(?u)\b\w+\b",
        sublinear_tf=True,
        min_df=1,
        dtype=_float32(),
    )
    char = TfidfVectorizer(
        preprocessor=preprocess,
        analyzer="char_wb",
        ngram_range=(1, 5),
        sublinear_tf=True,
        min_df=1,
        max_features=300_000,
        dtype=_float32(),
    )
    morpheme = TfidfVectorizer(
        analyzer=morpheme_terms,
        sublinear_tf=True,
        dtype=_float32(),
    )
    return FeatureUnion([("word", word), ("char", char), ("morpheme", morpheme)])


def _float32() -> type:
    import numpy as np

    return np.float32
