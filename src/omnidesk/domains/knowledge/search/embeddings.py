"""Dense retrieval port: an embedding provider interface and a local hashed n-gram embedder."""

from __future__ import annotations

import hashlib
import math
from collections.abc import Sequence
from typing import Protocol, runtime_checkable

from omnidesk.core.text import normalize


@runtime_checkable
class EmbeddingProvider(Protocol):
    """Turns texts into fixed-length vectors; same provider for passages and queries."""

    name: str
    dimensions: int

    async def embed(self, texts: Sequence[str]) -> list[list[float]]:
        """Return one vector per text."""
        ...


class HashedNgramEmbedder:
    """Embed text as L2-normalized hashed character n-grams (3 to 4 characters).

    Runs on CPU with nothing to download. It captures surface similarity (typos, spacing,
    inflection), not meaning; a model-backed provider from ``omnidesk.ai_providers`` can be
    plugged in through the same interface for semantic matching.
    """

    name = "hashed-ngrams-v1"

    def __init__(self, dimensions: int = 1024) -> None:
        self.dimensions = dimensions

    def _bucket(self, gram: str) -> int:
        # Unsigned buckets: a shared n-gram always adds similarity, collisions never cancel it.
        digest = hashlib.blake2b(gram.encode(), digest_size=8).digest()
        return int.from_bytes(digest, "little") % self.dimensions

    def embed_one(self, text: str) -> list[float]:
        """Return the vector of one text."""
        vector = [0.0] * self.dimensions
        padded = f" {' '.join(normalize(text).split())} "
        for size in (3, 4):
            for i in range(len(padded) - size + 1):
                vector[self._bucket(padded[i : i + size])] += 1.0
        norm = math.sqrt(sum(x * x for x in vector)) or 1.0
        return [x / norm for x in vector]

    async def embed(self, texts: Sequence[str]) -> list[list[float]]:
        """Return one vector per text."""
        return [self.embed_one(t) for t in texts]
