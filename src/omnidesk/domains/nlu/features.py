"""Text features for intent classification: word, character, jamo and morpheme n-grams.

Five TF-IDF views are stacked, all taken from the message in standard spelling (slang, 초성 and
chat misspellings rewritten by ``wording.canonical``): word 1–2-grams catch phrasing ("top up",
"환불 언제"); character n-grams inside word boundaries survive typos; character n-grams of the
message without spaces make "이소파" meet "이 소파"; jamo n-grams (환블 vs 환불 differ by one
vowel) catch Korean typos inside a syllable; Korean morphemes from kiwipiepy make inflected forms
meet (취소했어요 / 취소하고 싶어요 -> 취소, 하다). Words the customer negates ("취소 말고")
leave the surface views and come back as ``neg:`` morphemes, and a message naming another
company's service carries ``c:other_company`` there and in a view of its own ("company", one
column): inside the morpheme view the mark is one term among twenty, outweighed by "주문 취소"
in "배달의민족에서 시킨 치킨 주문 취소해 주세요"; alone it gets the weight the rows give it
(every such row in the store set is out of scope; in CLINC150 most are the ``uber`` intent). A
dense view ("meaning") is the message's sentence vector from a packaged static embedding
(``nlu.embedding``): what English words mean beyond the training rows' n-grams ("sign in" near
"log in").
"""

from __future__ import annotations

import itertools
from functools import lru_cache
from typing import TYPE_CHECKING

from omnidesk.core.text import jamo, normalize, tokenize
from omnidesk.domains.nlu.concepts import concept_terms
from omnidesk.domains.nlu.wording import canonical, negated_words, other_company, without_negated

if TYPE_CHECKING:  # scikit-learn is for training; serving scores with nlu.scoring
    from collections.abc import Sequence

    import numpy as np
    from scipy.sparse import csr_matrix
    from sklearn.pipeline import FeatureUnion

# Morphological analysis is the slow part of featurizing Korean; k-fold training sees each text
# several times, and live traffic repeats short messages ("상담원 연결"), so memoise it.
_MORPHEME_CACHE_SIZE = 50_000
# The surface views overlap (all are character or word n-grams of one text); weighing them down
# keeps the morpheme and concept view, which carries negation and other companies, audible. The
# meaning view at 1.0 was chosen by cross-validation on kointent train (2.0: accuracy +0.001,
# out-of-scope recall -0.06); the company view's 1.0 likewise (2.0: out-of-scope recall -0.05).
VIEW_WEIGHTS = {"word": 1.0, "char": 1.0, "unspaced": 0.7, "jamo": 0.7, "morpheme": 1.0,
                "meaning": 1.0, "company": 1.0}


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
    _surface.cache_clear()


@lru_cache(maxsize=_MORPHEME_CACHE_SIZE)
def _surface(text: str) -> str:
    return without_negated(canonical(text))


def surface_text(text: str) -> str:
    """Return the standard spelling of a message without the words it negates."""
    return _surface(text)


def unspaced_text(text: str) -> str:
    """Return the surface text without spaces (spacing-insensitive character n-grams)."""
    return "".join(_surface(text).split())


def jamo_text(text: str) -> str:
    """Return the surface text decomposed into jamo (typo-tolerant character n-grams)."""
    return jamo(_surface(text))


def message_terms(text: str) -> list[str]:
    """Return morphemes, bigrams and concepts of the standard spelling, negated words marked."""
    norm = canonical(text)
    negated: set[str] = set()
    for word in negated_words(norm):
        negated.update(_cached_terms(word))
    surface = without_negated(norm)
    terms = [t for t in _cached_terms(surface) if t != "¬"]
    bigrams = [f"{left}_{right}" for left, right in itertools.pairwise(terms)]
    marks = [f"neg:{t}" for t in sorted(negated)]
    marks += [f"neg:{c}" for c in concept_terms(" ".join(negated_words(norm)))]
    extra = ["c:other_company"] if other_company(norm) else []
    return terms + bigrams + concept_terms(surface) + marks + extra


def preprocess(text: str) -> str:
    """Normalize text before word and character n-grams (NFKC, case-folded)."""
    return normalize(text)


def build_feature_union() -> FeatureUnion:
    """Build the unfitted word + char + unspaced + jamo + morpheme TF-IDF + meaning + company
    union."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.pipeline import FeatureUnion
    from sklearn.preprocessing import FunctionTransformer

    word = TfidfVectorizer(
        preprocessor=surface_text,
        ngram_range=(1, 2),
        token_pattern=r"(?u)\b\w+\b",
        sublinear_tf=True,
        min_df=1,
        dtype=_float32(),
    )
    char = TfidfVectorizer(
        preprocessor=surface_text,
        analyzer="char_wb",
        ngram_range=(1, 5),
        sublinear_tf=True,
        min_df=1,
        max_features=300_000,
        dtype=_float32(),
    )
    unspaced = TfidfVectorizer(
        preprocessor=unspaced_text, analyzer="char", ngram_range=(2, 4), sublinear_tf=True,
        max_features=200_000, dtype=_float32(),
    )
    jamos = TfidfVectorizer(
        preprocessor=jamo_text, analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True,
        max_features=200_000, dtype=_float32(),
    )
    morpheme = TfidfVectorizer(
        analyzer=message_terms,
        sublinear_tf=True,
        dtype=_float32(),
    )
    meaning = FunctionTransformer(meaning_vectors, accept_sparse=True)
    company = FunctionTransformer(company_vectors, accept_sparse=True)
    views = [("word", word), ("char", char), ("unspaced", unspaced), ("jamo", jamos),
             ("morpheme", morpheme), ("meaning", meaning), ("company", company)]
    return FeatureUnion(views, transformer_weights=VIEW_WEIGHTS)


def meaning_array(texts: Sequence[str]) -> np.ndarray:
    """Return the surface texts' dense sentence vectors (``nlu.embedding``), one row per text."""
    from omnidesk.domains.nlu.embedding import sentence_vectors

    return sentence_vectors([surface_text(text) for text in texts])


def meaning_vectors(texts: Sequence[str]) -> csr_matrix:
    """Return ``meaning_array`` as a sparse matrix (the FeatureUnion's dense view)."""
    from scipy.sparse import csr_matrix

    return csr_matrix(meaning_array(texts))


def company_array(texts: Sequence[str]) -> np.ndarray:
    """Return one column: 1.0 when the message names another company's service, else 0.0."""
    import numpy as np

    flags = [[1.0 if other_company(canonical(text)) else 0.0] for text in texts]
    return np.array(flags, dtype=np.float32).reshape(len(texts), 1)


def company_vectors(texts: Sequence[str]) -> csr_matrix:
    """Return ``company_array`` as a sparse matrix (the FeatureUnion's company view)."""
    from scipy.sparse import csr_matrix

    return csr_matrix(company_array(texts))


def _float32() -> type:
    import numpy as np

    return np.float32
