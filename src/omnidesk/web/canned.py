"""Canned replies in the composer and on their own page.

`GET /conversations/{id}/picker` feeds the composer's `/` picker: the agent's canned replies with
this conversation's variables filled in (and which cannot be filled), then their macros.
`/settings/canned` lists the replies an agent may use, grouped by scope in picker order, and lets
them create, edit, share (personal, team, workspace — sharing needs a supervisor), reorder and
delete them; every write goes through the assist domain's actions, like `/api/v1/canned-responses`.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.core.errors import DomainError
from omnidesk.core.http import SessionDep
from omnidesk.core.schemas import Id
from omnidesk.domains.agents.service import list_teams
from omnidesk.domains.assist.actions import (
    do_create_canned_response,
    do_delete_canned_response,
    do_move_canned_response,
    do_update_canned_response,
)
from omnidesk.domains.assist.recognition import VARIABLES
from omnidesk.domains.assist.schemas import (
    CannedMove,
    CannedResponseCreate,
    CannedResponseUpdate,
)
from omnidesk.domains.assist.service import (
    access_canned_response,
    canned_choices,
    list_canned_responses,
)
from omnidesk.domains.automation.service import list_macros
from omnidesk.web.deps import AgentPage, agent_page, csrf_failed, login_redirect, render
from omnidesk.web.settings_forms import Editor, FormError, describe_problem, text_form, validate

router = APIRouter(include_in_schema=False)
PATH = "/settings/canned"
FIELDS = ("shortcut", "title", "body", "locale", "scope", "team_id")


@router.get("/conversations/{conversation_id}/picker")
async def composer_picker(request: Request, session: SessionDep,
                          conversation_id: Id) -> Response:
    """Return the canned replies (filled for this conversation) and macros for the `/` picker."""
    page = await agent_page(request, session)
    if page is None:
        return login_redirect(request)
    try:
        choices = await canned_choices(session, actor=page.actor,
                                       conversation_id=conversation_id)
    except DomainError as exc:
        return JSONResponse({"detail": exc.message}, status_code=exc.status)
    macros = await list_macros(session, actor=page.actor)
    return JSONResponse({
        "canned": [c.model_dump() for c in choices],
        "macros": [{"id": m.id, "name": m.name} for m in macros],
    })


def _values(row: Any) -> dict[str, str]:
    return {"shortcut": row.shortcut, "title": row.title, "body": row.body,
            "locale": row.locale or "", "scope": row.scope,
            "team_id": str(row.team_id or "")}


def _payload(form: dict[str, str]) -> dict[str, Any]:
    """Read the posted form into the API's fields (blank locale: either language)."""
    team = form.get("team_id", "").strip()
    if team and not team.isdigit():
        raise FormError("team_id", "Choose one of the listed values.")
    return {"shortcut": form.get("shortcut", "").strip(), "title": form.get("title", "").strip(),
            "body": form.get("body", "").strip(), "locale": form.get("locale") or None,
            "scope": form.get("scope") or "personal", "team_id": int(team) if team else None}


async def _show(request: Request, session: AsyncSession, page: AgentPage, *,
                editor: Editor | None = None, status: int = 200) -> Response:
    rows = await list_canned_responses(session, actor=page.actor)
    teams = await list_teams(session, workspace_id=page.actor.workspace_id)
    team_names = {t.id: t.name for t in teams}
    groups: dict[str, list[Any]] = {}
    for row in rows:
        key = (f"team:{team_names.get(row.team_id or 0, '')}" if row.scope == "team"
               else row.scope)
        groups.setdefault(key, []).append(row)
    order = ["personal", *sorted(k for k in groups if k.startswith("team:")), "workspace"]
    may_share = page.user.role in ("supervisor", "admin")
    editable = {row.id for row in rows if row.scope == "personal" or may_share}
    return render(request, page, "settings/canned.html", status_code=status,
                  groups=[(k, groups[k]) for k in order if k in groups], teams=teams,
                  ed=editor or Editor(values={"scope": "personal"}), may_share=may_share,
                  editable=editable, variables=VARIABLES, path=PATH)


