"""Learned article relevance: which article a question is about, from how articles are named.

Lexical ranking (BM25F) finds the passages that share the customer's words; it cannot tell that
"비번 생각이 안나요" is about resetting a password, or that "택배가 일주일째 안와요" is a delay
and not an installer who did not come. A classifier trained on each published article's title,
tags and summary (character n-grams, so misspellings and spacing still match, and the index's
own terms, Kiwi morphemes for Korean) gives each article a probability for the question; the
search adds ``WEIGHT`` × that probability × the best lexical score to the article's passages. It only re-orders what the lexical ranking
found: a passage still needs the customer's words to be a candidate, and scores keep the
lexical scale the bot's answer threshold is set in.

The model is trained per workspace and index generation (any publish, edit or unpublish makes a
new one), in a worker thread, and kept with the index snapshot. A help center with more than
``MAX_ARTICLES`` articles keeps the lexical ranking alone (the model grows with articles ×
n-grams).

``WEIGHT`` and ``INVERSE_PENALTY`` were chosen on the tuning queries (``eval/queries.csv``,
recall@1 0.921 / 0.927 / 0.932 at weights 0.5 / 0.75 / 1: flat, so the smaller weight, which
moves the bot's lexical scale least). On the demo help center, recall@1 / recall@5 before →
after: tuning set 0.890 / 0.990 → 0.922 / 0.990; the colloquial sets kept out of tuning
``eval/heldout.csv`` 0.868 / 0.993 → 0.897 / 0.993 and ``tests/data/kb_holdout2.csv``
0.810 / 0.987 → 0.861 / 0.994 (docs/architecture.md).
"""

from __future__ import annotations

import asyncio
import hashlib
import json
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import func
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from omnidesk.core.text import normalize
from omnidesk.domains.knowledge.models import KbArticle, KbArticleVersion, published
from omnidesk.domains.knowledge.search.snapshot import UNTRAINED, IndexSnapshot
from omnidesk.domains.knowledge.search.terms import index_terms

WEIGHT = 0.5
MAX_ARTICLES = 2_000
# Inverse regularisation of the logistic regression: a few short examples per article, so a
# weak penalty (cross-validated with WEIGHT).
INVERSE_PENALTY = 20.0


# Fitted models by what they were fitted on (a few MB each): a generation that changed nothing
# the model reads (a body edit), and every process or database holding the same articles,
# reuse one fit instead of spending a second of CPU again.
KEEP_FITTED = 8
_FITTED: OrderedDict[str, ArticleModel | None] = OrderedDict()
# Fits under way, by the same key, with the event loop that awaits them.
_FITTING: dict[str, tuple[asyncio.AbstractEventLoop, asyncio.Future[ArticleModel | None]]] = {}


@dataclass(frozen=True)
class ArticleModel:
    """A fitted classifier from a question to article groups (translations are one group)."""

    features: Any  # sklearn FeatureUnion of two TfidfVectorizers
    classifier: Any  # sklearn LogisticRegression
    groups: tuple[int, ...]

    def relevance(self, question: str) -> dict[int, float]:
        """Return each article group's probability of being what the question is about."""
        probabilities = self.classifier.predict_proba(self.features.transform([question]))[0]
        return {group: float(p) for group, p in zip(self.groups, probabilities, strict=True)}


def fit(examples: Sequence[tuple[str, int]]) -> ArticleModel | None:
    """Fit on (text, article group) pairs; None when fewer than two groups have examples.

    CPU work for a worker thread, the texts' analysis included: the analyser serves a customer
    message's analysis on the event loop between two of these texts (``core.text.FairLock``),
    where analysing the examples on the loop held every customer's turn up for a second."""
    texts = [text for text, _ in examples if text.strip()]
    labels = [group for text, group in examples if text.strip()]
    if len(set(labels)) < 2:
        return None
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_union
    from threadpoolctl import threadpool_limits

    features = make_union(
        TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 4), sublinear_tf=True,
                        preprocessor=normalize),
        TfidfVectorizer(analyzer=index_terms, sublinear_tf=True))
    matrix = features.fit_transform(texts)
    # one BLAS thread: the fit is small, and threads fighting over two cores took 4x the CPU
    with threadpool_limits(limits=1):
        classifier = LogisticRegression(C=INVERSE_PENALTY, max_iter=300, tol=1e-3).fit(
            matrix, labels)
    return ArticleModel(features, classifier, tuple(int(g) for g in classifier.classes_))


