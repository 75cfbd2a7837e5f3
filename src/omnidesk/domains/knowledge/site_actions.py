"""Knowledge base writes around articles: categories, synonyms, helpful votes, attachments."""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.core.audit import audit
from omnidesk.core.context import Actor
from omnidesk.core.errors import Conflict, InvalidInput, NotFound
from omnidesk.core.events import emit
from omnidesk.core.files import check_file, clean_name
from omnidesk.domains.knowledge import events
from omnidesk.domains.knowledge.index.updates import bump_generation
from omnidesk.domains.knowledge.models import (
    KbArticle,
    KbAttachment,
    KbCategory,
    KbSynonymSet,
    KbVote,
)
from omnidesk.domains.knowledge.schemas import CategoryCreate, SynonymSetCreate
from omnidesk.domains.knowledge.service import get_article, get_category_by_slug

EDITOR_ROLE = "supervisor"


async def do_create_category(
    session: AsyncSession, *, actor: Actor, category_in: CategoryCreate
) -> KbCategory:
    """Add a node to the category tree."""
    actor.require(EDITOR_ROLE)
    ws = actor.workspace_id
    if await get_category_by_slug(session, workspace_id=ws, slug=category_in.slug):
        raise Conflict(f"category {category_in.slug!r} exists", field="slug")
    parent_id = None
    if category_in.parent:
        parent = await get_category_by_slug(session, workspace_id=ws, slug=category_in.parent)
        if parent is None:
            raise InvalidInput(f"unknown parent {category_in.parent!r}", field="parent")
        parent_id = parent.id
    category = KbCategory(workspace_id=ws, slug=category_in.slug, names=category_in.names,
                          parent_id=parent_id, position=category_in.position)
    session.add(category)
    await session.flush()
    audit(session, workspace_id=ws, action="kb_category.created", actor_id=actor.user_id,
          actor_kind=actor.audit_kind, object_type="kb_category", object_id=category.id)
    return category


async def do_create_synonym_set(
    session: AsyncSession, *, actor: Actor, synonyms_in: SynonymSetCreate
) -> KbSynonymSet:
    """Add a synonym set; searches use it from the next query on."""
    actor.require(EDITOR_ROLE)
    phrases = [p.strip() for p in synonyms_in.phrases if p.strip()]
    if len(set(phrases)) < 2:
        raise InvalidInput("a synonym set needs two different phrases", field="phrases")
    row = KbSynonymSet(workspace_id=actor.workspace_id, phrases=phrases)
    session.add(row)
    await session.flush()
    await bump_generation(session, workspace_id=actor.workspace_id)
    emit(session, events.SynonymsChanged(synonym_set_id=row.id, action="created"),
         workspace_id=actor.workspace_id)
    return row


async def do_delete_synonym_set(
    session: AsyncSession, *, actor: Actor, synonym_set_id: int
) -> None:
    """Remove a synonym set."""
    actor.require(EDITOR_ROLE)
    row = await session.scalar(select(KbSynonymSet).where(
        KbSynonymSet.workspace_id == actor.workspace_id, KbSynonymSet.id == synonym_set_id))
    if row is None:
        raise NotFound(f"synonym set {synonym_set_id} not found")
    await session.delete(row)
    await bump_generation(session, workspace_id=actor.workspace_id)
    emit(session, events.SynonymsChanged(synonym_set_id=synonym_set_id, action="deleted"),
         workspace_id=actor.workspace_id)


async def do_vote(
    session: AsyncSession, *, workspace_id: int, article_id: int, voter_key: str, helpful: bool
) -> bool:
    """Record one reader's "was this helpful?" answer; return False if they already voted."""
    article = await get_article(session, workspace_id=workspace_id, article_id=article_id)
    existing = await session.scalar(select(KbVote.id).where(
        KbVote.article_id == article.id, KbVote.voter_key == voter_key))
    if existing is not None:
        return False
    session.add(KbVote(workspace_id=workspace_id, article_id=article.id, voter_key=voter_key,
                       helpful=helpful))
    counter = KbArticle.helpful_votes if helpful else KbArticle.unhelpful_votes
    await session.execute(update(KbArticle).where(KbArticle.id == article.id).values(
        {counter: counter + 1}))
    emit(session, events.ArticleVoted(article_id=article.id, helpful=helpful),
         workspace_id=workspace_id)
    return True


async def do_add_attachment(
    session: AsyncSession, *, actor: Actor, filename: str, content_type: str | None, data: bytes,
    max_bytes: int, article_id: int | None = None,
) -> KbAttachment:
    """Store an image or file for articles (size, type and content checked like all uploads)."""
    actor.require(EDITOR_ROLE)
    content_type, _ = check_file(data, content_type=content_type, max_bytes=max_bytes)
    if article_id is not None:
        await get_article(session, workspace_id=actor.workspace_id, article_id=article_id)
    row = KbAttachment(workspace_id=actor.workspace_id, article_id=article_id,
                       filename=clean_name(filename), content_type=content_type, size=len(data),
                       data=data, uploaded_by=actor.user_id)
    session.add(row)
    await session.flush()
    audit(session, workspace_id=actor.workspace_id, action="kb_attachment.added",
          actor_id=actor.user_id, actor_kind=actor.audit_kind, object_type="kb_attachment",
          object_id=row.id, data={"filename": row.filename, "size": row.size})
    return row
