"""Feedback API: survey settings, answers for reports, follow-ups, and answering by link."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query
from pydantic import BaseModel

from omnidesk.core.api import ApiRoute
from omnidesk.core.http import ActorDep, CursorQuery, LimitQuery, SessionDep
from omnidesk.core.schemas import Id
from omnidesk.domains.customers.service import get_customer
from omnidesk.domains.feedback.actions import (
    check_answer_by_link,
    check_close_followup,
    check_update_settings,
    do_opt_out,
)
from omnidesk.domains.feedback.schemas import (
    AnswerPage,
    AnswerRead,
    FollowUpClose,
    FollowUpRead,
    LinkAnswerCreate,
    SurveySettingsRead,
    SurveySettingsUpdate,
)
from omnidesk.domains.feedback.service import (
    AnswerFilter,
    access_answers,
    get_settings,
    list_open_followups,
)

router = APIRouter(prefix="/api/v1/feedback", tags=["feedback"], route_class=ApiRoute)
TokenPath = Annotated[str, Path(max_length=80, description="The signed survey token.")]


@router.get("/settings", response_model=SurveySettingsRead)
async def read_settings(actor: ActorDep, session: SessionDep) -> SurveySettingsRead:
    """Return what the workspace asks its customers, when and how often."""
    actor.require("supervisor")
    return SurveySettingsRead.model_validate(
        await get_settings(session, workspace_id=actor.workspace_id))


@router.put("/settings", response_model=SurveySettingsRead)
async def update_settings(settings_in: SurveySettingsUpdate, actor: ActorDep,
                          session: SessionDep) -> SurveySettingsRead:
    """Change the survey settings (admins); fields left out keep their value."""
    settings = await check_update_settings(session, actor=actor, settings_in=settings_in)
    await session.commit()
    return SurveySettingsRead.model_validate(settings)


@router.get("/answers", response_model=AnswerPage)
async def read_answers(
    actor: ActorDep, session: SessionDep,
    since: dt.datetime | None = None, until: dt.datetime | None = None,
    kind: Annotated[Literal["csat", "nps", "ces"] | None, Query()] = None,
    channel: Annotated[str | None, Query(max_length=16)] = None,
    inbox_id: Id | None = None, team_id: Id | None = None, agent_id: Id | None = None,
    intent: Annotated[str | None, Query(max_length=80)] = None,
    low_only: bool = False, cursor: CursorQuery = None, limit: LimitQuery = 50,
) -> AnswerPage:
    """List answers newest first (supervisors: all; agents: answers about their own work)."""
    flt = AnswerFilter(since=since, until=until, kind=kind, channel=channel, inbox_id=inbox_id,
                       team_id=team_id, agent_id=agent_id, intent=intent, low_only=low_only)
    rows, next_cursor = await access_answers(session, actor=actor, flt=flt, cursor=cursor,
                                             limit=limit)
    return AnswerPage(items=[AnswerRead.model_validate(r) for r in rows],
                      next_cursor=next_cursor)


class FollowUpItem(BaseModel):
    """An open follow-up with the answer that opened it."""

    followup: FollowUpRead
    answer: AnswerRead


@router.get("/followups", response_model=list[FollowUpItem])
async def read_followups(actor: ActorDep, session: SessionDep) -> list[FollowUpItem]:
    """List open follow-ups after low scores, oldest first (supervisors)."""
    actor.require("supervisor")
    rows = await list_open_followups(session, workspace_id=actor.workspace_id)
    return [FollowUpItem(followup=FollowUpRead.model_validate(f),
                         answer=AnswerRead.model_validate(a)) for f, a in rows]


@router.post("/followups/{followup_id}/close", response_model=FollowUpRead)
async def close_followup(followup_id: Id, close_in: FollowUpClose, actor: ActorDep,
                         session: SessionDep) -> FollowUpRead:
    """Close a follow-up with a note of what was done."""
    row = await check_close_followup(session, actor=actor, followup_id=followup_id,
                                     close_in=close_in)
    await session.commit()
    return FollowUpRead.model_validate(row)


class OptOutCreate(BaseModel):
    """Stop surveying a customer (e.g. they asked an agent)."""

    customer_id: Id


@router.post("/opt-outs", status_code=201)
async def opt_out(opt_in: OptOutCreate, actor: ActorDep, session: SessionDep) -> dict[str, bool]:
    """Record that a customer does not want surveys."""
    await get_customer(session, workspace_id=actor.workspace_id, customer_id=opt_in.customer_id)
    created = await do_opt_out(session, workspace_id=actor.workspace_id,
                               customer_id=opt_in.customer_id)
    await session.commit()
    return {"opted_out": True, "created": created}


class LinkAnswerRead(BaseModel):
    """What the survey page learns back: the stored score, and whether this call stored it."""

    score: int
    comment: str | None
    created: bool


@router.post("/links/{token}/answer", response_model=LinkAnswerRead)
async def answer_by_link(token: TokenPath, answer_in: LinkAnswerCreate,
                         session: SessionDep) -> LinkAnswerRead:
    """Answer a survey with its signed link (no login); a second answer changes nothing."""
    answer, created = await check_answer_by_link(session, token=token, answer_in=answer_in)
    await session.commit()
    return LinkAnswerRead(score=answer.score, comment=answer.comment, created=created)
