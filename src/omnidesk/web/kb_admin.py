"""The knowledge base admin pages (/kb-admin): list, write, translate, publish and schedule,
versions, imports and export, and what readers tell authors (votes, searches with no result).

Agents read; supervisors and admins edit (the knowledge domain's can_edit decides).
"""

from __future__ import annotations

import datetime as dt
import io
import json
import tempfile
import zipfile
from pathlib import Path
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Form, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from omnidesk.core.db import utcnow
from omnidesk.core.errors import DomainError, InvalidInput
from omnidesk.core.http import SessionDep
from omnidesk.core.schemas import Id
from omnidesk.domains.knowledge import service
from omnidesk.domains.knowledge.actions import (
    can_edit,
    do_create_article,
    do_publish_article,
    do_restore_version,
    do_unpublish_article,
    do_update_article,
)
from omnidesk.domains.knowledge.io.exporting import export_knowledge_base
from omnidesk.domains.knowledge.io.importing import (
    import_faq_csv,
    import_markdown_zip,
    import_zendesk,
)
from omnidesk.domains.knowledge.schedule_actions import (
    do_cancel_scheduled_publish,
    do_schedule_publish,
)
from omnidesk.domains.knowledge.schemas import ArticleCreate, ArticleUpdate
from omnidesk.domains.knowledge.site.rendering import render_markdown
from omnidesk.domains.knowledge.site.structure import article_path, category_name
from omnidesk.domains.workspaces.actions import do_update_workspace
from omnidesk.domains.workspaces.schemas import WorkspaceUpdate
from omnidesk.web.deps import AgentPage, agent_page, csrf_failed, login_redirect, render
from omnidesk.web.help_center import LOCALES, help_widget_on

router = APIRouter(prefix="/kb-admin", include_in_schema=False)
FormText = Annotated[str, Form()]


async def _admin_post(request: Request, session: SessionDep, csrf: str) -> AgentPage | Response:
    """Return the signed-in staff page for a form post, or the login redirect / CSRF refusal."""
    page = await agent_page(request, session)
    if page is None:
        return login_redirect(request)
    return csrf_failed(request, csrf) or page


def _admin(request: Request, page: AgentPage, template: str, **values: Any) -> HTMLResponse:
    zone = ZoneInfo(page.workspace.timezone)
    return render(request, page, f"kb_admin/{template}", can_edit=can_edit(page.actor),
                  local=lambda moment: moment.astimezone(zone), timezone=page.workspace.timezone,
                  **values)


MISS_DAYS = 30  # the window of "searches with no result" shown to authors
ListFilter = Annotated[str, Query(max_length=200)]
STATUSES = ("draft", "published", "archived")


@router.get("", response_class=HTMLResponse)
async def admin_list(request: Request, session: SessionDep, q: ListFilter = "",
                     locale: ListFilter = "", status: ListFilter = "", category: ListFilter = "",
                     sort: ListFilter = "slug") -> Response:
    """List articles with search, filters (category, language, state), sort and votes."""
    page = await agent_page(request, session)
    if page is None:
        return login_redirect(request)
    ws_id = page.actor.workspace_id
    categories = await service.list_categories(session, workspace_id=ws_id)
    by_slug = {c.slug: c for c in categories}
    if ((locale and locale not in LOCALES) or (status and status not in STATUSES)
            or (category and category not in by_slug) or sort not in service.ARTICLE_SORTS):
        return HTMLResponse("unknown filter value", status_code=400)
    articles = await service.list_articles(
        session, workspace_id=ws_id, locale=locale or None, status=status or None,
        category_id=by_slug[category].id if category else None, query=q, sort=sort)
    names = {c.id: category_name(c, page.locale) for c in categories}
    misses = await service.top_search_misses(
        session, workspace_id=ws_id, since=utcnow() - dt.timedelta(days=MISS_DAYS), limit=10)
    return _admin(request, page, "list.html", articles=articles, misses=misses,
                  help_widget=help_widget_on(page.workspace), categories=categories,
                  category_names=names, filters={"q": q, "locale": locale, "status": status,
                                                 "category": category, "sort": sort},
                  locales=LOCALES, statuses=STATUSES, sorts=list(service.ARTICLE_SORTS))


async def _new_form(request: Request, session: SessionDep, page: AgentPage, values: dict[str, str],
                    *, status_code: int = 200, error: str = "") -> HTMLResponse:
    categories = await service.list_categories(session, workspace_id=page.actor.workspace_id)
    return render(request, page, "kb_admin/new.html", status_code=status_code, values=values,
                  error=error, locales=LOCALES, categories=categories,
                  category_names={c.id: category_name(c, page.locale) for c in categories})


