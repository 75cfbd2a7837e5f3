"""Each person's own profile: name, UI language, password and notification settings."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from omnidesk.core.errors import DomainError
from omnidesk.core.http import SessionDep
from omnidesk.core.security import verify_password
from omnidesk.domains.agents.actions import do_update_user
from omnidesk.domains.agents.schemas import NotifySettings, UserUpdate
from omnidesk.web.deps import agent_page, csrf_failed, login_redirect, render

router = APIRouter(include_in_schema=False)


@router.post("/profile/locale")
async def set_locale(request: Request, session: SessionDep,
                     locale: Annotated[str, Form(pattern="^(ko|en)$")],
                     csrf: Annotated[str | None, Form()] = None,
                     back: Annotated[str, Form()] = "/inbox") -> Response:
    """Save the agent's UI language (User.locale) and go back to the page they were on."""
    page = await agent_page(request, session)
    if page is None:
        return login_redirect(request)
    if (denied := csrf_failed(request, csrf)) is not None:
        return denied
    await do_update_user(session, actor=page.actor, user_id=page.user.id,
                         user_in=UserUpdate(locale=locale))
    await session.commit()
    request.session["locale"] = locale
    target = back if back.startswith("/") and not back.startswith("//") else "/inbox"
    return RedirectResponse(target, status_code=303)


@router.get("/profile", response_class=HTMLResponse)
async def profile(request: Request, session: SessionDep) -> Response:
    """Show the person's own profile: name, language and password."""
    page = await agent_page(request, session)
    if page is None:
        return login_redirect(request)
    return render(request, page, "settings/profile.html", nav_active="profile")


@router.post("/profile/notifications")
async def save_notifications(request: Request, session: SessionDep) -> Response:
    """Save how and about what the person is notified (a ticked box is on, a missing one off);
    the bell menu saves as it changes (204), the profile page's form goes back to the page."""
    page = await agent_page(request, session)
    if page is None:
        return login_redirect(request)
    form = await request.form()
    csrf = form.get("csrf")
    if (denied := csrf_failed(request, csrf if isinstance(csrf, str) else None)) is not None:
        return denied
    settings = NotifySettings.model_validate({k: k in form for k in NotifySettings.model_fields})
    await do_update_user(session, actor=page.actor, user_id=page.user.id,
                         user_in=UserUpdate(notify=settings))
    await session.commit()
    if request.headers.get("X-Requested-With") == "fetch":
        return Response(status_code=204)
    return RedirectResponse("/profile?saved=1", status_code=303)


@router.post("/profile", response_class=HTMLResponse)
async def save_profile(request: Request, session: SessionDep,
                       name: Annotated[str, Form()] = "",
                       locale: Annotated[str, Form()] = "ko",
                       current_password: Annotated[str, Form()] = "",
                       new_password: Annotated[str, Form()] = "",
                       new_password_confirm: Annotated[str, Form()] = "",
                       csrf: Annotated[str | None, Form()] = None) -> Response:
    """Save the person's own profile; a new password needs the current one."""
    page = await agent_page(request, session)
    if page is None:
        return login_redirect(request)
    if (denied := csrf_failed(request, csrf)) is not None:
        return denied
    error = None
    if new_password and new_password != new_password_confirm:
        error = "The two passwords differ."
    elif new_password and not verify_password(page.user.password_hash, current_password):
        error = "Your current password is not right."
    if error is None:
        try:
            changes = UserUpdate(name=name.strip() or None, locale=locale,
                                 password=new_password or None)
            await do_update_user(session, actor=page.actor, user_id=page.user.id,
                                 user_in=changes)
            await session.commit()
            request.session["locale"] = page.user.locale
            return RedirectResponse("/profile?saved=1", status_code=303)
        except (DomainError, ValidationError) as exc:
            await session.rollback()
            error = exc.message if isinstance(exc, DomainError) else str(exc.errors()[0]["msg"])
    page = await agent_page(request, session)
    assert page is not None
    return render(request, page, "settings/profile.html", status_code=422,
                  nav_active="profile", error=error)
