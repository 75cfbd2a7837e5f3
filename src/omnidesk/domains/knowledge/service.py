"""Knowledge base reads: articles, versions, categories, the published help center view, search."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import Select, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.core.context import Actor
from omnidesk.core.errors import NotFound
from omnidesk.domains.knowledge.models import (
    PUBLIC,
    KbArticle,
    KbArticleVersion,
    KbAttachment,
    KbCategory,
    KbSearchMiss,
    KbSynonymSet,
    published,
)
from omnidesk.domains.knowledge.search.engine import HoursSource, Passage, search
from omnidesk.domains.knowledge.search.learned import warm_article_models
from omnidesk.domains.knowledge.search.terms import index_terms, index_terms_many

__all__ = [
    "HoursSource",
    "Passage",
    "access_article",
    "analyse_text",
    "get_article",
    "get_article_by_slug",
    "get_attachment",
    "get_category_by_slug",
    "get_published",
    "get_version",
    "list_articles",
    "list_categories",
    "list_published",
    "list_synonym_sets",
    "list_translations",
    "list_versions",
    "search",
    "suggest_for_conversation",
    "warm_article_models",
]
SUGGESTION_MESSAGES = 3


async def get_article(session: AsyncSession, *, workspace_id: int, article_id: int) -> KbArticle:
    """Return one article of the workspace or raise NotFound."""
    article = await session.scalar(select(KbArticle).where(
        KbArticle.workspace_id == workspace_id, KbArticle.id == article_id))
    if article is None:
        raise NotFound(f"article {article_id} not found")
    return article


async def access_article(session: AsyncSession, *, actor: Actor, article_id: int) -> KbArticle:
    """Return an article the actor (any role of its workspace) may read."""
    actor.require("agent")
    return await get_article(session, workspace_id=actor.workspace_id, article_id=article_id)


async def get_article_by_slug(
    session: AsyncSession, *, workspace_id: int, slug: str, locale: str
) -> KbArticle | None:
    """Return the article with this slug in this locale, if any."""
    return await session.scalar(select(KbArticle).where(
        KbArticle.workspace_id == workspace_id, KbArticle.slug == slug,
        KbArticle.locale == locale))


ARTICLE_SORTS = {
    "slug": (KbArticle.locale, KbArticle.slug),
    "title": (KbArticle.title, KbArticle.id),
    "updated": (KbArticle.updated_at.desc(), KbArticle.id.desc()),
    "helpful": (KbArticle.helpful_votes.desc(), KbArticle.id),
    "unhelpful": (KbArticle.unhelpful_votes.desc(), KbArticle.id),
}


async def list_articles(
    session: AsyncSession, *, workspace_id: int, locale: str | None = None,
    status: str | None = None, category_id: int | None = None, query: str = "",
    sort: str = "slug",
) -> Sequence[KbArticle]:
    """List the workspace's articles (drafts included) for the admin pages.

    ``query`` matches title or slug (case-insensitive); ``sort`` is a key of ARTICLE_SORTS.
    """
    stmt = select(KbArticle).where(KbArticle.workspace_id == workspace_id)
    if locale:
        stmt = stmt.where(KbArticle.locale == locale)
    if status:
        stmt = stmt.where(KbArticle.status == status)
    if category_id:
        stmt = stmt.where(KbArticle.category_id == category_id)
    if query.strip():
        pattern = f"%{query.strip().lower()}%"
        stmt = stmt.where(or_(func.lower(KbArticle.title).like(pattern),
                                  func.lower(KbArticle.slug).like(pattern)))
    order = ARTICLE_SORTS.get(sort, ARTICLE_SORTS["slug"])
    return (await session.scalars(stmt.order_by(*order))).all()


async def list_versions(
    session: AsyncSession, *, workspace_id: int, article_id: int
) -> Sequence[KbArticleVersion]:
    """List an article's versions, newest first."""
    return (await session.scalars(select(KbArticleVersion).where(
        KbArticleVersion.workspace_id == workspace_id,
        KbArticleVersion.article_id == article_id).order_by(KbArticleVersion.number.desc()))).all()


async def get_version(
    session: AsyncSession, *, workspace_id: int, article_id: int, number: int
) -> KbArticleVersion:
    """Return one version of an article or raise NotFound."""
    version = await session.scalar(select(KbArticleVersion).where(
        KbArticleVersion.workspace_id == workspace_id, KbArticleVersion.article_id == article_id,
        KbArticleVersion.number == number))
    if version is None:
        raise NotFound(f"version {number} of article {article_id} not found")
    return version


async def list_categories(session: AsyncSession, *, workspace_id: int) -> Sequence[KbCategory]:
    """List the category tree's nodes in display order."""
    return (await session.scalars(select(KbCategory).where(
        KbCategory.workspace_id == workspace_id
    ).order_by(KbCategory.position, KbCategory.id))).all()


async def get_category_by_slug(
    session: AsyncSession, *, workspace_id: int, slug: str
) -> KbCategory | None:
    """Return a category by slug, if any."""
    return await session.scalar(select(KbCategory).where(
        KbCategory.workspace_id == workspace_id, KbCategory.slug == slug))


