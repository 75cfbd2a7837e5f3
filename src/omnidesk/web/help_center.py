"""The public help center per workspace (/help/<workspace>/<locale>/...) and its sitemap.

Server-rendered pages with canonical URLs and hreflang links; search results refresh as the
visitor types (HTMX partial), and "was this helpful?" votes post back with a CSRF token.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from omnidesk.core.db import utcnow
from omnidesk.core.http import SessionDep
from omnidesk.core.schemas import Id
from omnidesk.domains.inboxes.service import website_calendar
from omnidesk.domains.knowledge import service
from omnidesk.domains.knowledge.actions import do_record_search_miss
from omnidesk.domains.knowledge.site.rendering import render_markdown
from omnidesk.domains.knowledge.site.structure import (
    UI_STRINGS,
    article_path,
    category_name,
    category_tree,
    sitemap_xml,
)
from omnidesk.domains.knowledge.site_actions import do_vote
from omnidesk.domains.workspaces.models import Workspace
from omnidesk.domains.workspaces.service import Calendar, get_workspace_by_slug
from omnidesk.web.auth import csrf_ok, csrf_token, resolve_actor, session_id

router = APIRouter(prefix="/help", include_in_schema=False)
LOCALES = ("ko", "en")
PAGE_CACHE = "public, max-age=60"


async def _workspace(request: Request, session: SessionDep, workspace: str) -> Workspace | None:
    """Find the workspace and the hours its pages show (its website chat's calendar)."""
    ws = await get_workspace_by_slug(session, slug=workspace)
    if ws is not None:
        request.state.calendar = await website_calendar(session, workspace=ws)
    return ws


def _calendar(request: Request) -> Calendar:
    """Return the calendar _workspace read for this request (the widget's, bot's and routing's)."""
    calendar: Calendar = request.state.calendar
    return calendar


def _page(request: Request, template: str, ws: Workspace, locale: str, *,
          status_code: int = 200, **values: Any) -> HTMLResponse:
    base = str(request.base_url).rstrip("/")
    calendar, now = _calendar(request), utcnow()
    holidays = [calendar.holiday_text(h, locale) for h in calendar.upcoming_holidays(now, 3)]
    context = {"workspace": ws, "locale": locale, "t": UI_STRINGS[locale], "base_url": base,
               "csrf_token": csrf_token(request), "hours": calendar.state(now, locale),
               "holidays": holidays, "widget_on": help_widget_on(ws), **values}
    return request.app.state.templates.TemplateResponse(
        request, f"help/{template}", context, status_code=status_code)


def help_widget_on(ws: Workspace) -> bool:
    """Whether the help center carries the chat widget (workspace setting help_center.widget)."""
    settings = (ws.settings or {}).get("help_center") or {}
    return settings.get("widget", True) is not False


def _not_found(request: Request, ws: Workspace | None, locale: str) -> Response:
    if ws is None or locale not in LOCALES:
        return HTMLResponse("<h1>404</h1>", status_code=404)
    return _page(request, "not_found.html", ws, locale, status_code=404)


@router.get("/{workspace}")
async def help_root(workspace: str, request: Request, session: SessionDep) -> Response:
    """Send visitors to the help center in the workspace's default language."""
    ws = await _workspace(request, session, workspace)
    if ws is None:
        return HTMLResponse("<h1>404</h1>", status_code=404)
    locale = ws.default_locale if ws.default_locale in LOCALES else "ko"
    return RedirectResponse(f"/help/{ws.slug}/{locale}", status_code=302)


@router.get("/{workspace}/sitemap.xml")
async def sitemap(workspace: str, request: Request, session: SessionDep) -> Response:
    """List every public article URL for search engines."""
    ws = await _workspace(request, session, workspace)
    if ws is None:
        return Response(status_code=404)
    base = str(request.base_url).rstrip("/")
    rows = await service.list_published(session, workspace_id=ws.id)
    entries: list[tuple[str, dt.datetime | None]] = [
        (f"{base}/help/{ws.slug}/{loc}", None) for loc in LOCALES]
    entries += [(base + article_path(ws.slug, a.locale, a.slug), a.published_at) for a, _ in rows]
    return Response(sitemap_xml(entries), media_type="application/xml")


@router.get("/{workspace}/attachments/{attachment_id}/{filename}")
async def attachment(workspace: str, attachment_id: Id, filename: str, request: Request,
                     session: SessionDep) -> Response:
    """Serve an article image or file: to anyone when a public article shows it, else to staff."""
    ws = await _workspace(request, session, workspace)
    if ws is None:
        return Response(status_code=404)
    row = await service.get_attachment(session, workspace_id=ws.id, attachment_id=attachment_id)
    public = await service.is_public_attachment(session, attachment=row)
    if not public:
        staff = await resolve_actor(request, session)
        if staff is None or staff.workspace_id != ws.id:
            return Response(status_code=404)
    disposition = "inline" if row.content_type.startswith("image/") else "attachment"
    return Response(row.data, media_type=row.content_type, headers={
        "Content-Disposition": f'{disposition}; filename="{row.id}"',
        "Cache-Control": "public, max-age=86400" if public else "private, no-store"})


@router.get("/{workspace}/{locale}", response_class=HTMLResponse)
async def home(workspace: str, locale: str, request: Request, session: SessionDep) -> Response:
    """Show the search box, the category tree and the most helpful articles."""
    ws = await _workspace(request, session, workspace)
    if ws is None or locale not in LOCALES:
        return _not_found(request, ws, locale)
    rows = await service.list_published(session, workspace_id=ws.id, locale=locale)
    counts: dict[int, int] = {}
    for _, version in rows:
        if version.category_id:
            counts[version.category_id] = counts.get(version.category_id, 0) + 1
    categories = await service.list_categories(session, workspace_id=ws.id)
    popular = sorted(rows, key=lambda r: (-r[0].helpful_votes, r[1].title))[:8]
    return _page(request, "home.html", ws, locale,
                 tree=category_tree(categories, locale, counts), popular=popular)


@router.get("/{workspace}/{locale}/categories/{slug}", response_class=HTMLResponse)
async def category(workspace: str, locale: str, slug: str, request: Request,
                   session: SessionDep) -> Response:
    """List the public articles of a category."""
    ws = await _workspace(request, session, workspace)
    found = ws and locale in LOCALES and await service.get_category_by_slug(
        session, workspace_id=ws.id, slug=slug)
    if not ws or not found or slug == "internal":
        return _not_found(request, ws, locale)
    rows = await service.list_published(session, workspace_id=ws.id, locale=locale,
                                        category_id=found.id)
    return _page(request, "category.html", ws, locale, category=found,
                 name=category_name(found, locale), articles=rows)


@router.get("/{workspace}/{locale}/articles/{slug}", response_class=HTMLResponse)
async def article(workspace: str, locale: str, slug: str, request: Request,
                  session: SessionDep) -> Response:
    """Show a published public article with related articles and the other language."""
    ws = await _workspace(request, session, workspace)
    found = ws and locale in LOCALES and await service.get_published(
        session, workspace_id=ws.id, locale=locale, slug=slug)
    if not ws or not found:
        return _not_found(request, ws, locale)
    art, version = found
    body = _calendar(request).fill(version.body, locale, utcnow())  # {{hours}}, {{holidays}}
    html = render_markdown(body, link_for_slug=lambda s: article_path(ws.slug, locale, s))
    related = [r for r in await service.list_published(session, workspace_id=ws.id, locale=locale)
               if r[0].slug in set(version.related)]
    translations = [t for t in await service.list_translations(session, article=art)
                    if t.status == "published" and t.visibility == "public"]
    response = _page(request, "article.html", ws, locale, article=art, version=version,
                     body_html=html, related=related, translations=translations,
                     path=article_path(ws.slug, locale, slug))
    return response


@router.get("/{workspace}/{locale}/search", response_class=HTMLResponse)
async def search_page(workspace: str, locale: str, request: Request, session: SessionDep,
                      q: Annotated[str, Query(max_length=200)] = "") -> Response:
    """Search public articles; HTMX requests get just the result list (instant results)."""
    ws = await _workspace(request, session, workspace)
    if ws is None or locale not in LOCALES:
        return _not_found(request, ws, locale)
    hits = await service.search(session, workspace_id=ws.id, query=q, locale=locale,
                                limit=10) if q.strip() else []
    instant = bool(request.headers.get("hx-request"))
    if q.strip() and not hits and not instant:  # submitted, not a half-typed instant query
        await do_record_search_miss(session, workspace_id=ws.id, query=q, source="help_center",
                                    locale=locale)
        await session.commit()
    template = "_results.html" if instant else "search.html"
    return _page(request, template, ws, locale, q=q, hits=hits)


@router.post("/{workspace}/{locale}/articles/{slug}/vote", response_class=HTMLResponse)
async def vote(workspace: str, locale: str, slug: str, request: Request, session: SessionDep,
               helpful: Annotated[str, Form()], csrf: Annotated[str | None, Form()] = None,
               ) -> Response:
    """Record "was this helpful?" once per visitor session."""
    ws = await _workspace(request, session, workspace)
    found = ws and locale in LOCALES and await service.get_published(
        session, workspace_id=ws.id, locale=locale, slug=slug)
    if not ws or not found:
        return _not_found(request, ws, locale)
    if not csrf_ok(request, csrf):
        return Response("invalid or missing CSRF token", status_code=403)
    voter = hashlib.sha256(f"{ws.id}:{session_id(request)}".encode()).hexdigest()
    counted = await do_vote(session, workspace_id=ws.id, article_id=found[0].id,
                            voter_key=voter, helpful=helpful == "yes")
    await session.commit()
    return _page(request, "_vote_done.html", ws, locale, counted=counted)
