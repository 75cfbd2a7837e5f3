"""Login, logout and resolving the actor from a bearer token or the session cookie."""

from __future__ import annotations

import secrets
import time
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.requests import HTTPConnection

from omnidesk.core.context import Actor
from omnidesk.core.errors import DomainError, NotFound
from omnidesk.core.http import SessionDep
from omnidesk.core.limits import RateLimiter
from omnidesk.core.security import check_csrf_token, make_csrf_token
from omnidesk.domains.agents.actions import do_end_session, do_start_session
from omnidesk.domains.agents.mfa_actions import check_enable_totp, new_totp_secret
from omnidesk.domains.agents.models import User
from omnidesk.domains.agents.schemas import security_settings
from omnidesk.domains.agents.service import (
    authenticate_password,
    authenticate_session,
    authenticate_token,
    get_user,
)
from omnidesk.domains.workspaces.service import count_workspaces, get_workspace
from omnidesk.web.two_factor import pass_second_factor, provisioning_qr, seal_secret

router = APIRouter(include_in_schema=False)
WINDOW_SECONDS = 300  # failed logins are counted over five minutes
CHOOSE_SECONDS = 300  # how long the workspace choice after a login stays open


def session_id(request: Request) -> str:
    """Return the per-browser session nonce that CSRF tokens are bound to."""
    sid = request.session.get("sid")
    if not sid:
        sid = secrets.token_urlsafe(16)
        request.session["sid"] = sid
    return sid


def csrf_token(request: Request) -> str:
    """Return a CSRF token for forms and HTMX posts of this session."""
    return make_csrf_token(request.app.state.settings.effective_secret_key, session_id(request))


def csrf_ok(request: Request, token: str | None) -> bool:
    """Check a submitted CSRF token (form field or X-CSRF-Token header)."""
    token = token or request.headers.get("x-csrf-token")
    return check_csrf_token(request.app.state.settings.effective_secret_key,
                            request.session.get("sid", ""), token)


def has_login(request: HTTPConnection) -> bool:
    """Say whether the cookie carries a login session (not whether it is still valid)."""
    return isinstance(request.session.get("key"), str)


async def resolve_actor(request: HTTPConnection, session: AsyncSession) -> Actor | None:
    """Authenticate by 'Authorization: Bearer' token first, then by the session cookie."""
    header = request.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        actor = await authenticate_token(session, token=header[7:].strip())
        if actor is not None and session.dirty:  # the use stamped (at most every few minutes)
            await session.commit()
        return actor
    key = request.session.get("key")
    if not isinstance(key, str):
        return None
    actor = await authenticate_session(session, key=key)
    if actor is None:  # revoked or expired: forget it, so /login stops redirecting to /inbox
        request.session.clear()
        return None
    if session.dirty:
        await session.commit()
    return actor


def _login_page(request: Request, *, error: str | None = None, email: str = "",
                status: int = 200, accounts: list[dict[str, Any]] | None = None) -> HTMLResponse:
    templates = request.app.state.templates
    return templates.TemplateResponse(
        request, "login.html",
        {"error": error, "email": email, "csrf_token": csrf_token(request),
         "accounts": accounts or []},
        status_code=status,
    )


async def needs_setup(session: AsyncSession) -> bool:
    """Tell whether this server has no workspace yet (so the first-run page `/setup` is open)."""
    return not await count_workspaces(session)


@router.get("/login", response_class=HTMLResponse)
async def login_form(request: Request, session: SessionDep) -> Response:
    """Show the login form (the first-run page instead on a server with no workspace)."""
    if has_login(request):
        return RedirectResponse("/inbox", status_code=303)
    if await needs_setup(session):
        return RedirectResponse("/setup", status_code=303)
    return _login_page(request)


@router.post("/login", response_class=HTMLResponse)
async def login(
    request: Request,
    session: SessionDep,
    email: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
    csrf: Annotated[str | None, Form()] = None,
) -> Response:
    """Check email and password, then start a session."""
    if not csrf_ok(request, csrf):
        return _login_page(request, error="csrf", email=email, status=400)
    limiter: RateLimiter = request.app.state.login_limiter
    key = (request.client.host if request.client else "?", email.strip().lower())
    if await limiter.blocked(key):
        return _login_page(request, error="rate_limited", email=email, status=429)
    users = await authenticate_password(session, email=email, password=password)
    if not users:
        await limiter.hit(key)
        return _login_page(request, error="invalid", email=email, status=401)
    await limiter.reset(key)
    if len(users) == 1:
        return await _enter(request, session, users[0])
    # One person, one password, several workspaces: let them pick (only these accounts).
    request.session["choose"] = {"at": int(time.time()),
                                 "accounts": [[u.id, u.workspace_id] for u in users]}
    accounts = []
    for user in users:
        workspace = await get_workspace(session, workspace_id=user.workspace_id)
        accounts.append({"account_id": user.id, "slug": workspace.slug, "name": workspace.name})
    return _login_page(request, email=email, accounts=accounts)