def _published(workspace_id: int, include_internal: bool) -> Select[KbArticle, KbArticleVersion]:
    stmt = published(KbArticle, KbArticleVersion, workspace_id=workspace_id)
    return stmt if include_internal else stmt.where(KbArticleVersion.visibility == PUBLIC)


async def get_published(
    session: AsyncSession, *, workspace_id: int, locale: str, slug: str,
    include_internal: bool = False,
) -> tuple[KbArticle, KbArticleVersion] | None:
    """Return a published article and the version readers see."""
    stmt = _published(workspace_id, include_internal).where(
        KbArticle.locale == locale, KbArticle.slug == slug)
    row = (await session.execute(stmt)).first()
    return (row[0], row[1]) if row else None


async def list_published(
    session: AsyncSession, *, workspace_id: int, locale: str | None = None,
    category_id: int | None = None, include_internal: bool = False,
) -> list[tuple[KbArticle, KbArticleVersion]]:
    """List published articles with their live versions, by title."""
    stmt = _published(workspace_id, include_internal)
    if locale:
        stmt = stmt.where(KbArticle.locale == locale)
    if category_id:
        stmt = stmt.where(KbArticleVersion.category_id == category_id)
    rows = (await session.execute(stmt.order_by(KbArticleVersion.title))).all()
    return [(a, v) for a, v in rows]


async def list_translations(session: AsyncSession, *, article: KbArticle) -> Sequence[KbArticle]:
    """Return the other-locale articles linked to this one."""
    root = article.translation_of_id or article.id
    return (await session.scalars(select(KbArticle).where(
        KbArticle.workspace_id == article.workspace_id, KbArticle.id != article.id,
        or_(KbArticle.id == root, KbArticle.translation_of_id == root)))).all()


async def list_synonym_sets(session: AsyncSession, *, workspace_id: int) -> Sequence[KbSynonymSet]:
    """List the workspace's synonym sets."""
    return (await session.scalars(select(KbSynonymSet).where(
        KbSynonymSet.workspace_id == workspace_id).order_by(KbSynonymSet.id))).all()


async def top_search_misses(
    session: AsyncSession, *, workspace_id: int, since: dt.datetime, limit: int = 20,
) -> list[tuple[str, str, int]]:
    """Return the searches that found nothing most often since a moment: (query, source, count)."""
    count = func.count(KbSearchMiss.id)
    rows = await session.execute(select(KbSearchMiss.query, KbSearchMiss.source, count).where(
        KbSearchMiss.workspace_id == workspace_id, KbSearchMiss.created_at >= since,
    ).group_by(KbSearchMiss.query, KbSearchMiss.source).order_by(
        count.desc(), KbSearchMiss.query).limit(limit))
    return [(q, src, n) for q, src, n in rows.all()]


async def get_attachment(
    session: AsyncSession, *, workspace_id: int, attachment_id: int
) -> KbAttachment:
    """Return an attachment or raise NotFound."""
    row = await session.scalar(select(KbAttachment).where(
        KbAttachment.workspace_id == workspace_id, KbAttachment.id == attachment_id))
    if row is None:
        raise NotFound(f"attachment {attachment_id} not found")
    return row


async def is_public_attachment(session: AsyncSession, *, attachment: KbAttachment) -> bool:
    """Tell whether a published public article shows the attachment (linked or embedded)."""
    shown = or_(KbArticle.id == attachment.article_id,
                KbArticleVersion.body.contains(f"/attachments/{attachment.id}/"))
    stmt = _published(attachment.workspace_id, include_internal=False).where(shown).limit(1)
    return (await session.execute(stmt)).first() is not None


async def suggest_for_conversation(
    session: AsyncSession, *, workspace_id: int, customer_messages: Sequence[str],
    locale: str | None = None, limit: int = 3,
) -> list[Passage]:
    """Suggest articles for an agent from the latest customer messages (internal ones included)."""
    recent = [m for m in customer_messages if m and m.strip()][-SUGGESTION_MESSAGES:]
    if not recent:
        return []
    # The newest message says most about what the customer needs now, so it counts twice.
    query = " ".join([*recent, recent[-1]])
    return await search(session, workspace_id=workspace_id, query=query, locale=locale,
                        include_internal=True, limit=limit)


async def suggest_for_conversation_id(
    session: AsyncSession, *, actor: Actor, conversation_id: int, limit: int = 3
) -> list[Passage]:
    """Suggest articles beside a conversation from its latest customer messages."""
    from omnidesk.domains.conversations.service import access_conversation, list_messages

    conversation = await access_conversation(session, actor=actor, conversation_id=conversation_id)
    messages = await list_messages(session, workspace_id=actor.workspace_id,
                                   conversation_id=conversation.id, include_private=False)
    texts = [m.text for m in messages if m.direction == "inbound"]
    return await suggest_for_conversation(session, workspace_id=actor.workspace_id,
                                          customer_messages=texts, limit=limit)


def analyse_text(text: str) -> list[str]:
    """Return the terms the knowledge base indexes for a text (Korean morphemes with compound
    pieces, English stems, numbers): the one analyser other domains' search indexes use."""
    return index_terms(text)


def analyse_texts(texts: Sequence[str]) -> list[list[str]]:
    """``analyse_text`` of each text of a batch, each distinct line analysed once (CPU work)."""
    return index_terms_many(texts)