@router.get("/new", response_class=HTMLResponse)
async def admin_new(request: Request, session: SessionDep, locale: ListFilter = "ko",
                    translation_of: ListFilter = "") -> Response:
    """Show the form for a new article (or a translation of one in the other language)."""
    page = await agent_page(request, session)
    if page is None:
        return login_redirect(request)
    values = {"locale": locale, "translation_of": translation_of, "slug": translation_of}
    return await _new_form(request, session, page, values)


@router.post("/articles", response_class=HTMLResponse)
async def admin_create(
    request: Request, session: SessionDep, slug: FormText = "", title: FormText = "",
    locale: FormText = "ko", category: FormText = "", summary: FormText = "",
    body: FormText = "", visibility: FormText = "public", translation_of: FormText = "",
    csrf: FormText = "",
) -> Response:
    """Create a draft through the knowledge domain, then open it in the editor."""
    page = await _admin_post(request, session, csrf)
    if not isinstance(page, AgentPage):
        return page
    values = {"slug": slug, "title": title, "locale": locale, "category": category,
              "summary": summary, "body": body, "visibility": visibility,
              "translation_of": translation_of}
    try:
        created = await do_create_article(session, actor=page.actor, article_in=ArticleCreate(
            slug=slug.strip(), title=title.strip(), locale=locale, category=category or None,
            summary=summary, body=body, visibility=visibility,
            translation_of=translation_of.strip() or None))
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        return await _new_form(request, session, page, values, status_code=422,
                               error=f"{where}: {first['msg']}")
    except DomainError as exc:
        return await _new_form(request, session, page, values, status_code=exc.status,
                               error=exc.message)
    await session.commit()
    return RedirectResponse(f"/kb-admin/articles/{created.id}", status_code=303)


IMPORT_LIMIT = 5_000_000


@router.post("/import", response_class=HTMLResponse)
async def admin_import(request: Request, session: SessionDep, file: UploadFile,
                       kind: FormText = "faq_csv", locale: FormText = "ko",
                       csrf: FormText = "") -> Response:
    """Import a Markdown zip (front matter: title, category, locale, slug), an FAQ CSV
    (question,answer[,tags]) or a Zendesk Help Center JSON export."""
    page = await _admin_post(request, session, csrf)
    if not isinstance(page, AgentPage):
        return page
    data = await file.read(IMPORT_LIMIT + 1)
    try:
        if len(data) > IMPORT_LIMIT:
            raise InvalidInput("the file is larger than 5 MB", field="file")
        if kind == "markdown_zip" and locale in LOCALES:
            report = await import_markdown_zip(session, actor=page.actor, data=data,
                                               default_locale=locale)
        elif kind == "faq_csv" and locale in LOCALES:
            text = data.decode("utf-8-sig")
            report = await import_faq_csv(session, actor=page.actor, data=text, locale=locale)
        elif kind == "zendesk_json":
            export = json.loads(data.decode("utf-8-sig"))
            if not isinstance(export, dict):
                raise InvalidInput("a Zendesk export is a JSON object", field="file")
            report = await import_zendesk(session, actor=page.actor, export=export)
        else:
            raise InvalidInput("unknown import kind or language", field="kind")
    except (UnicodeDecodeError, json.JSONDecodeError, KeyError, TypeError) as exc:
        return HTMLResponse(f"the file could not be read: {type(exc).__name__}", status_code=422)
    except ValidationError as exc:
        return HTMLResponse(f"invalid article: {exc.errors()[0]['msg']}", status_code=422)
    except DomainError as exc:
        return HTMLResponse(exc.message, status_code=exc.status)
    await session.commit()
    return _admin(request, page, "import_done.html", report=report)


