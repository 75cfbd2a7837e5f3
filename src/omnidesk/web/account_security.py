"""Staff sign-in security: two-factor set-up (QR rendered here), sessions, workspace rules.

Pages: `/settings/security` (everyone: their two-factor and sessions; admins also the
workspace's sign-in rules). API: `GET/DELETE /api/v1/sessions`, `DELETE
/api/v1/users/{id}/two-factor` (an admin resets a lost phone). The TOTP secret is sealed with
the app's key (Fernet) before it is stored and opened only to check a code.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError

from omnidesk.core.api import ApiRoute
from omnidesk.core.errors import DomainError
from omnidesk.core.http import ActorDep, SessionDep
from omnidesk.core.schemas import Id
from omnidesk.domains.agents.mfa_actions import (
    check_enable_totp,
    do_disable_totp,
    do_revoke_user_session,
    new_totp_secret,
)
from omnidesk.domains.agents.models import User
from omnidesk.domains.agents.schemas import (
    SecuritySettings,
    SessionRead,
    UserRead,
    security_settings,
)
from omnidesk.domains.agents.service import list_sessions, user_read
from omnidesk.domains.workspaces.actions import do_update_workspace
from omnidesk.domains.workspaces.schemas import WorkspaceUpdate
from omnidesk.web.deps import (
    AgentPage,
    agent_page,
    csrf_failed,
    forbidden,
    login_redirect,
    render,
)
from omnidesk.web.two_factor import pass_second_factor, provisioning_qr, seal_secret

router = APIRouter(prefix="/api/v1", tags=["sign-in security"], route_class=ApiRoute)
page_router = APIRouter(include_in_schema=False)
SETUP_KEY = "totp_setup"


@router.get("/sessions", response_model=list[SessionRead])
async def read_sessions(actor: ActorDep, session: SessionDep,
                        user_id: Annotated[int | None, Query(ge=1)] = None) -> list[SessionRead]:
    """List live sign-in sessions: your own, or another person's with sessions.manage."""
    wanted = actor.user_id if user_id is None else user_id
    if wanted != actor.user_id:
        actor.require_permission("sessions.manage")
    rows = await list_sessions(session, workspace_id=actor.workspace_id, user_id=wanted)
    return [SessionRead.model_validate(r).model_copy(update={"current": r.id == actor.session_id})
            for r in rows]


@router.delete("/sessions/{session_id}", response_model=SessionRead)
async def revoke_session(session_id: Id, actor: ActorDep, session: SessionDep) -> SessionRead:
    """End a sign-in session at once on every process (your own, or with sessions.manage)."""
    row = await do_revoke_user_session(session, actor=actor, session_id=session_id)
    await session.commit()
    return SessionRead.model_validate(row)


@router.delete("/users/{user_id}/two-factor", response_model=UserRead)
async def reset_two_factor(user_id: Id, actor: ActorDep, session: SessionDep) -> UserRead:
    """Turn a person's two-factor off (yourself, or anyone as an admin: a lost phone)."""
    user = await do_disable_totp(session, actor=actor, user_id=user_id)
    await session.commit()
    return user_read(user)


async def _page(request: Request, session: SessionDep, page: AgentPage, **values: Any
                ) -> Response:
    sessions = await list_sessions(session, workspace_id=page.workspace.id,
                                   user_id=page.user.id)
    rules = security_settings(page.workspace.settings)
    return render(request, page, "settings/security.html", sessions=sessions, rules=rules,
                  current_session=page.actor.session_id, nav_active="security",
                  status_code=values.pop("status_code", 200), **values)


@page_router.get("/settings/security", response_class=HTMLResponse)
async def security_page(request: Request, session: SessionDep) -> Response:
    """Show your two-factor status and sign-in sessions (and, for admins, the rules)."""
    page = await agent_page(request, session)
    if page is None:
        return login_redirect(request)
    return await _page(request, session, page)


@page_router.post("/settings/security/two-factor/start", response_class=HTMLResponse)
async def start_two_factor(request: Request, session: SessionDep,
                           csrf: Annotated[str | None, Form()] = None) -> Response:
    """Make a new secret and show its QR code with a form for the first code."""
    page = await agent_page(request, session)
    if page is None:
        return login_redirect(request)
    if (denied := csrf_failed(request, csrf)) is not None:
        return denied
    secret = new_totp_secret()
    request.session[SETUP_KEY] = secret
    return await _page(request, session, page, setup=_setup(page.user, page, secret))


