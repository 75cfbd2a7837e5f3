"""Typo tolerance: correct query terms missing from the index to near vocabulary terms.

Terms are compared in jamo space for Hangul (환블 vs 환불 differ by one vowel) and letter space
for Latin script. Candidates come from a deletion index (SymSpell): two words within one edit,
including an adjacent swap, share a one-deletion variant, so lookups need no vocabulary scan.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field

from omnidesk.core.text import jamo
from omnidesk.domains.knowledge.search.terms import is_hangul

MIN_KEY_LENGTH = 4
MAX_DISTANCE = 1


def spelling_key(term: str) -> str:
    """Return the string edits are measured on: jamo for Hangul, the term itself otherwise."""
    return jamo(term) if is_hangul(term) else term


def _deletions(key: str) -> set[str]:
    return {key[:i] + key[i + 1 :] for i in range(len(key))} | {key}


def edit_distance(a: str, b: str) -> int:
    """Return the optimal-string-alignment distance (insert, delete, substitute, swap)."""
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        cur = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        prev2, prev = prev, cur
    return prev[-1]


@dataclass
class Vocabulary:
    """Index terms with their passage counts, and a deletion index for spelling lookups."""

    counts: dict[str, int]
    _deletes: defaultdict[str, list[str]] = field(
        default_factory=lambda: defaultdict(list), repr=False)

    def __post_init__(self) -> None:
        for term in self.counts:
            self._index(term)

    def _index(self, term: str) -> None:
        key = spelling_key(term)
        if len(key) >= MIN_KEY_LENGTH:
            for variant in _deletions(key):
                self._deletes[variant].append(term)

    def update(self, changes: Mapping[str, int]) -> None:
        """Apply new passage counts (zero means the term left the index)."""
        for term, count in changes.items():
            if term not in self.counts:
                self._index(term)
            self.counts[term] = count

    def __contains__(self, term: object) -> bool:
        return isinstance(term, str) and self.counts.get(term, 0) > 0

    def count(self, term: str) -> int:
        """Return how many passages contain the term."""
        return self.counts.get(term, 0)

    def corrections(self, term: str, *, limit: int = 2) -> list[str]:
        """Return up to `limit` vocabulary terms one edit away, most frequent first."""
        key = spelling_key(term)
        if len(key) < MIN_KEY_LENGTH or term in self:
            return []
        candidates: set[str] = set()
        for variant in _deletions(key):
            candidates.update(self._deletes.get(variant, ()))
        close = [
            c for c in candidates
            if c in self and edit_distance(key, spelling_key(c)) <= MAX_DISTANCE
        ]
        close.sort(key=lambda c: (-self.counts[c], c))
        return close[:limit]
