"""The survey page a signed link opens: no login, phone-sized, in the customer's language."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from omnidesk.core.db import utcnow
from omnidesk.core.errors import DomainError
from omnidesk.core.http import SessionDep
from omnidesk.domains.feedback import texts
from omnidesk.domains.feedback.actions import check_answer_by_link
from omnidesk.domains.feedback.models import Survey
from omnidesk.domains.feedback.schemas import LinkAnswerCreate
from omnidesk.domains.feedback.service import (
    LinkExpired,
    access_survey_by_link,
    get_answer,
    get_settings,
    scale,
)
from omnidesk.domains.workspaces.service import get_workspace

router = APIRouter(include_in_schema=False)
Token = Annotated[str, Path(max_length=80)]


def _page(request: Request, status_code: int = 200, **values: Any) -> HTMLResponse:
    values.setdefault("locale", "ko")
    return request.app.state.templates.TemplateResponse(request, "survey/page.html", values,
                                                        status_code=status_code)


async def _context(session: SessionDep, survey: Survey) -> dict[str, Any]:
    low, high = scale(survey.kind)
    settings = await get_settings(session, workspace_id=survey.workspace_id)
    workspace = await get_workspace(session, workspace_id=survey.workspace_id)
    lang = survey.language
    return {"locale": lang, "workspace": workspace.name, "scores": list(range(low, high + 1)),
            "title": texts.say(texts.TITLES[survey.kind], lang),
            "question": texts.say(texts.QUESTIONS[survey.kind], lang),
            "ends": texts.ENDS[survey.kind]["en" if lang == "en" else "ko"],
            "comment": settings.comment,
            "answer": await get_answer(session, workspace_id=survey.workspace_id,
                                       survey_id=survey.id)}


@router.get("/s/{token}", response_class=HTMLResponse)
async def survey_page(token: Token, request: Request, session: SessionDep) -> Response:
    """Show the question with a button per score (or the thanks, once answered)."""
    try:
        survey = await access_survey_by_link(session, token=token, now=utcnow())
    except LinkExpired:
        return _page(request, 410, state="expired")
    except DomainError:
        return _page(request, 404, state="invalid")
    return _page(request, **await _context(session, survey),
                 state="answered" if request.query_params.get("done") else "ask")


@router.post("/s/{token}", response_class=HTMLResponse)
async def answer_page(token: Token, request: Request, session: SessionDep,
                      score: Annotated[str, Form(max_length=3)] = "",
                      comment: Annotated[str, Form(max_length=2000)] = "",
                      opt_out: Annotated[str, Form(max_length=3)] = "") -> Response:
    """Store the answer from the page's form (once), then show the thanks."""
    try:
        answer_in = LinkAnswerCreate(score=int(score) if score.isdigit() else -1,
                                     comment=comment or None, opt_out=bool(opt_out))
    except ValidationError:
        return await _retry(token, request, session)
    try:
        await check_answer_by_link(session, token=token, answer_in=answer_in)
    except LinkExpired:
        return _page(request, 410, state="expired")
    except DomainError as err:
        if err.status == 422:
            return await _retry(token, request, session)
        return _page(request, 404, state="invalid")
    await session.commit()
    return RedirectResponse(f"/s/{token}?done=1", status_code=303)


async def _retry(token: str, request: Request, session: SessionDep) -> Response:
    survey = await access_survey_by_link(session, token=token, now=utcnow())
    return _page(request, 422, **await _context(session, survey), state="ask", missing=True)
