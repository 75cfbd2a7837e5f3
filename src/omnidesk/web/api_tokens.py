"""The API tokens page: admins create a token with a name and scope (shown once), see when each
was last used, and revoke it. The same actions as `POST /api/v1/api-tokens` and the CLI."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.core.context import BUILTIN_ROLES
from omnidesk.core.errors import DomainError
from omnidesk.core.http import SessionDep
from omnidesk.core.schemas import Id
from omnidesk.domains.agents.actions import do_create_api_token, do_revoke_api_token
from omnidesk.domains.agents.schemas import ApiTokenCreate
from omnidesk.domains.agents.service import list_api_tokens, list_users
from omnidesk.web.deps import AgentPage, agent_page, forbidden, login_redirect, render
from omnidesk.web.settings_forms import admin_post

router = APIRouter(include_in_schema=False)
PATH = "/settings/api-tokens"


async def _show(request: Request, session: AsyncSession, page: AgentPage, *,
                created: str | None = None, error: str | None = None,
                status: int = 200, values: dict[str, str] | None = None) -> HTMLResponse:
    ws = page.actor.workspace_id
    owners = {u.id: u.name for u in await list_users(session, workspace_id=ws)}
    tokens = sorted(await list_api_tokens(session, workspace_id=ws),
                    key=lambda t: (t.revoked_at is not None, -t.id))
    return render(request, page, "settings/api_tokens.html", status_code=status,
                  nav_active="api_tokens", tokens=tokens, owners=owners, created=created,
                  error=error, values=values or {}, scopes=BUILTIN_ROLES)


@router.get(PATH, response_class=HTMLResponse)
async def api_tokens(request: Request, session: SessionDep) -> Response:
    """List the workspace's API tokens (admins)."""
    page = await agent_page(request, session)
    if page is None:
        return login_redirect(request)
    if page.user.role != "admin":
        return forbidden(request, page, "Only admins can do this.")
    return await _show(request, session, page)


@router.post(PATH, response_class=HTMLResponse)
async def create_token(request: Request, session: SessionDep) -> Response:
    """Create a token and show it this once (only its hash is kept)."""
    page, form = await admin_post(request, session)
    if not isinstance(page, AgentPage):
        return page
    try:
        token_in = ApiTokenCreate(name=form.get("name", "").strip(),
                                  role=form.get("role", "agent"))
        _, token = await do_create_api_token(session, actor=page.actor, token_in=token_in)
    except ValidationError as exc:
        where = ".".join(str(p) for p in exc.errors()[0]["loc"])
        return await _show(request, session, page, status=422, values=form,
                           error=f"{where}: {exc.errors()[0]['msg']}")
    await session.commit()
    return await _show(request, session, page, created=token)


@router.post(PATH + "/{token_id}/revoke", response_class=HTMLResponse)
async def revoke_token(token_id: Id, request: Request, session: SessionDep) -> Response:
    """Revoke a token: calls with it fail from now on."""
    page, _ = await admin_post(request, session)
    if not isinstance(page, AgentPage):
        return page
    try:
        await do_revoke_api_token(session, actor=page.actor, token_id=token_id)
    except DomainError as exc:
        return await _show(request, session, page, status=exc.status, error=exc.message)
    await session.commit()
    if request.headers.get("hx-request"):  # asked to confirm in the page first
        return Response(status_code=204, headers={"HX-Redirect": PATH})
    return RedirectResponse(PATH, status_code=303)
