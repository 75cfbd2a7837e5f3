"""Search quality evaluation: recall@1, recall@5 and MRR over labelled queries."""

from __future__ import annotations

import csv
import io
from dataclasses import asdict, dataclass, field
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.core.errors import InvalidInput
from omnidesk.core.text import detect_language
from omnidesk.domains.knowledge.search.engine import search

DEFAULT_QUERIES = Path(__file__).parent / "eval" / "queries.csv"
DEPTH = 10


@dataclass(frozen=True)
class LabelledQuery:
    """A query as a customer typed it and the slug of the article that answers it."""

    query: str
    expected_slug: str


@dataclass
class EvalReport:
    """Aggregate figures, per-language figures, and the queries that missed the top 5."""

    queries: int
    recall_at_1: float
    recall_at_5: float
    mrr: float
    by_language: dict[str, dict[str, float]] = field(default_factory=dict)
    misses: list[dict[str, str]] = field(default_factory=list)

    def as_dict(self) -> dict:
        """Return the report as JSON-ready data."""
        return asdict(self)


def read_queries(text: str) -> list[LabelledQuery]:
    """Parse `query,expected_article_slug` CSV rows."""
    reader = csv.DictReader(io.StringIO(text))
    if not reader.fieldnames or {"query", "expected_article_slug"} - set(reader.fieldnames):
        raise InvalidInput("the CSV needs the columns query,expected_article_slug")
    return [LabelledQuery(r["query"].strip(), r["expected_article_slug"].strip())
            for r in reader if r.get("query", "").strip()]


def _figures(ranks: list[int | None]) -> dict[str, float]:
    n = len(ranks) or 1
    return {
        "queries": len(ranks),
        "recall_at_1": round(sum(1 for r in ranks if r == 1) / n, 4),
        "recall_at_5": round(sum(1 for r in ranks if r is not None and r <= 5) / n, 4),
        "mrr": round(sum(1 / r for r in ranks if r is not None) / n, 4),
    }


async def evaluate(
    session: AsyncSession, *, workspace_id: int, queries: list[LabelledQuery]
) -> EvalReport:
    """Run each query through the public search and score where the expected article ranks."""
    ranks: list[int | None] = []
    languages: dict[str, list[int | None]] = {}
    misses: list[dict[str, str]] = []
    for item in queries:
        hits = await search(session, workspace_id=workspace_id, query=item.query, limit=DEPTH)
        slugs = [hit.slug for hit in hits]
        rank = slugs.index(item.expected_slug) + 1 if item.expected_slug in slugs else None
        ranks.append(rank)
        languages.setdefault(detect_language(item.query), []).append(rank)
        if rank is None or rank > 5:
            misses.append({"query": item.query, "expected": item.expected_slug,
                           "got": ", ".join(slugs[:3])})
    overall = _figures(ranks)
    return EvalReport(
        queries=len(ranks), recall_at_1=overall["recall_at_1"],
        recall_at_5=overall["recall_at_5"], mrr=overall["mrr"],
        by_language={lang: _figures(r) for lang, r in sorted(languages.items())}, misses=misses)
