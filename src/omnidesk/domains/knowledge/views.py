"""Knowledge base API: search and suggestions for bot and agents, article editing, synonyms."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, File, Form, Query, Request, UploadFile

from omnidesk.core.api import ApiRoute
from omnidesk.core.body_limit import body_limit
from omnidesk.core.http import ActorDep, CsrfWithCookie, SessionDep
from omnidesk.core.schemas import Id
from omnidesk.domains.knowledge import actions, service, site_actions
from omnidesk.domains.knowledge.schemas import (
    ArticleCreate,
    ArticleRead,
    ArticleUpdate,
    CategoryCreate,
    CategoryRead,
    PassageRead,
    SynonymSetCreate,
    SynonymSetRead,
    VersionRead,
)
from omnidesk.domains.knowledge.search.engine import Passage
from omnidesk.domains.workspaces.service import get_workspace

router = APIRouter(prefix="/api/v1/kb", tags=["knowledge"], route_class=ApiRoute)
LocaleQuery = Annotated[str | None, Query(pattern=r"^(ko|en)$")]


def _passages(hits: list[Passage]) -> list[PassageRead]:
    return [PassageRead.model_validate(hit, from_attributes=True) for hit in hits]


@router.get("/search", response_model=list[PassageRead])
async def search_passages(
    actor: ActorDep, session: SessionDep, q: Annotated[str, Query(min_length=1, max_length=500)],
    locale: LocaleQuery = None, limit: Annotated[int, Query(ge=1, le=20)] = 5,
) -> list[PassageRead]:
    """Search published articles (internal ones included) and return ranked passages."""
    actor.require("agent")
    hits = await service.search(session, workspace_id=actor.workspace_id, query=q, locale=locale,
                                include_internal=True, limit=limit)
    return _passages(hits)


@router.get("/suggestions", response_model=list[PassageRead])
async def suggest(
    actor: ActorDep, session: SessionDep, conversation_id: Id,
    limit: Annotated[int, Query(ge=1, le=10)] = 3,
) -> list[PassageRead]:
    """Suggest articles for the latest customer messages of a conversation."""
    hits = await service.suggest_for_conversation_id(
        session, actor=actor, conversation_id=conversation_id, limit=limit)
    return _passages(hits)


@router.get("/articles", response_model=list[ArticleRead])
async def list_articles(
    actor: ActorDep, session: SessionDep, locale: LocaleQuery = None, status: str | None = None,
) -> list[ArticleRead]:
    """List articles, drafts included."""
    actor.require("agent")
    rows = await service.list_articles(session, workspace_id=actor.workspace_id, locale=locale,
                                       status=status)
    return [ArticleRead.model_validate(r) for r in rows]


@router.post("/articles", response_model=ArticleRead, status_code=201)
async def create_article(article_in: ArticleCreate, actor: ActorDep,
                         session: SessionDep) -> ArticleRead:
    """Create a draft article (version 1)."""
    article = await actions.do_create_article(session, actor=actor, article_in=article_in)
    await session.commit()
    return ArticleRead.model_validate(article)


@router.get("/articles/{article_id}", response_model=ArticleRead)
async def read_article(article_id: Id, actor: ActorDep, session: SessionDep) -> ArticleRead:
    """Return one article with its current draft."""
    article = await service.access_article(session, actor=actor, article_id=article_id)
    return ArticleRead.model_validate(article)


@router.patch("/articles/{article_id}", response_model=ArticleRead)
async def update_article(article_id: Id, article_in: ArticleUpdate, actor: ActorDep,
                         session: SessionDep) -> ArticleRead:
    """Save draft changes as a new version; the live version is untouched until publish."""
    article = await actions.do_update_article(session, actor=actor, article_id=article_id,
                                              article_in=article_in)
    await session.commit()
    return ArticleRead.model_validate(article)


@router.post("/articles/{article_id}/publish", response_model=ArticleRead)
async def publish_article(article_id: Id, actor: ActorDep, session: SessionDep) -> ArticleRead:
    """Publish the latest version and index it."""
    article = await actions.do_publish_article(session, actor=actor, article_id=article_id)
    await session.commit()
    return ArticleRead.model_validate(article)


@router.post("/articles/{article_id}/unpublish", response_model=ArticleRead)
async def unpublish_article(article_id: Id, actor: ActorDep, session: SessionDep) -> ArticleRead:
    """Take an article off the help center and out of search."""
    article = await actions.do_unpublish_article(session, actor=actor, article_id=article_id)
    await session.commit()
    return ArticleRead.model_validate(article)


@router.get("/articles/{article_id}/versions", response_model=list[VersionRead])
async def list_versions(article_id: Id, actor: ActorDep, session: SessionDep) -> list[VersionRead]:
    """List an article's versions, newest first."""
    article = await service.access_article(session, actor=actor, article_id=article_id)
    rows = await service.list_versions(session, workspace_id=actor.workspace_id,
                                       article_id=article.id)
    return [VersionRead.model_validate(r) for r in rows]


