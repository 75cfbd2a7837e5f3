"""The supervisor's editor of recognition (알아주기) templates: greeting and closing lines.

One template per line, `locale | conditions | text`, so a supervisor edits them as text; saving
goes through the same validated action as the API (unknown variables are refused with a message).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError

from omnidesk.core.errors import DomainError
from omnidesk.core.http import SessionDep
from omnidesk.domains.assist.recognition import CONDITIONS, VARIABLES
from omnidesk.domains.assist.recognition_actions import (
    do_update_recognition_settings,
    read_recognition_settings,
)
from omnidesk.domains.assist.schemas import RecognitionSettings, RecognitionTemplate
from omnidesk.web.deps import AgentPage, csrf_failed, render
from omnidesk.web.supervisor import supervisor_page

router = APIRouter(include_in_schema=False)


def as_lines(templates: list[RecognitionTemplate]) -> str:
    """Write templates one per line as `locale | conditions | text`."""
    return "\n".join(f"{t.locale} | {', '.join(t.when)} | {t.text}" for t in templates)


def parse_lines(kind: str, text: str) -> list[RecognitionTemplate]:
    """Read `locale | conditions | text` lines back into templates (blank lines skipped)."""
    templates = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        parts = [p.strip() for p in line.split("|", 2)]
        if len(parts) != 3:
            raise ValueError(f"{kind} line {number}: write it as 'ko | conditions | text'")
        locale, when, body = parts
        templates.append(RecognitionTemplate(
            locale=locale, when=[c.strip() for c in when.split(",") if c.strip()], text=body))
    return templates


def _page(request: Request, page: AgentPage, greeting: str, closing: str,
          error: str | None = None, saved: bool = False, status: int = 200) -> Response:
    return render(request, page, "settings/recognition.html", status_code=status,
                  greeting=greeting, closing=closing, error=error, saved=saved,
                  variables=VARIABLES, conditions=CONDITIONS)


@router.get("/settings/recognition", response_class=HTMLResponse)
async def recognition_form(request: Request, session: SessionDep) -> Response:
    """Show the workspace's greeting and closing templates for editing."""
    page = await supervisor_page(request, session)
    if not isinstance(page, AgentPage):
        return page
    current = read_recognition_settings(page.workspace.settings)
    return _page(request, page, as_lines(current.greeting or []), as_lines(current.closing or []))


@router.post("/settings/recognition", response_class=HTMLResponse)
async def save_recognition(request: Request, session: SessionDep,
                           greeting: Annotated[str, Form()] = "",
                           closing: Annotated[str, Form()] = "",
                           csrf: Annotated[str | None, Form()] = None) -> Response:
    """Validate and save the templates; show the first problem in words when one is wrong."""
    page = await supervisor_page(request, session)
    if not isinstance(page, AgentPage):
        return page
    if (denied := csrf_failed(request, csrf)) is not None:
        return denied
    try:
        settings_in = RecognitionSettings(greeting=parse_lines("greeting", greeting),
                                          closing=parse_lines("closing", closing))
        await do_update_recognition_settings(session, actor=page.actor, settings_in=settings_in)
    except (ValueError, ValidationError) as exc:
        message = exc.errors()[0]["msg"] if isinstance(exc, ValidationError) else str(exc)
        return _page(request, page, greeting, closing, error=message, status=422)
    except DomainError as exc:
        return _page(request, page, greeting, closing, error=exc.message, status=exc.status)
    await session.commit()
    return _page(request, page, greeting, closing, saved=True)