@router.post("/login/account", response_class=HTMLResponse)
async def choose_account(request: Request, session: SessionDep,
                         account: Annotated[int, Form()],
                         csrf: Annotated[str | None, Form()] = None) -> Response:
    """Enter the workspace picked among the accounts the password just opened."""
    if not csrf_ok(request, csrf):
        return _login_page(request, error="csrf", status=400)
    pending = request.session.get("choose") or {}
    fresh = time.time() - pending.get("at", 0) < CHOOSE_SECONDS
    workspace_id = dict(pending.get("accounts") or []).get(account) if fresh else None
    user = None if workspace_id is None else await get_user(
        session, workspace_id=workspace_id, user_id=account)
    if user is None or not user.is_active:
        return _login_page(request, error="invalid", status=401)
    return await _enter(request, session, user)


async def _enter(request: Request, session: AsyncSession, user: User) -> Response:
    """Ask for the second factor when the user has one (or must enrol), else sign them in."""
    pending = {"user": user.id, "ws": user.workspace_id, "at": int(time.time())}
    if user.totp_enabled_at is not None:
        request.session["mfa"] = pending
        return _mfa_page(request, step="code")
    workspace = await get_workspace(session, workspace_id=user.workspace_id)
    if user.role == "admin" and security_settings(workspace.settings).require_admin_2fa:
        secret = new_totp_secret()
        request.session["mfa"] = {**pending, "enrol": secret}
        return _mfa_page(request, step="enrol", secret=secret,
                         qr=provisioning_qr(secret, user, workspace.slug))
    return await _start(request, session, user)


async def _start(request: Request, session: AsyncSession, user: User,
                 then: str = "/inbox") -> Response:
    """Start the user's login session and send them on (their inbox)."""
    session_key = await do_start_session(session, user=user,
                                         user_agent=request.headers.get("user-agent"))
    await session.commit()
    request.session.clear()
    request.session.update({"key": session_key, "sid": secrets.token_urlsafe(16),
                            "locale": user.locale})
    return RedirectResponse(then, status_code=303)


async def start_login(request: Request, session: AsyncSession, user: User,
                      then: str = "/inbox") -> Response:
    """Sign a person in now (the first admin after setting up, an invitee who just joined)."""
    return await _start(request, session, user, then)


def _mfa_page(request: Request, *, step: str, error: str | None = None, status: int = 200,
              **values: Any) -> HTMLResponse:
    return request.app.state.templates.TemplateResponse(
        request, "login_mfa.html",
        {"step": step, "error": error, "csrf_token": csrf_token(request), **values},
        status_code=status)


async def _pending_user(request: Request, session: AsyncSession) -> User | None:
    """Return the user half-way through signing in (password passed, code not yet)."""
    pending = request.session.get("mfa") or {}
    if time.time() - pending.get("at", 0) > CHOOSE_SECONDS:
        return None
    try:
        user = await get_user(session, workspace_id=int(pending.get("ws", 0)),
                              user_id=int(pending.get("user", 0)))
    except NotFound:
        return None
    return user if user.is_active else None


@router.post("/login/code", response_class=HTMLResponse)
async def login_code(request: Request, session: SessionDep,
                     code: Annotated[str, Form(max_length=20)] = "",
                     csrf: Annotated[str | None, Form()] = None) -> Response:
    """Finish signing in with a code from the authenticator app or a recovery code."""
    if not csrf_ok(request, csrf):
        return _login_page(request, error="csrf", status=400)
    user = await _pending_user(request, session)
    if user is None or user.totp_enabled_at is None:
        request.session.pop("mfa", None)
        return _login_page(request, error="invalid", status=401)
    limiter: RateLimiter = request.app.state.login_limiter
    key = ("mfa", str(user.id))
    if await limiter.blocked(key):
        return _mfa_page(request, step="code", error="rate_limited", status=429)
    if not await pass_second_factor(request, session, user, code):
        await limiter.hit(key)
        return _mfa_page(request, step="code", error="code", status=401)
    await limiter.reset(key)
    return await _start(request, session, user)


@router.post("/login/enrol", response_class=HTMLResponse)
async def login_enrol(request: Request, session: SessionDep,
                      code: Annotated[str, Form(max_length=20)] = "",
                      csrf: Annotated[str | None, Form()] = None) -> Response:
    """Set up two-factor during sign-in (the workspace requires it of admins), then enter."""
    if not csrf_ok(request, csrf):
        return _login_page(request, error="csrf", status=400)
    user = await _pending_user(request, session)
    secret = (request.session.get("mfa") or {}).get("enrol")
    if user is None or not isinstance(secret, str):
        request.session.pop("mfa", None)
        return _login_page(request, error="invalid", status=401)
    actor = Actor(workspace_id=user.workspace_id, user_id=user.id, role=user.role)
    try:
        codes = await check_enable_totp(session, actor=actor, user=user, secret=secret,
                                        sealed=seal_secret(request, secret), code=code)
    except DomainError:
        workspace = await get_workspace(session, workspace_id=user.workspace_id)
        return _mfa_page(request, step="enrol", error="code", status=400, secret=secret,
                         qr=provisioning_qr(secret, user, workspace.slug))
    await _start(request, session, user)
    return _mfa_page(request, step="codes", recovery_codes=codes)


@router.post("/logout")
async def logout(request: Request, session: SessionDep,
                 csrf: Annotated[str | None, Form()] = None) -> Response:
    """End the session, here and on every process (its row is revoked)."""
    if not csrf_ok(request, csrf):
        return Response("invalid CSRF token", status_code=400)
    key = request.session.get("key")
    if isinstance(key, str):
        await do_end_session(session, key=key)
        await session.commit()
    request.session.clear()
    return RedirectResponse("/login", status_code=303)
