"""Intent scores without scikit-learn: the trained TF-IDF views and linear weights as plain arrays.

Training fits a scikit-learn pipeline (``classifier._fit_pipeline``); serving must not pay
scikit-learn's import (about 1.4 s of a process's start, more on a busy machine) for what is a
vocabulary look-up, a few array operations and one small product. ``LinearTextScorer.from_pipeline``
exports the fitted pipeline; ``decision`` repeats scikit-learn's arithmetic step for step (float32
counts, log + 1, times idf, l2 norm accumulated in double, view weight, then the float32 product
accumulated feature by feature in index order, as scipy's sparse product does), so the scores are
the same numbers, not merely close (``tests/domains/nlu/test_scoring.py``). The bytes are a numpy
``.npz`` (arrays) with a JSON header (vocabularies, settings): no pickle, nothing to import but numpy.
"""

from __future__ import annotations

import io
import json
import math
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from omnidesk.domains.nlu import features
from omnidesk.domains.nlu.embedding import DIMENSIONS

# The text functions a view may name (stored by name, resolved here: nothing else is callable).
FUNCTIONS: dict[str, Callable[[str], Any]] = {
    "surface_text": features.surface_text,
    "unspaced_text": features.unspaced_text,
    "jamo_text": features.jamo_text,
    "message_terms": features.message_terms,
    "morpheme_terms": features.morpheme_terms,
}
KINDS = ("word", "char", "char_wb", "terms")
# The dense views a model may name: unit sentence vectors of a whole text (nlu.embedding).
DENSE_FUNCTIONS: dict[str, Callable[[Sequence[str]], np.ndarray]] = {
    "meaning_vectors": features.meaning_array,
    "company_vectors": features.company_array,
}
DENSE_WIDTHS = {"meaning_vectors": DIMENSIONS, "company_vectors": 1}
_WHITE_SPACES = re.compile(r"\s\s+")  # as scikit-learn's _VectorizerMixin