@router.post("/articles/{article_id}/versions/{number}/restore", response_model=ArticleRead)
async def restore_version(article_id: Id, number: Id, actor: ActorDep, session: SessionDep,
                          publish: bool = False) -> ArticleRead:
    """Copy an old version into a new one (and publish it when asked)."""
    article = await actions.do_restore_version(session, actor=actor, article_id=article_id,
                                               number=number, publish=publish)
    await session.commit()
    return ArticleRead.model_validate(article)


@router.get("/categories", response_model=list[CategoryRead])
async def list_categories(actor: ActorDep, session: SessionDep) -> list[CategoryRead]:
    """List the category tree's nodes."""
    rows = await service.list_categories(session, workspace_id=actor.workspace_id)
    return [CategoryRead.model_validate(r) for r in rows]


@router.post("/categories", response_model=CategoryRead, status_code=201)
async def create_category(category_in: CategoryCreate, actor: ActorDep,
                          session: SessionDep) -> CategoryRead:
    """Add a category."""
    row = await site_actions.do_create_category(session, actor=actor, category_in=category_in)
    await session.commit()
    return CategoryRead.model_validate(row)


@router.get("/synonyms", response_model=list[SynonymSetRead])
async def list_synonyms(actor: ActorDep, session: SessionDep) -> list[SynonymSetRead]:
    """List the workspace's synonym sets."""
    rows = await service.list_synonym_sets(session, workspace_id=actor.workspace_id)
    return [SynonymSetRead.model_validate(r) for r in rows]


@router.post("/synonyms", response_model=SynonymSetRead, status_code=201)
async def create_synonyms(synonyms_in: SynonymSetCreate, actor: ActorDep,
                          session: SessionDep) -> SynonymSetRead:
    """Add a synonym set; it applies from the next search."""
    row = await site_actions.do_create_synonym_set(session, actor=actor, synonyms_in=synonyms_in)
    await session.commit()
    return SynonymSetRead.model_validate(row)


@router.delete("/synonyms/{synonym_set_id}", status_code=204)
async def delete_synonyms(synonym_set_id: Id, actor: ActorDep, session: SessionDep) -> None:
    """Remove a synonym set."""
    await site_actions.do_delete_synonym_set(session, actor=actor, synonym_set_id=synonym_set_id)
    await session.commit()


@router.post("/attachments", status_code=201, dependencies=[CsrfWithCookie])
@body_limit("upload")
async def upload_attachment(
    request: Request, actor: ActorDep, session: SessionDep, file: Annotated[UploadFile, File()],
    article_id: Annotated[Id | None, Form()] = None,
) -> dict:
    """Upload an image or file; returns the markdown to embed it."""
    data = await file.read()
    row = await site_actions.do_add_attachment(
        session, actor=actor, filename=file.filename or "file", article_id=article_id,
        content_type=file.content_type, data=data,
        max_bytes=request.app.state.settings.max_upload_bytes)
    await session.commit()
    workspace = await get_workspace(session, workspace_id=actor.workspace_id)
    url = f"/help/{workspace.slug}/attachments/{row.id}/{quote(row.filename)}"
    image = row.content_type.startswith("image/")
    return {"id": row.id, "url": url,
            "markdown": f"![{row.filename}]({url})" if image else f"[{row.filename}]({url})"}
