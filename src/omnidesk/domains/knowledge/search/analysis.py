"""Turn a customer's query into weighted index terms: morphemes, pieces, corrections, synonyms."""

from __future__ import annotations

from collections.abc import Iterable

from omnidesk.core.text import normalize, related_morphemes
from omnidesk.domains.knowledge.search.ranking import (
    COMPOUND_PIECE,
    CORRECTED,
    QUESTION_WORD,
    QUESTION_WORDS,
    RELATED,
    RELATED_MIN_SIMILARITY,
    RELATED_PER_MORPHEME,
    SYNONYM,
    TYPED,
    WeightedTerm,
)
from omnidesk.domains.knowledge.search.synonyms import SynonymSet, expand_synonyms
from omnidesk.domains.knowledge.search.terms import (
    COMPOUND_MIN_SYLLABLES,
    HANGUL_RUN,
    is_hangul,
    line_terms,
    syllable_bigrams,
)
from omnidesk.domains.knowledge.search.typos import Vocabulary


def _raw_terms(query: str) -> list[tuple[str, float, str]]:
    morphemes = line_terms(query)  # analysed as the index is, a line at a time
    terms = [(t, QUESTION_WORD if t in QUESTION_WORDS else TYPED, "typed") for t in morphemes]
    for term in morphemes:
        if len(term) >= COMPOUND_MIN_SYLLABLES and is_hangul(term):
            terms += [(piece, COMPOUND_PIECE, "piece") for piece in syllable_bigrams(term)]
    # A two-syllable word Kiwi broke apart (환볼 -> 환 + 볼) is kept whole for spelling repair.
    for run in HANGUL_RUN.findall(normalize(query)):
        if len(run) == 2 and run not in morphemes:
            terms.append((run, COMPOUND_PIECE, "piece"))
    return terms


def _add(plan: dict[str, WeightedTerm], term: str, weight: float, origin: str) -> None:
    current = plan.get(term)
    if current is None or current.weight < weight:
        plan[term] = WeightedTerm(term, weight, origin)


def plan_query(
    query: str, vocabulary: Vocabulary, synonym_sets: Iterable[SynonymSet] = ()
) -> list[WeightedTerm]:
    """Return weighted terms to search for; terms not in the index are repaired or dropped."""
    plan: dict[str, WeightedTerm] = {}
    raw = _raw_terms(query)
    for term, weight, origin in raw:
        if term in vocabulary:
            _add(plan, term, weight, origin)
            continue
        for fixed in vocabulary.corrections(term):
            _add(plan, fixed, weight * CORRECTED, "corrected")
    # A word no article uses (색깔 where articles say 색상) is bridged to the index words the
    # language model places near it, weighted by how near.
    if any(origin == "typed" and is_hangul(t) and t not in vocabulary for t, _, origin in raw):
        for _, term, similarity in related_morphemes(
                query, skip=vocabulary, keep=vocabulary, min_similarity=RELATED_MIN_SIMILARITY,
                per_morpheme=RELATED_PER_MORPHEME):
            if term not in plan:
                _add(plan, term, RELATED * similarity, "related")
    known = [t.term for t in plan.values()] + [t for t, _, _ in raw]
    for term in expand_synonyms(known, synonym_sets):
        if term in vocabulary:
            _add(plan, term, SYNONYM, "synonym")
    return list(plan.values())