@dataclass(frozen=True)
class TfidfView:
    """One fitted TF-IDF view: how it cuts a text into terms, its vocabulary and idf."""

    kind: str  # word | char | char_wb: preprocessor then n-grams; terms: the function's terms
    function: str  # a name in FUNCTIONS: the preprocessor, or (terms) the analyzer
    ngram_range: tuple[int, int]
    token_pattern: str
    vocabulary: dict[str, int]
    idf: np.ndarray
    weight: float | None  # the FeatureUnion's transformer weight (None: not multiplied)
    sublinear_tf: bool

    def terms(self, text: str) -> list[str]:
        """Return the terms of ``text`` as the fitted vectorizer's analyzer does."""
        function = FUNCTIONS[self.function]
        if self.kind == "terms":
            return list(function(text))
        doc = function(text)
        if self.kind == "word":
            return _word_ngrams(re.findall(self.token_pattern, doc), self.ngram_range)
        if self.kind == "char":
            return _char_ngrams(doc, self.ngram_range)
        return _char_wb_ngrams(doc, self.ngram_range)

    @property
    def width(self) -> int:
        """Return the number of columns this view adds."""
        return len(self.vocabulary)

    def row(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """Return the sorted column indices and float32 TF-IDF values of one text."""
        counts: Counter[int] = Counter()
        for term in self.terms(text):
            index = self.vocabulary.get(term)
            if index is not None:
                counts[index] += 1
        columns = np.array(sorted(counts), dtype=np.int64)
        values = np.array([counts[c] for c in columns.tolist()], dtype=np.float32)
        if self.sublinear_tf:
            np.log(values, values)
            values += 1.0
        values *= self.idf[columns]
        total = 0.0  # scikit-learn sums the float32 squares in a double, in index order
        for square in (values * values).tolist():
            total += square
        if total != 0.0:
            values = (values.astype(np.float64) / math.sqrt(total)).astype(np.float32)
        if self.weight is not None:
            values = values * self.weight
        return columns, values


@dataclass(frozen=True)
class DenseView:
    """A dense view: a named function's fixed-width vector of the text (no fitted state)."""

    function: str  # a name in DENSE_FUNCTIONS
    width: int
    weight: float | None

    def row(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """Return the non-zero column indices and float32 values, as the sparse matrix holds."""
        vector = DENSE_FUNCTIONS[self.function]([text])[0]
        columns = np.flatnonzero(vector)
        values = vector[columns]
        if self.weight is not None:
            values = values * self.weight
        return columns.astype(np.int64), values


@dataclass
class LinearTextScorer:
    """TF-IDF views stacked into one linear model's decision scores (one column per class)."""

    views: list[TfidfView | DenseView]
    coef_t: np.ndarray  # (features, columns) float32: the linear weights, transposed
    intercept: np.ndarray  # (columns,) float64
    classes: list[str]

    def decision(self, texts: Sequence[str]) -> np.ndarray:
        """Return the decision scores, one row per text; two columns (-s, s) for two classes."""
        rows = np.zeros((len(texts), self.coef_t.shape[1]), dtype=np.float64)
        for n, text in enumerate(texts):
            columns, values = [], []
            offset = 0
            for view in self.views:
                c, v = view.row(text)
                columns.append(c + offset)
                values.append(v)
                offset += view.width
            index, data = np.concatenate(columns), np.concatenate(values)
            if len(index):  # accumulated in float32 feature by feature, as scipy's csr product
                summed = np.cumsum(data[:, None] * self.coef_t[index], axis=0)[-1]
            else:
                summed = np.zeros(self.coef_t.shape[1], dtype=np.float32)
            rows[n] = summed + self.intercept
        if rows.shape[1] == 1:  # a binary model scores classes[1]
            return np.column_stack([-rows[:, 0], rows[:, 0]])
        return rows

    @classmethod
    def from_pipeline(cls, pipeline: Any) -> LinearTextScorer:
        """Export a fitted Pipeline(features=FeatureUnion of TfidfVectorizers, svm=linear)."""
        union, linear = pipeline.named_steps["features"], pipeline.named_steps["svm"]
        weights = union.transformer_weights or {}
        views = [_export_view(vectorizer, weights.get(name))
                 for name, vectorizer in union.transformer_list]
        coef = np.asarray(linear.coef_)
        return cls(views=views, coef_t=np.ascontiguousarray(coef.T),
                   intercept=np.asarray(linear.intercept_, dtype=np.float64),
                   classes=[str(c) for c in linear.classes_])

    def to_npz(self, header: dict[str, Any]) -> bytes:
        """Serialise the scorer and ``header`` (JSON-able metadata) as a compressed .npz."""
        meta = {**header, "classes": self.classes, "views": [_view_header(v) for v in self.views]}
        arrays = {f"idf{n}": v.idf for n, v in enumerate(self.views) if isinstance(v, TfidfView)}
        arrays.update(meta=np.frombuffer(json.dumps(meta, default=float).encode(), np.uint8),
                      coef_t=self.coef_t, intercept=self.intercept)
        buffer = io.BytesIO()
        np.savez_compressed(buffer, allow_pickle=False, **arrays)
        return buffer.getvalue()

    @classmethod
    def from_npz(cls, data: bytes) -> tuple[LinearTextScorer, dict[str, Any]]:
        """Load what ``to_npz`` wrote; return the scorer and the header."""
        with np.load(io.BytesIO(data), allow_pickle=False) as stored:
            meta = json.loads(stored["meta"].tobytes())
            views: list[TfidfView | DenseView] = []
            for n, view in enumerate(meta.pop("views")):
                if view["kind"] == "dense" and view["function"] in DENSE_FUNCTIONS:
                    views.append(DenseView(function=view["function"], width=int(view["width"]),
                                           weight=view["weight"]))
                    continue
                if view["kind"] not in KINDS or view["function"] not in FUNCTIONS:
                    raise ValueError(f"unknown view {view['kind']}/{view['function']}")
                views.append(TfidfView(
                    kind=view["kind"], function=view["function"],
                    ngram_range=(int(view["ngram_range"][0]), int(view["ngram_range"][1])),
                    token_pattern=view["token_pattern"],
                    vocabulary={t: i for i, t in enumerate(view["terms"])},
                    idf=stored[f"idf{n}"], weight=view["weight"],
                    sublinear_tf=bool(view["sublinear_tf"])))
            scorer = cls(views=views, coef_t=stored["coef_t"], intercept=stored["intercept"],
                         classes=list(meta.pop("classes")))
        return scorer, meta


def _view_header(view: TfidfView | DenseView) -> dict[str, Any]:
    if isinstance(view, DenseView):
        return {"kind": "dense", "function": view.function, "width": view.width,
                "weight": view.weight}
    return {"kind": view.kind, "function": view.function, "ngram_range": list(view.ngram_range),
            "token_pattern": view.token_pattern, "weight": view.weight,
            "sublinear_tf": view.sublinear_tf,
            "terms": sorted(view.vocabulary, key=view.vocabulary.__getitem__)}


def _export_view(vectorizer: Any, weight: float | None) -> TfidfView | DenseView:
    function = getattr(vectorizer, "func", None)  # a FunctionTransformer: a dense view
    if function is not None:
        name = getattr(function, "__name__", "")
        if name not in DENSE_FUNCTIONS or getattr(features, name, None) is not function:
            raise ValueError(f"cannot export the function view {name or function!r}")
        return DenseView(function=name, width=DENSE_WIDTHS[name], weight=weight)
    unsupported = [name for name, ok in (
        ("stop_words", vectorizer.stop_words is None), ("strip_accents", not vectorizer.strip_accents),
        ("binary", not vectorizer.binary), ("norm", vectorizer.norm == "l2"),
        ("use_idf", vectorizer.use_idf), ("input", vectorizer.input == "content"),
        ("tokenizer", vectorizer.tokenizer is None)) if not ok]
    if callable(vectorizer.analyzer):
        kind, function = "terms", vectorizer.analyzer
    else:
        kind, function = vectorizer.analyzer, vectorizer.preprocessor
        if function is None:
            unsupported.append("preprocessor")
    name = getattr(function, "__name__", "")
    if FUNCTIONS.get(name) is not function:
        unsupported.append(f"function {name or function!r}")
    if unsupported or kind not in KINDS:
        raise ValueError(f"cannot export this vectorizer without scikit-learn: {unsupported}")
    return TfidfView(kind=kind, function=name, ngram_range=tuple(vectorizer.ngram_range),
                     token_pattern=vectorizer.token_pattern,
                     vocabulary={str(t): int(i) for t, i in vectorizer.vocabulary_.items()},
                     idf=np.asarray(vectorizer.idf_), weight=weight,
                     sublinear_tf=bool(vectorizer.sublinear_tf))


def _word_ngrams(tokens: list[str], ngram_range: tuple[int, int]) -> list[str]:
    min_n, max_n = ngram_range
    if max_n == 1:
        return tokens
    grams = list(tokens) if min_n == 1 else []
    for n in range(max(min_n, 2), min(max_n + 1, len(tokens) + 1)):
        grams.extend(" ".join(tokens[i:i + n]) for i in range(len(tokens) - n + 1))
    return grams


def _char_ngrams(text: str, ngram_range: tuple[int, int]) -> list[str]:
    text = _WHITE_SPACES.sub(" ", text)
    min_n, max_n = ngram_range
    grams = list(text) if min_n == 1 else []
    for n in range(max(min_n, 2), min(max_n + 1, len(text) + 1)):
        grams.extend(text[i:i + n] for i in range(len(text) - n + 1))
    return grams


def _char_wb_ngrams(text: str, ngram_range: tuple[int, int]) -> list[str]:
    min_n, max_n = ngram_range
    grams: list[str] = []
    for word in _WHITE_SPACES.sub(" ", text).split():
        padded = f" {word} "
        for n in range(min_n, max_n + 1):
            offset = 0
            grams.append(padded[offset:offset + n])
            while offset + n < len(padded):
                offset += 1
                grams.append(padded[offset:offset + n])
            if offset == 0:  # a short word counts once
                break
    return grams