async def article_examples(session: AsyncSession,
                           workspace_id: int) -> list[tuple[str, int]] | None:
    """Return what names each published article (title, each tag, summary) with its group;
    None when the help center is too large for a model."""
    rows = (await session.execute(published(
        KbArticle.id, KbArticle.translation_of_id, KbArticleVersion.title,
        KbArticleVersion.tags, KbArticleVersion.summary, workspace_id=workspace_id,
    ).limit(MAX_ARTICLES + 1))).all()
    if len(rows) > MAX_ARTICLES:
        return None
    examples: list[tuple[str, int]] = []
    for row in rows:
        article_id, translation_of, title, tags, summary = cast(
            tuple[int, int | None, str, list[Any], str], tuple(row))
        group = translation_of or article_id
        names = [title, *(str(tag) for tag in tags or []), summary]
        examples.extend((text, group) for text in names if text)
    return examples


async def train(session: AsyncSession, workspace_id: int) -> ArticleModel | None:
    """Read the examples and fit the model in a worker thread (about a second of CPU for the
    demo's 64 articles), or reuse the model fitted on the same examples."""
    examples = await article_examples(session, workspace_id)
    if not examples:
        return None
    key = hashlib.sha256(json.dumps(sorted(examples), ensure_ascii=False).encode()).hexdigest()
    if key in _FITTED:
        _FITTED.move_to_end(key)
        return _FITTED[key]
    loop = asyncio.get_running_loop()
    fitting = _FITTING.get(key)
    if fitting is None or fitting[0] is not loop:
        # one fit per content at a time: the first question after start-up waits for the fit the
        # warm-up began instead of starting a second one beside it
        fitting = (loop, asyncio.ensure_future(asyncio.to_thread(fit, examples)))
        _FITTING[key] = fitting
    try:
        model = await asyncio.shield(fitting[1])
    finally:
        if fitting[1].done() and _FITTING.get(key) is fitting:
            del _FITTING[key]
    _FITTED[key] = model
    while len(_FITTED) > KEEP_FITTED:
        _FITTED.popitem(last=False)
    return model


async def warm_article_models(session_factory: async_sessionmaker[AsyncSession]) -> int:
    """Fit the models of the help centers edited last (as many as are kept, ``KEEP_FITTED``),
    so their first question after start-up does not wait for it (part of the bot's warm-up,
    before ``/readyz``); return how many were fitted."""
    latest = func.max(KbArticle.updated_at)
    async with session_factory() as session:
        workspaces = (await session.scalars(published(KbArticle.workspace_id)
                                            .group_by(KbArticle.workspace_id)
                                            .order_by(latest.desc()).limit(KEEP_FITTED))).all()
        fitted = 0
        for workspace_id in workspaces:
            fitted += await train(session, workspace_id) is not None
    return fitted


async def model_for(session: AsyncSession, snapshot: IndexSnapshot,
                    workspace_id: int) -> ArticleModel | None:
    """Return the workspace's model for the snapshot's index generation, trained on first use."""
    if snapshot.article_model == UNTRAINED:
        snapshot.article_model = await train(session, workspace_id)
    model: ArticleModel | None = snapshot.article_model
    return model


def boosted(scores: dict[int, float], group_of: dict[int, int],
            relevance: dict[int, float]) -> dict[int, float]:
    """Add WEIGHT × the article's probability × the best lexical score to each passage's."""
    if not scores:
        return scores
    top = max(scores.values())
    return {pid: score + WEIGHT * top * relevance.get(group_of[pid], 0.0)
            for pid, score in scores.items()}
