"""The agent's own profile settings: UI language."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from omnidesk.core.http import SessionDep
from omnidesk.domains.agents.actions import do_update_user
from omnidesk.domains.agents.schemas import UserUpdate
from omnidesk.web.deps import agent_page, csrf_failed, login_redirect

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