def _setup(user: User, page: AgentPage, secret: str) -> dict[str, str]:
    return {"qr": provisioning_qr(secret, user, page.workspace.slug), "secret": secret}


@page_router.post("/settings/security/two-factor/confirm", response_class=HTMLResponse)
async def confirm_two_factor(request: Request, session: SessionDep,
                             code: Annotated[str, Form(max_length=20)] = "",
                             csrf: Annotated[str | None, Form()] = None) -> Response:
    """Turn two-factor on when the code matches; show the recovery codes once."""
    page = await agent_page(request, session)
    if page is None:
        return login_redirect(request)
    if (denied := csrf_failed(request, csrf)) is not None:
        return denied
    secret = request.session.get(SETUP_KEY)
    if not isinstance(secret, str):
        return await _page(request, session, page, error="expired", status_code=400)
    try:
        codes = await check_enable_totp(session, actor=page.actor, user=page.user,
                                        secret=secret, sealed=seal_secret(request, secret),
                                        code=code)
    except DomainError:
        return await _page(request, session, page, setup=_setup(page.user, page, secret),
                           error="code", status_code=400)
    await session.commit()
    request.session.pop(SETUP_KEY, None)
    return await _page(request, session, page, recovery_codes=codes)


@page_router.post("/settings/security/two-factor/disable", response_class=HTMLResponse)
async def disable_two_factor(request: Request, session: SessionDep,
                             code: Annotated[str, Form(max_length=20)] = "",
                             csrf: Annotated[str | None, Form()] = None) -> Response:
    """Turn your two-factor off after a current code (or a recovery code) proves it is you."""
    page = await agent_page(request, session)
    if page is None:
        return login_redirect(request)
    if (denied := csrf_failed(request, csrf)) is not None:
        return denied
    rules = security_settings(page.workspace.settings)
    if rules.require_admin_2fa and page.user.role == "admin":
        return await _page(request, session, page, error="required", status_code=400)
    if not await pass_second_factor(request, session, page.user, code):
        return await _page(request, session, page, error="code", status_code=400)
    await do_disable_totp(session, actor=page.actor, user_id=page.user.id)
    await session.commit()
    return await _page(request, session, page, notice="disabled")


@page_router.post("/settings/security/sessions/{session_id}/revoke", response_class=HTMLResponse)
async def revoke_from_page(request: Request, session: SessionDep, session_id: Id,
                           csrf: Annotated[str | None, Form()] = None) -> Response:
    """End one of your sessions (another browser or device)."""
    page = await agent_page(request, session)
    if page is None:
        return login_redirect(request)
    if (denied := csrf_failed(request, csrf)) is not None:
        return denied
    try:
        await do_revoke_user_session(session, actor=page.actor, session_id=session_id)
    except DomainError as exc:
        return HTMLResponse(exc.message, status_code=exc.status)
    await session.commit()
    if session_id == page.actor.session_id:
        request.session.clear()
        return login_redirect(request)
    return await _page(request, session, page, notice="revoked")


@page_router.post("/settings/security/rules", response_class=HTMLResponse)
async def save_rules(request: Request, session: SessionDep,
                     require_admin_2fa: Annotated[str | None, Form()] = None,
                     idle_timeout_minutes: Annotated[str, Form(max_length=6)] = "0",
                     password_min_length: Annotated[str, Form(max_length=3)] = "10",
                     csrf: Annotated[str | None, Form()] = None) -> Response:
    """Save the workspace's sign-in rules (admins)."""
    page = await agent_page(request, session)
    if page is None:
        return login_redirect(request)
    if (denied := csrf_failed(request, csrf)) is not None:
        return denied
    if page.user.role != "admin":
        return forbidden(request, page, "Only admins can do this.")
    try:
        rules = SecuritySettings(require_admin_2fa=bool(require_admin_2fa),
                                 idle_timeout_minutes=idle_timeout_minutes,
                                 password_min_length=password_min_length)
    except ValidationError:
        return await _page(request, session, page, error="rules", status_code=400)
    if rules.require_admin_2fa and page.user.totp_enabled_at is None:
        return await _page(request, session, page, error="enrol_first", status_code=400)
    await do_update_workspace(session, actor=page.actor, workspace_in=WorkspaceUpdate(
        settings={"security": rules.model_dump()}), settings_checks=request.app.state.settings_checks)
    await session.commit()
    await session.refresh(page.workspace)
    return await _page(request, session, page, notice="saved")
