"""Knowledge base writes: articles with version history, publishing (and indexing), restore."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.core.audit import audit
from omnidesk.core.context import Actor
from omnidesk.core.db import utcnow
from omnidesk.core.errors import Conflict, InvalidInput, PermissionDenied
from omnidesk.core.events import emit
from omnidesk.core.pii.mask import mask_text
from omnidesk.domains.knowledge import events
from omnidesk.domains.knowledge.index.updates import IndexedArticle, index_article, unindex_article
from omnidesk.domains.knowledge.models import (
    DRAFT,
    LOCALES,
    PUBLISHED,
    KbArticle,
    KbArticleVersion,
    KbSearchMiss,
)
from omnidesk.domains.knowledge.schemas import ArticleCreate, ArticleUpdate
from omnidesk.domains.knowledge.search.embeddings import EmbeddingProvider
from omnidesk.domains.knowledge.service import (
    get_article,
    get_article_by_slug,
    get_category_by_slug,
    get_version,
)

EDITOR_ROLE = "supervisor"
MISS_LENGTH, MIN_MISS_LENGTH = 200, 2
VERSIONED_FIELDS = ("title", "summary", "body", "tags", "related", "category_id", "visibility")


def can_edit(actor: Actor) -> bool:
    """Tell whether the actor may write, publish and import articles (supervisors and admins)."""
    try:
        actor.require(EDITOR_ROLE)
    except PermissionDenied:
        return False
    return True


async def _category_id(session: AsyncSession, workspace_id: int, slug: str | None) -> int | None:
    if not slug:
        return None
    category = await get_category_by_slug(session, workspace_id=workspace_id, slug=slug)
    if category is None:
        raise InvalidInput(f"unknown category {slug!r}", field="category")
    return category.id


def _snapshot(session: AsyncSession, article: KbArticle, *, actor: Actor,
              changed: list[str], note: str) -> KbArticleVersion:
    article.version_number += 1
    version = KbArticleVersion(
        workspace_id=article.workspace_id, article_id=article.id, number=article.version_number,
        changed_fields=changed, note=note[:300], author_id=actor.user_id,
        author_kind=actor.audit_kind, **{f: getattr(article, f) for f in VERSIONED_FIELDS})
    session.add(version)
    return version


def _event(article: KbArticle) -> dict:
    return {"article_id": article.id, "slug": article.slug, "locale": article.locale,
            "version": article.version_number}


def _record(session: AsyncSession, actor: Actor, article: KbArticle,
            event: events.ArticleFacts, data: dict | None = None) -> None:
    audit(session, workspace_id=article.workspace_id, action=event.name, actor_id=actor.user_id,
          actor_kind=actor.audit_kind, object_type="kb_article", object_id=article.id,
          data=data or {})
    emit(session, event, workspace_id=article.workspace_id)


async def do_create_article(
    session: AsyncSession, *, actor: Actor, article_in: ArticleCreate
) -> KbArticle:
    """Create a draft article and its first version."""
    actor.require(EDITOR_ROLE)
    ws = actor.workspace_id
    if await get_article_by_slug(session, workspace_id=ws, slug=article_in.slug,
                                 locale=article_in.locale):
        raise Conflict(f"article {article_in.slug!r} ({article_in.locale}) exists", field="slug")
    source_id = None
    if article_in.translation_of:
        others = [loc for loc in LOCALES if loc != article_in.locale]
        sources = [await get_article_by_slug(session, workspace_id=ws,
                                             slug=article_in.translation_of, locale=loc)
                   for loc in others]
        source = next((s for s in sources if s is not None), None)
        if source is None:
            raise InvalidInput("translation_of must name an article in another locale",
                               field="translation_of")
        source_id = source.translation_of_id or source.id
    data = article_in.model_dump(exclude={"category", "translation_of"})
    article = KbArticle(workspace_id=ws, status=DRAFT, translation_of_id=source_id,
                        category_id=await _category_id(session, ws, article_in.category), **data)
    session.add(article)
    await session.flush()
    _snapshot(session, article, actor=actor, changed=["created"], note="created")
    await session.flush()
    _record(session, actor, article, events.ArticleCreated(**_event(article)))
    return article


async def do_update_article(
    session: AsyncSession, *, actor: Actor, article_id: int, article_in: ArticleUpdate
) -> KbArticle:
    """Edit the draft; every save with changes becomes a new version (live copy untouched)."""
    actor.require(EDITOR_ROLE)
    article = await get_article(session, workspace_id=actor.workspace_id, article_id=article_id)
    changes = article_in.model_dump(exclude_unset=True, exclude={"note", "category"})
    if "category" in article_in.model_fields_set:
        changes["category_id"] = await _category_id(session, article.workspace_id,
                                                     article_in.category)
    changed = sorted(k for k, v in changes.items() if v is not None and getattr(article, k) != v)
    if not changed:
        return article
    for key in changed:
        setattr(article, key, changes[key])
    article.updated_at = utcnow()
    _snapshot(session, article, actor=actor, changed=changed, note=article_in.note)
    await session.flush()
    _record(session, actor, article, events.ArticleUpdated(**_event(article)),
            {"fields": changed})
    return article


async def do_publish_article(
    session: AsyncSession, *, actor: Actor, article_id: int,
    embedder: EmbeddingProvider | None = None,
) -> KbArticle:
    """Make the latest version live and (re)index it in the same transaction."""
    actor.require(EDITOR_ROLE)
    article = await get_article(session, workspace_id=actor.workspace_id, article_id=article_id)
    version = await get_version(session, workspace_id=article.workspace_id,
                                article_id=article.id, number=article.version_number)
    article.status, article.published_version_id = PUBLISHED, version.id
    article.published_at = utcnow()
    article.publish_at = article.publish_scheduled_by = None
    passages = await index_article(session, IndexedArticle(
        article_id=article.id, workspace_id=article.workspace_id, locale=article.locale,
        visibility=version.visibility, title=version.title, summary=version.summary,
        body=version.body, tags=list(version.tags),
        group_id=article.translation_of_id), embedder=embedder)
    payload = events.ArticlePublished(**_event(article), visibility=version.visibility,
                                      passages=passages)
    _record(session, actor, article, payload)
    return article


async def do_unpublish_article(
    session: AsyncSession, *, actor: Actor, article_id: int
) -> KbArticle:
    """Take an article off the help center and out of search; its draft stays."""
    actor.require(EDITOR_ROLE)
    article = await get_article(session, workspace_id=actor.workspace_id, article_id=article_id)
    article.status, article.published_version_id = DRAFT, None
    article.publish_at = article.publish_scheduled_by = None
    await unindex_article(session, workspace_id=article.workspace_id, article_id=article.id)
    _record(session, actor, article, events.ArticleUnpublished(**_event(article)))
    return article


async def do_restore_version(
    session: AsyncSession, *, actor: Actor, article_id: int, number: int, publish: bool = False,
    embedder: EmbeddingProvider | None = None,
) -> KbArticle:
    """Copy an old version's content into a new version; publish it when asked."""
    actor.require(EDITOR_ROLE)
    article = await get_article(session, workspace_id=actor.workspace_id, article_id=article_id)
    old = await get_version(session, workspace_id=article.workspace_id, article_id=article.id,
                            number=number)
    changed = [f for f in VERSIONED_FIELDS if getattr(article, f) != getattr(old, f)]
    for field in VERSIONED_FIELDS:
        setattr(article, field, getattr(old, field))
    _snapshot(session, article, actor=actor, changed=changed, note=f"restored version {number}")
    await session.flush()
    _record(session, actor, article,
            events.ArticleRestored(**_event(article), restored_from=number))
    if publish:
        return await do_publish_article(session, actor=actor, article_id=article.id,
                                        embedder=embedder)
    return article


async def do_record_search_miss(
    session: AsyncSession, *, workspace_id: int, query: str, source: str, locale: str
) -> None:
    """Note a search that found nothing, with personal data masked and spacing folded."""
    text = " ".join(mask_text(query).split()).casefold()[:MISS_LENGTH]
    if len(text) >= MIN_MISS_LENGTH:
        session.add(KbSearchMiss(workspace_id=workspace_id, query=text, source=source,
                                 locale=locale))
