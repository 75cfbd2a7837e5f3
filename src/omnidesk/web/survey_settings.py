"""The admin's survey settings page: what is asked, when, of whom, how often, and what is low.

Admins edit; supervisors see it read-only with the latest answers and their comments. Saving
goes through `check_update_settings`, the same as `PUT /api/v1/feedback/settings`; a form with
a problem comes back as typed, with the message and the 4xx status of the error.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.core.errors import DomainError
from omnidesk.core.http import SessionDep
from omnidesk.domains.feedback.actions import check_update_settings
from omnidesk.domains.feedback.models import AUDIENCES, KINDS, TIMINGS, SurveySettings
from omnidesk.domains.feedback.schemas import SurveySettingsUpdate
from omnidesk.domains.feedback.service import get_settings, list_answers
from omnidesk.domains.inboxes.service import list_inboxes
from omnidesk.web.deps import AgentPage, agent_page, render
from omnidesk.web.i18n import translate
from omnidesk.web.settings_forms import (
    Editor,
    FormError,
    admin_post,
    describe_problem,
    integer,
    is_checked,
    validate,
)
from omnidesk.web.supervisor import supervisor_page

router = APIRouter(include_in_schema=False)
PATH = "/settings/surveys"
NUMBERS = ("delay_hours", "cap_days", "low_csat", "low_nps", "low_ces", "link_ttl_hours")
CHECKS = ("enabled", "comment", "reopen_on_low")
CHOICES = {"kind": KINDS, "timing": TIMINGS, "audience": AUDIENCES}


def stored_values(settings: SurveySettings) -> dict[str, str]:
    """Write the stored settings as the form's text values."""
    values = {name: str(getattr(settings, name)) for name in (*NUMBERS, *CHOICES)}
    values.update({name: "1" for name in CHECKS if getattr(settings, name)})
    values.update({f"inbox.{i}": "1" for i in settings.inbox_ids})
    return values


def settings_in(form: dict[str, str]) -> SurveySettingsUpdate:
    """Read the posted form into the API's update schema (every field given)."""
    data: dict[str, Any] = {name: is_checked(form, name) for name in CHECKS}
    data.update({name: form.get(name) for name in CHOICES})
    for name in NUMBERS:
        data[name] = integer(form, name)
        if data[name] is None:
            raise FormError(name, "Enter a number.")
    data["inbox_ids"] = [int(key.split(".", 1)[1]) for key in form
                         if key.startswith("inbox.") and key.split(".", 1)[1].isdigit()]
    return validate(SurveySettingsUpdate, data)


async def show(request: Request, session: AsyncSession, page: AgentPage, *,
               editor: Editor | None = None, notice: str | None = None,
               status: int = 200) -> Response:
    """Render the page: the form as stored (or as typed, with its problem) and recent answers."""
    ws = page.actor.workspace_id
    settings = await get_settings(session, workspace_id=ws)
    answers, _ = await list_answers(session, workspace_id=ws, limit=20)
    return render(request, page, "settings/surveys.html", status_code=status,
                  ed=editor or Editor(values=stored_values(settings)), notice=notice,
                  inboxes=await list_inboxes(session, workspace_id=ws), answers=answers,
                  choices=CHOICES, can_edit=page.user.role == "admin", path=PATH)


@router.get(PATH, response_class=HTMLResponse)
async def survey_settings_page(request: Request, session: SessionDep) -> Response:
    """Show the survey settings and the latest answers."""
    page = await supervisor_page(request, session)
    if not isinstance(page, AgentPage):
        return page
    return await show(request, session, page)


@router.post(PATH, response_class=HTMLResponse)
async def save_survey_settings(request: Request, session: SessionDep) -> Response:
    """Check and store the whole form; on a problem show it on the form, nothing stored."""
    page, form = await admin_post(request, session)
    if not isinstance(page, AgentPage):
        return page
    try:
        await check_update_settings(session, actor=page.actor, settings_in=settings_in(form))
    except (FormError, DomainError) as exc:
        await session.rollback()
        page = await agent_page(request, session) or page
        message, status, field = describe_problem(page, exc)
        return await show(request, session, page, editor=Editor(None, form, message, field),
                          status=status)
    await session.commit()
    if not request.headers.get("hx-request"):
        return RedirectResponse(f"{PATH}?saved=1", status_code=303)
    return await show(request, session, page, notice=translate(page.locale, "Saved."))
