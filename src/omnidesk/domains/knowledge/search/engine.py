"""The knowledge search shared by help center, bot and agents: ranked passages with highlights.

Lexical retrieval asks the database full-text index for candidates, re-scores them with BM25F
on the stored terms (same ranking on SQLite and PostgreSQL), and optionally fuses a dense
ranking from an embedding provider with reciprocal-rank fusion.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from sqlalchemy import Select, column, func, literal_column, select, table
from sqlalchemy.dialects.postgresql import TSVECTOR
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.types import NullType

from omnidesk.core.db import utcnow
from omnidesk.core.text import detect_language
from omnidesk.domains.inboxes.service import website_calendar
from omnidesk.domains.knowledge.models import PUBLIC, KbArticle, KbPassage
from omnidesk.domains.knowledge.search.analysis import plan_query
from omnidesk.domains.knowledge.search.embeddings import EmbeddingProvider
from omnidesk.domains.knowledge.search.highlight import highlight
from omnidesk.domains.knowledge.search.ranking import (
    CandidateTerms,
    WeightedTerm,
    bm25f_scores,
    cosine_ranking,
    reciprocal_rank_fusion,
)
from omnidesk.domains.knowledge.search.snapshot import IndexSnapshot, load_snapshot, load_vectors
from omnidesk.domains.workspaces.service import Calendar, get_workspace

CANDIDATES = 120
LANGUAGE_BOOST = 1.3
# Terms in more than this share of passages do not pick candidates (they still score).
COMMON_SHARE = 0.25
FTS = table("kb_passages_fts", column("rowid"))
# FTS5's hidden column named after its table: only an operand of MATCH and bm25(), no value.
FTS_TABLE = literal_column("kb_passages_fts", NullType())
SEARCH_VECTOR = literal_column("kb_passages.search_vector", TSVECTOR())

HoursSource = Callable[[], Awaitable[Calendar]]  # the calendar to fill {{hours}} from


@dataclass(frozen=True)
class Passage:
    """One search hit: the passage, its article, a highlighted snippet and the score."""

    article_id: int
    slug: str
    locale: str
    title: str
    visibility: str
    heading: str
    text: str
    snippet: str
    score: float
    passage_id: int
    matched_terms: tuple[str, ...]


def _fts5_query(terms: list[str]) -> str:
    return " OR ".join('"' + t.replace('"', '""') + '"' for t in terms)


def _tsquery(terms: list[str]) -> str:
    return " | ".join("'" + t.replace("\\", "").replace("'", "''") + "'" for t in terms)


def _candidate_statement(dialect: str, terms: list[str]) -> Select:
    base = select(KbPassage.id, KbPassage.title_terms, KbPassage.body_terms, KbPassage.locale,
                  KbPassage.group_id)
    if dialect == "sqlite":
        return base.join(FTS, FTS.c.rowid == KbPassage.id).where(
            FTS_TABLE.op("MATCH")(_fts5_query(terms))
        ).order_by(func.bm25(FTS_TABLE, 2.0, 1.0))
    query = func.to_tsquery(literal_column("'simple'"), _tsquery(terms))
    return base.where(SEARCH_VECTOR.op("@@")(query)).order_by(
        func.ts_rank(SEARCH_VECTOR, query, 1).desc())


def _picking_terms(plan: list[WeightedTerm], snapshot: IndexSnapshot) -> list[str]:
    limit = max(1.0, snapshot.stats.passages * COMMON_SHARE)
    rare = [t.term for t in plan if snapshot.vocabulary.count(t.term) <= limit]
    return rare or [t.term for t in plan]


@dataclass
class Candidates:
    """Scored passage ids with what choosing among them needs: locale and translation group."""

    scores: dict[int, float]
    locale: dict[int, str]
    group: dict[int, int]


async def _lexical(
    session: AsyncSession, plan: list[WeightedTerm], snapshot: IndexSnapshot, *,
    workspace_id: int, locale: str | None, include_internal: bool,
) -> Candidates:
    stmt = _candidate_statement(session.get_bind().dialect.name, _picking_terms(plan, snapshot))
    stmt = stmt.where(KbPassage.workspace_id == workspace_id).limit(CANDIDATES)
    if locale:
        stmt = stmt.where(KbPassage.locale == locale)
    if not include_internal:
        stmt = stmt.where(KbPassage.visibility == PUBLIC)
    rows = (await session.execute(stmt)).all()
    scores = bm25f_scores(plan, (CandidateTerms(*row[:3]) for row in rows), snapshot.stats)
    return Candidates(scores, {r[0]: r[3] for r in rows}, {r[0]: r[4] for r in rows})


async def _describe(session: AsyncSession, candidates: Candidates, ids: list[int]) -> None:
    """Fill in locale and translation group for ids only the dense ranking found."""
    missing = [pid for pid in ids if pid not in candidates.group]
    if not missing:
        return
    rows = await session.execute(select(KbPassage.id, KbPassage.locale, KbPassage.group_id)
                                 .where(KbPassage.id.in_(missing)))
    for pid, loc, group in rows.all():
        candidates.locale[pid], candidates.group[pid] = loc, group


async def _dense(
    session: AsyncSession, query: str, embedder: EmbeddingProvider, snapshot: IndexSnapshot, *,
    workspace_id: int, locale: str | None, include_internal: bool,
) -> list[int]:
    vectors = await load_vectors(session, snapshot, workspace_id=workspace_id,
                                 include_internal=include_internal, locale=locale)
    [query_vector] = await embedder.embed([query])
    return cosine_ranking(query_vector, vectors, CANDIDATES)


def _choose(scored: dict[int, float], group_of: dict[int, int], limit: int,
            per_article: int) -> list[int]:
    chosen: list[int] = []
    taken: dict[int, int] = {}
    for pid in sorted(scored, key=lambda p: (-scored[p], p)):
        article = group_of[pid]
        if taken.get(article, 0) < per_article:
            taken[article] = taken.get(article, 0) + 1
            chosen.append(pid)
        if len(chosen) == limit:
            break
    return chosen


async def search(
    session: AsyncSession, *, workspace_id: int, query: str, locale: str | None = None,
    include_internal: bool = False, limit: int = 5, per_article: int = 1,
    embedder: EmbeddingProvider | None = None, hours: HoursSource | None = None,
) -> list[Passage]:
    """Return the best passages for a query, at most `per_article` from one article.

    `{{hours}}` in a passage is filled from `hours()` (e.g. the bot's conversation's inbox),
    else from the website chat's calendar, the one the help center shows.
    """
    snapshot = await load_snapshot(session, workspace_id)
    plan = plan_query(query, snapshot.vocabulary, snapshot.synonym_sets)
    found = Candidates({}, {}, {})
    if plan:
        found = await _lexical(session, plan, snapshot, workspace_id=workspace_id,
                               locale=locale, include_internal=include_internal)
    if embedder is not None:
        dense = await _dense(session, query, embedder, snapshot, workspace_id=workspace_id,
                             locale=locale, include_internal=include_internal)
        lexical = sorted(found.scores, key=lambda p: -found.scores[p])
        found.scores = reciprocal_rank_fusion([lexical, dense])
        await _describe(session, found, dense)
    # Translations are one answer: keep the best of them, favouring the query's language.
    language = locale or detect_language(query)
    scores = {pid: s * (LANGUAGE_BOOST if found.locale.get(pid) == language else 1.0)
              for pid, s in found.scores.items() if pid in found.group}
    chosen = _choose(scores, found.group, limit, per_article)
    if not chosen:
        return []
    rows = (await session.execute(
        select(KbPassage, KbArticle.slug, KbArticle.title)
        .join(KbArticle, KbArticle.id == KbPassage.article_id)
        .where(KbPassage.id.in_(chosen)))).all()
    by_id = {p.id: (p, slug, title) for p, slug, title in rows}
    terms = [t.term for t in plan]
    fill = await _hours_filler(session, workspace_id, [p.text for p, _, _ in rows], hours)
    return [_passage(*by_id[pid], scores[pid], terms, fill) for pid in chosen if pid in by_id]


async def _hours_filler(session: AsyncSession, workspace_id: int, texts: list[str],
                        hours: HoursSource | None) -> Callable[[str, str], str]:
    """Return how to fill {{hours}}/{{holidays}} in passages: from the business calendar."""
    if not any("{{" in text for text in texts):
        return lambda text, _locale: text
    workspace = await get_workspace(session, workspace_id=workspace_id)
    calendar = await hours() if hours else await website_calendar(session, workspace=workspace)
    now = utcnow()
    return lambda text, locale: calendar.fill(text, locale, now)


def _passage(row: KbPassage, slug: str, title: str, score: float, terms: list[str],
             fill: Callable[[str, str], str]) -> Passage:
    stored = set(row.title_terms.split()) | set(row.body_terms.split())
    matched = tuple(t for t in terms if t in stored)
    text = fill(row.text, row.locale)  # what a customer or agent reads, hours filled in
    return Passage(
        article_id=row.article_id, slug=slug, locale=row.locale, title=title,
        visibility=row.visibility, heading=row.heading, text=text,
        snippet=highlight(text, matched), score=round(score, 6), passage_id=row.id,
        matched_terms=matched)
