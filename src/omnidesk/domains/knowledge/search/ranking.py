"""Ranking: weighted query terms, BM25F re-scoring of index candidates, reciprocal-rank fusion."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

K1 = 1.2
B = 0.75
TITLE_WEIGHT = 2.0
# The fewest passages IDF assumes (see CorpusStats.idf): about a store's first dozen articles.
MIN_CORPUS_PASSAGES = 50
RRF_K = 60
MIN_SIMILARITY = 0.1

# How much each kind of query term counts relative to a term the customer typed.
TYPED, COMPOUND_PIECE, CORRECTED, SYNONYM = 1.0, 0.5, 0.8, 0.7
# A morpheme missing from the index brings in index words the language model places at least
# this near it, each at RELATED times the similarity (a 0.76 neighbour weighs 0.38). Measured on
# the labelled set (unchanged, 0.890 / 0.990) and eval/heldout.csv (recall@1 0.860 -> 0.868,
# @5 0.985 -> 0.993), flat for similarity 0.55-0.7 and weights 0.5-0.8; expanding words the index
# already has lowered both sets (0.816-0.838 recall@1 on heldout.csv).
RELATED, RELATED_MIN_SIMILARITY, RELATED_PER_MORPHEME = 0.5, 0.6, 3
# Question words say what kind of answer is wanted, not which article: "배송비 얼마예요?" must not
# pick the return-fee article because its title asks "얼마인가요?".
QUESTION_WORD = 0.2
QUESTION_WORDS = frozenset({
    "얼마", "언제", "어떻게", "어떡하", "어디", "어디서", "뭐", "무엇", "무슨", "왜", "몇", "어느",
    "how", "what", "when", "where", "why", "which", "much", "long", "many",
})


@dataclass(frozen=True)
class WeightedTerm:
    """A query term, how much it counts, and where it came from."""

    term: str
    weight: float
    origin: str = "typed"


@dataclass(frozen=True)
class CandidateTerms:
    """The stored terms of one candidate passage."""

    passage_id: int
    title_terms: str
    body_terms: str


@dataclass(frozen=True)
class CorpusStats:
    """Index totals BM25 needs: passage count, mean length, per-term passage counts."""

    passages: int
    mean_length: float
    counts: Mapping[str, int]

    def idf(self, term: str) -> float:
        """Return the BM25 inverse document frequency (never negative).

        A handful of passages is no evidence that a word is common: in a new workspace's
        first article every word is in "all" passages, and its IDF near 0 left every question
        below the bot's answer threshold. The corpus counts as at least `MIN_CORPUS_PASSAGES`
        passages, the missing ones without the term; a real corpus that size is unchanged."""
        n = self.counts.get(term, 0)
        passages = max(self.passages, MIN_CORPUS_PASSAGES)
        return math.log(1 + (passages - n + 0.5) / (n + 0.5))


def _counter(terms: str, patterns: Sequence[tuple[str, str]]) -> list[int]:
    """Count each (" term ", term) pattern's occurrences among space-separated terms."""
    # Doubled spaces give every term its own pair, so neighbours never share one; the plain
    # substring test skips the copy for terms the text does not hold at all.
    padded = ""
    counts = []
    for pattern, term in patterns:
        if term in terms:
            padded = padded or f" {terms.replace(' ', '  ')} "
            counts.append(padded.count(pattern))
        else:
            counts.append(0)
    return counts


def bm25f_scores(
    terms: Sequence[WeightedTerm], candidates: Iterable[CandidateTerms], stats: CorpusStats
) -> dict[int, float]:
    """Score candidates with BM25F: title matches count TITLE_WEIGHT times a body match."""
    scores: dict[int, float] = {}
    mean = stats.mean_length or 1.0
    patterns = [(f" {wt.term} ", wt.term) for wt in terms]
    weights = [wt.weight * stats.idf(wt.term) for wt in terms]
    titles: dict[str, tuple[int, list[int]]] = {}  # an article's passages share its title
    for cand in candidates:
        title = titles.get(cand.title_terms)
        if title is None:
            title = titles[cand.title_terms] = (
                len(cand.title_terms.split()), _counter(cand.title_terms, patterns))
        body = cand.body_terms
        length = title[0] + (body.count(" ") + 1 if body else 0)
        norm = K1 * (1 - B + B * length / mean)
        score = 0.0
        for weight, in_title, in_body in zip(weights, title[1], _counter(body, patterns),
                                             strict=True):
            tf = TITLE_WEIGHT * in_title + in_body
            if tf:
                score += weight * tf * (K1 + 1) / (tf + norm)
        if score > 0:
            scores[cand.passage_id] = score
    return scores


def reciprocal_rank_fusion(rankings: Sequence[Sequence[int]], k: int = RRF_K) -> dict[int, float]:
    """Fuse ranked id lists: each list adds 1 / (k + rank) to an id's score."""
    fused: dict[int, float] = {}
    for ranking in rankings:
        for rank, item in enumerate(ranking, start=1):
            fused[item] = fused.get(item, 0.0) + 1.0 / (k + rank)
    return fused


def cosine_ranking(
    query: Sequence[float], vectors: Mapping[int, Sequence[float]], limit: int,
    min_similarity: float = MIN_SIMILARITY,
) -> list[int]:
    """Rank ids by cosine similarity of unit vectors to the query vector (weak ones left out)."""
    import numpy as np

    if not vectors:
        return []
    ids = list(vectors)
    matrix = np.asarray([vectors[i] for i in ids], dtype=np.float32)
    sims = matrix @ np.asarray(query, dtype=np.float32)
    order = np.argsort(-sims)[:limit]
    return [ids[i] for i in order if sims[i] >= min_similarity]
