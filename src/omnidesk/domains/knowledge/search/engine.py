"""The knowledge search shared by help center, bot and agents: ranked passages with highlights.

Lexical retrieval asks the database full-text index for candidates, re-scores them with BM25F
on the stored terms (same ranking on SQLite and PostgreSQL), and optionally fuses a dense
ranking from an embedding provider with reciprocal-rank fusion.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    ColumnElement,
    CompoundSelect,
    Select,
    column,
    func,
    literal_column,
    select,
    table,
    union_all,
)
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
from omnidesk.domains.knowledge.search.learned import boosted, model_for
from omnidesk.domains.knowledge.search.ranking import (
    QUESTION_WORD,
    CandidateTerms,
    WeightedTerm,
    bm25f_scores,
    cosine_ranking,
    reciprocal_rank_fusion,
)
from omnidesk.domains.knowledge.search.snapshot import IndexSnapshot, load_snapshot, load_vectors
from omnidesk.domains.workspaces.service import Calendar, get_workspace

CANDIDATES = 120
# A search ranks at most this many matching passages, so it costs about the same at 100,000
# articles as at 1,000: a query's common words match tens of thousands of passages there, and
# the database ranking them all took 0.5-1.4 s (see candidate_tiers).
RANKED_AT_MOST = 300
TYPED_ORIGINS = ("typed", "corrected")
# On a large index, candidates come from passages having all of (up to) this many of the
# customer's rarest words.
CONJOINED_WORDS = 3
# Intersecting posting lists costs the full-text index about their summed length (about 0.1-0.2
# microseconds an entry on PostgreSQL's GIN here), so words that common are not intersected.
POSTINGS_READ_AT_MOST = 20_000
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


def _fts5_query(terms: list[str], joiner: str) -> str:
    return joiner.join('"' + t.replace('"', '""') + '"' for t in terms)


def _tsquery(terms: list[str], joiner: str) -> str:
    return joiner.join("'" + t.replace("\\", "").replace("'", "''") + "'" for t in terms)


def _match(dialect: str, terms: list[str], every: bool) -> tuple[ColumnElement[bool], Any]:
    """Return the full-text condition for any (or, with `every`, all) of the terms, and the
    database's own rank of a match (lower is better)."""
    if dialect == "sqlite":
        match = FTS_TABLE.op("MATCH")(_fts5_query(terms, " AND " if every else " OR "))
        return match, func.bm25(FTS_TABLE, 2.0, 1.0)
    query = func.to_tsquery(literal_column("'simple'"), _tsquery(terms, " & " if every else " | "))
    return SEARCH_VECTOR.op("@@")(query), -func.ts_rank(SEARCH_VECTOR, query, 1)


def _candidate_statement(
    dialect: str, tiers: list[tuple[list[str], bool]], bounded: bool,
    filters: list[ColumnElement[bool]],
) -> Select | CompoundSelect:
    """Select candidate passages: on a small index the CANDIDATES the database ranks best
    among every match; on a large one each tier's first matches, its share of RANKED_AT_MOST,
    unranked (BM25F scores them all)."""
    parts = []
    for terms, every in tiers:
        match, rank = _match(dialect, terms, every)
        stmt = select(KbPassage.id, KbPassage.title_terms, KbPassage.body_terms,
                      KbPassage.locale, KbPassage.group_id).where(match, *filters)
        if dialect == "sqlite":
            stmt = stmt.join(FTS, FTS.c.rowid == KbPassage.id)
        if not bounded:
            return stmt.order_by(rank).limit(CANDIDATES)
        # In rowid order SQLite walks the full-text index first; joined the other way round it
        # starts at the workspace index and probes the full-text table per passage (seconds).
        ordered = stmt.order_by(FTS.c.rowid) if dialect == "sqlite" else stmt
        part = ordered.limit(RANKED_AT_MOST // len(tiers)).subquery()
        parts.append(select(*part.c))
    return parts[0] if len(parts) == 1 else union_all(*parts)


def _picking_terms(plan: list[WeightedTerm], snapshot: IndexSnapshot) -> list[str]:
    limit = max(1.0, snapshot.stats.passages * COMMON_SHARE)
    rare = [t.term for t in plan if snapshot.vocabulary.count(t.term) <= limit]
    return rare or [t.term for t in plan]


def candidate_tiers(
    plan: list[WeightedTerm], snapshot: IndexSnapshot
) -> tuple[list[tuple[list[str], bool]], bool]:
    """Return the (terms, all of them required) queries that pick candidate passages, and
    whether they are bounded (each reads at most its share of RANKED_AT_MOST matches).

    While the picking terms can match at most RANKED_AT_MOST passages (their passage counts
    summed, or the whole index if smaller) one query ranks every passage that has any of them,
    as always. Beyond that the database would rank tens of thousands of rows, so candidates
    come from the passages having all of the customer's (up to CONJOINED_WORDS) rarest words,
    unless they are so common that merely intersecting their postings would cost more than
    POSTINGS_READ_AT_MOST entries, and from those having any of the rarest terms (highest IDF)
    whose counts add up to RANKED_AT_MOST; the queries share that budget and the CANDIDATES.
    """
    picking = _picking_terms(plan, snapshot)
    count = snapshot.vocabulary.count
    if min(sum(count(t) for t in picking), snapshot.stats.passages) <= RANKED_AT_MOST:
        return [(picking, False)], False
    rarest = sorted(picking, key=lambda t: (count(t), t))
    # The customer's own words (as typed or spelling-corrected), not the synonyms, related
    # words, compound pieces or question words added to widen the net.
    typed = {t.term for t in plan if t.origin in TYPED_ORIGINS and t.weight > QUESTION_WORD}
    words: list[str] = []
    for term in (t for t in rarest if t in typed):
        if len(words) == CONJOINED_WORDS or sum(map(count, [*words, term])) > POSTINGS_READ_AT_MOST:
            break
        words.append(term)
    tiers = [(words, True)] if len(words) > 1 else []
    rare: list[str] = []
    total = 0
    for term in rarest:
        total += count(term)
        if rare and total > RANKED_AT_MOST:
            break
        rare.append(term)
    return [*tiers, (rare, False)], True


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
    filters = [KbPassage.workspace_id == workspace_id]
    if locale:
        filters.append(KbPassage.locale == locale)
    if not include_internal:
        filters.append(KbPassage.visibility == PUBLIC)
    tiers, bounded = candidate_tiers(plan, snapshot)
    statement = _candidate_statement(session.get_bind().dialect.name, tiers, bounded, filters)
    # A passage two tiers found comes back twice.
    rows = list({row[0]: row for row in (await session.execute(statement)).all()}.values())
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
    if scores and (model := await model_for(session, snapshot, workspace_id)) is not None:
        scores = boosted(scores, found.group, model.relevance(query))
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