@router.get("/export")
async def admin_export(request: Request, session: SessionDep) -> Response:
    """Download every article as Markdown files (with front matter) in a zip."""
    page = await agent_page(request, session)
    if page is None:
        return login_redirect(request)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        await export_knowledge_base(session, workspace_id=page.actor.workspace_id, folder=folder)
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in sorted(folder.rglob("*")):
                if path.is_file():
                    archive.write(path, path.relative_to(folder).as_posix())
    name = f"{page.workspace.slug}-knowledge-base.zip"
    return Response(buffer.getvalue(), media_type="application/zip",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


@router.post("/help-center")
async def admin_help_center(request: Request, session: SessionDep, csrf: FormText = "",
                            widget: FormText = "") -> Response:
    """Turn the help center's chat widget and its Contact us button on or off (admins)."""
    page = await _admin_post(request, session, csrf)
    if not isinstance(page, AgentPage):
        return page
    update = WorkspaceUpdate(settings={"help_center": {"widget": widget == "on"}})
    try:
        await do_update_workspace(session, actor=page.actor, workspace_in=update)
    except DomainError as exc:
        return HTMLResponse(exc.message, status_code=exc.status)
    await session.commit()
    return RedirectResponse("/kb-admin", status_code=303)


@router.post("/preview", response_class=HTMLResponse)
async def admin_preview(request: Request, session: SessionDep, body: FormText = "") -> Response:
    """Render markdown the way readers will see it (sanitized)."""
    page = await agent_page(request, session)
    if page is None:
        return login_redirect(request)
    return HTMLResponse(render_markdown(body))


@router.get("/articles/{article_id}", response_class=HTMLResponse)
async def admin_edit(article_id: Id, request: Request, session: SessionDep) -> Response:
    """Show the editor with a live preview and the version history."""
    page = await agent_page(request, session)
    if page is None:
        return login_redirect(request)
    art = await service.access_article(session, actor=page.actor, article_id=article_id)
    versions = await service.list_versions(session, workspace_id=art.workspace_id,
                                           article_id=art.id)
    categories = await service.list_categories(session, workspace_id=art.workspace_id)
    translations = await service.list_translations(session, article=art)
    missing = [loc for loc in LOCALES
               if loc != art.locale and all(t.locale != loc for t in translations)]
    return _admin(request, page, "edit.html", article=art, versions=versions,
                  preview=render_markdown(art.body), categories=categories,
                  category_names={c.id: category_name(c, page.locale) for c in categories},
                  translations=translations, missing_locales=missing)


@router.post("/articles/{article_id}", response_class=HTMLResponse)
async def admin_save(
    article_id: Id, request: Request, session: SessionDep, title: FormText, body: FormText,
    summary: FormText = "", tags: FormText = "", visibility: FormText = "public",
    category: FormText = "", note: FormText = "", action: FormText = "save", csrf: FormText = "",
    publish_at: FormText = "",
) -> Response:
    """Save the draft as a new version, then publish, unpublish or schedule when asked."""
    page = await _admin_post(request, session, csrf)
    if not isinstance(page, AgentPage):
        return page
    moment = None
    if action == "schedule":
        try:
            moment = dt.datetime.fromisoformat(publish_at.strip())
        except ValueError:
            return HTMLResponse("choose the date and time to publish at", status_code=422)
    fields: dict[str, Any] = {"category": category} if category else {}
    update = ArticleUpdate(title=title, summary=summary, body=body, visibility=visibility,
                           tags=[t.strip() for t in tags.split(",") if t.strip()], note=note,
                           **fields)
    await do_update_article(session, actor=page.actor, article_id=article_id, article_in=update)
    if action == "publish":
        await do_publish_article(session, actor=page.actor, article_id=article_id)
    elif action == "unpublish":
        await do_unpublish_article(session, actor=page.actor, article_id=article_id)
    elif moment is not None:
        await do_schedule_publish(session, actor=page.actor, article_id=article_id,
                                  publish_at=moment)
    elif action == "cancel_schedule":
        await do_cancel_scheduled_publish(session, actor=page.actor, article_id=article_id)
    await session.commit()
    return RedirectResponse(f"/kb-admin/articles/{article_id}", status_code=303)


@router.post("/articles/{article_id}/versions/{number}/restore")
async def admin_restore(article_id: Id, number: Id, request: Request, session: SessionDep,
                        csrf: FormText = "") -> Response:
    """Restore an old version as the new draft."""
    page = await _admin_post(request, session, csrf)
    if not isinstance(page, AgentPage):
        return page
    await do_restore_version(session, actor=page.actor, article_id=article_id, number=number)
    await session.commit()
    return RedirectResponse(f"/kb-admin/articles/{article_id}", status_code=303)


@router.get("/suggestions", response_class=HTMLResponse)
async def agent_suggestions(request: Request, session: SessionDep, conversation_id: Id,
                            ) -> Response:
    """Render the agent side panel: articles for the latest customer messages (HTMX partial)."""
    page = await agent_page(request, session)
    if page is None:
        return login_redirect(request)
    hits = await service.suggest_for_conversation_id(session, actor=page.actor,
                                                     conversation_id=conversation_id, limit=4)
    base = str(request.base_url).rstrip("/")
    links = {hit.passage_id: base + article_path(page.workspace.slug, hit.locale, hit.slug)
             for hit in hits}
    return _admin(request, page, "_suggestions.html", hits=hits, links=links)
