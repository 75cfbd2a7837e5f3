"""The admin's bot settings page: on/off per channel, greeting, tone, task flows, handoff policy.

Admins edit every setting in one form and train a new intent model version; supervisors see the
page read-only, agents get 403. Saving goes through `check_update_bot_settings`, the same as
`PATCH /api/v1/bot/settings`; training through `do_train_workspace_model` (the CPU work runs in a
thread, off the event loop), the same as `POST /api/v1/bot/train` without rows. A form with a
problem comes back with what the admin typed and the message, with the 4xx status of the error.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.core.errors import DomainError
from omnidesk.core.http import SessionDep
from omnidesk.domains.bot import actions
from omnidesk.domains.bot.policy import FLOW_INTENTS
from omnidesk.domains.bot.service import get_bot_settings
from omnidesk.domains.bot.texts import say
from omnidesk.domains.conversations.models import CHANNELS
from omnidesk.domains.nlu.schemas import TrainingError
from omnidesk.domains.nlu.service import list_model_versions
from omnidesk.web import bot_forms as forms
from omnidesk.web.deps import AgentPage, agent_page, render
from omnidesk.web.i18n import translate
from omnidesk.web.settings_forms import (
    Editor,
    FormError,
    admin_post,
    describe_problem,
    is_partial,
    number_text,
)
from omnidesk.web.supervisor import supervisor_page

router = APIRouter(include_in_schema=False)
log = logging.getLogger(__name__)
PATH = "/settings/bot"


async def page_context(session: AsyncSession, page: AgentPage) -> dict[str, Any]:
    """Load the stored settings and the model versions (two queries at most)."""
    ws = page.actor.workspace_id
    settings = await get_bot_settings(session, workspace_id=ws)
    standard = {(tone, lang): say("greeting", lang, tone=tone, workspace=page.workspace.name)
                for tone in forms.TONES for lang in forms.LANGUAGES}  # fmt: skip
    return {
        "stored": forms.settings_values(settings), "tone": settings.tone,
        "models": await list_model_versions(session, workspace_id=ws),
        "channels": CHANNELS, "intents": FLOW_INTENTS, "tones": forms.TONES,
        "languages": forms.LANGUAGES, "numbers": forms.NUMBERS, "hints": forms.HINTS,
        "range_text": forms.range_text, "range_attrs": forms.range_attrs,
        "standard_greeting": standard, "num": number_text,
        "can_edit": page.user.role == "admin", "path": PATH,
    }  # fmt: skip


async def show(request: Request, session: AsyncSession, page: AgentPage, *,
               editor: Editor | None = None, error: str | None = None,
               notice: str | None = None, status: int = 200) -> Response:
    """Render the page (the body alone for HTMX): the form as stored, or as typed with its problem."""
    context = await page_context(session, page)
    editor = editor or Editor(values=context["stored"])
    template = "settings/_bot.html" if is_partial(request) else "settings/bot.html"
    response = render(request, page, template, status_code=status, ed=editor, error=error,
                      notice=notice, **context)  # fmt: skip
    if is_partial(request) and (editor.error or error or notice):
        response.headers["HX-Reswap"] = f"innerHTML show:{'#bot-form' if editor.error else '#bot'}:top"
    return response


@router.get(PATH, response_class=HTMLResponse)
async def bot_settings_page(request: Request, session: SessionDep) -> Response:
    """Show the bot settings and the intent model versions."""
    page = await supervisor_page(request, session)
    if not isinstance(page, AgentPage):
        return page
    return await show(request, session, page)


@router.post(PATH, response_class=HTMLResponse)
async def save_bot_settings(request: Request, session: SessionDep) -> Response:
    """Check and store the whole form; on a problem show it on the form, nothing stored."""
    page, form = await admin_post(request, session)
    if not isinstance(page, AgentPage):
        return page
    try:
        await actions.check_update_bot_settings(session, actor=page.actor,
                                                changes=forms.settings_in(form))
    except (FormError, DomainError) as exc:
        await session.rollback()  # nothing half-written stays; reload the expired agent
        page = await agent_page(request, session) or page
        message, status, bad_field = describe_problem(page, exc)
        return await show(request, session, page, editor=Editor(None, form, message, bad_field),
                          status=status)
    await session.commit()
    if not request.headers.get("hx-request"):
        return RedirectResponse(PATH, status_code=303)
    return await show(request, session, page, notice=translate(page.locale, "Saved."))


@router.post(f"{PATH}/train", response_class=HTMLResponse)
async def train_model(request: Request, session: SessionDep) -> Response:
    """Train and activate a new intent model version from the shipped utterances."""
    page, _form = await admin_post(request, session)
    if not isinstance(page, AgentPage):
        return page
    try:
        row = await actions.do_train_workspace_model(
            session, workspace_id=page.actor.workspace_id, source="shipped")
        version = row.version
        await session.commit()
    except Exception as exc:  # a failed training must leave a message and the old model, not a 500
        await session.rollback()
        page = await agent_page(request, session) or page
        if isinstance(exc, TrainingError | DomainError):
            status, message = getattr(exc, "status", 422), str(exc)
        else:
            log.exception("training the intent model failed", extra={"workspace": page.workspace.slug})
            status, message = 503, translate(page.locale, "Training failed; try again later.")
        unchanged = translate(page.locale, "The active model did not change.")
        return await show(request, session, page, error=f"{message} {unchanged}", status=status)
    if not request.headers.get("hx-request"):
        return RedirectResponse(PATH, status_code=303)
    notice = translate(page.locale, "Trained and activated version %(version)s.")
    return await show(request, session, page, notice=notice % {"version": version})
