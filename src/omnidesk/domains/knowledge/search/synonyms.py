"""Per-workspace synonym sets (환불 = refund = 돈 돌려받기) applied to query terms."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from omnidesk.domains.knowledge.search.terms import index_terms


@dataclass(frozen=True)
class SynonymSet:
    """Phrases that mean the same thing, each kept as its index terms."""

    phrases: tuple[tuple[str, ...], ...]

    @classmethod
    def from_phrases(cls, phrases: Iterable[str]) -> SynonymSet:
        """Tokenize each phrase the way the index does."""
        tokenized = tuple(t for t in (tuple(index_terms(p)) for p in phrases) if t)
        return cls(phrases=tokenized)


def _contains(terms: Sequence[str], phrase: tuple[str, ...]) -> bool:
    present = set(terms)
    return all(term in present for term in phrase)


def expand_synonyms(terms: Sequence[str], sets: Iterable[SynonymSet]) -> list[str]:
    """Return the extra terms that synonym sets add for the phrases found in the query."""
    extra: list[str] = []
    seen = set(terms)
    for synonym_set in sets:
        if not any(_contains(terms, phrase) for phrase in synonym_set.phrases):
            continue
        for phrase in synonym_set.phrases:
            for term in phrase:
                if term not in seen:
                    seen.add(term)
                    extra.append(term)
    return extra