@router.get(PATH, response_class=HTMLResponse)
async def canned_page(request: Request, session: SessionDep, edit: int | None = None) -> Response:
    """Show the agent's canned replies by scope, with the form (to edit one when asked)."""
    page = await agent_page(request, session)
    if page is None:
        return login_redirect(request)
    editor = None
    if edit is not None:
        try:
            row = await access_canned_response(session, actor=page.actor, canned_id=edit)
        except DomainError:
            return RedirectResponse(PATH, status_code=303)
        editor = Editor(object_id=row.id, values=_values(row))
    return await _show(request, session, page, editor=editor)


async def _posting(request: Request, session: AsyncSession) -> tuple[AgentPage | Response,
                                                                     dict[str, str]]:
    page = await agent_page(request, session)
    if page is None:
        return login_redirect(request), {}
    raw = await request.form()
    csrf = raw.get("csrf")
    if (denied := csrf_failed(request, csrf if isinstance(csrf, str) else None)) is not None:
        return denied, {}
    return page, text_form(raw)


@router.post(PATH, response_class=HTMLResponse)
@router.post(PATH + "/{canned_id}", response_class=HTMLResponse)
async def save_canned(request: Request, session: SessionDep,
                      canned_id: Id | None = None) -> Response:
    """Create a canned reply, or save one being edited; a problem comes back on the form."""
    page, form = await _posting(request, session)
    if not isinstance(page, AgentPage):
        return page
    try:
        data = _payload(form)
        if canned_id is None:
            await do_create_canned_response(session, actor=page.actor,
                                            canned_in=validate(CannedResponseCreate, data))
        else:
            await do_update_canned_response(session, actor=page.actor, canned_id=canned_id,
                                            canned_in=validate(CannedResponseUpdate, data))
        await session.commit()
    except (DomainError, FormError) as exc:
        await session.rollback()  # expires what was loaded: read the agent again to render
        page = await agent_page(request, session) or page
        message, status, field = describe_problem(page, exc)
        editor = Editor(object_id=canned_id, values={k: form.get(k, "") for k in FIELDS},
                        error=message, error_field=field)
        return await _show(request, session, page, editor=editor, status=status)
    return RedirectResponse(PATH + "?saved=1", status_code=303)


@router.post(PATH + "/{canned_id}/move", response_class=HTMLResponse)
async def move_canned(request: Request, session: SessionDep, canned_id: Id) -> Response:
    """Move a canned reply one place up or down within its scope."""
    page, form = await _posting(request, session)
    if not isinstance(page, AgentPage):
        return page
    try:
        await access_canned_response(session, actor=page.actor, canned_id=canned_id)  # 404 first
        await do_move_canned_response(session, actor=page.actor, canned_id=canned_id,
                                      move=validate(CannedMove, {"direction": form.get("direction")}))
        await session.commit()
    except (DomainError, FormError) as exc:
        message, status, _ = describe_problem(page, exc)  # before the rollback expires the agent
        await session.rollback()
        return Response(message, status_code=status, media_type="text/plain; charset=utf-8")
    return RedirectResponse(f"{PATH}#canned-{canned_id}", status_code=303)


@router.post(PATH + "/{canned_id}/delete", response_class=HTMLResponse)
async def delete_canned(request: Request, session: SessionDep, canned_id: Id) -> Response:
    """Delete a canned reply the agent may change."""
    page, _form = await _posting(request, session)
    if not isinstance(page, AgentPage):
        return page
    try:
        await do_delete_canned_response(session, actor=page.actor, canned_id=canned_id)
        await session.commit()
    except DomainError as exc:
        await session.rollback()
        return Response(exc.message, status_code=exc.status, media_type="text/plain; charset=utf-8")
    return RedirectResponse(PATH + "?deleted=1", status_code=303)
