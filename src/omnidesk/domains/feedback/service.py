"""Feedback reads: settings, surveys, answers (what reports read) and follow-ups."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.core.context import ROLE_RANK, Actor
from omnidesk.core.db import get_in_workspace
from omnidesk.core.errors import DomainError, NotFound
from omnidesk.core.pagination import page_of, paginate
from omnidesk.domains.feedback.links import LinkRefused, check_token, token_survey_id
from omnidesk.domains.feedback.models import (
    SCALES,
    FollowUp,
    Survey,
    SurveyAnswer,
    SurveyOptOut,
    SurveySettings,
)
from omnidesk.domains.workspaces.service import get_workspace


class LinkExpired(DomainError):
    """A genuine survey link past its expiry."""

    status = 410
    code = "gone"


def scale(kind: str) -> tuple[int, int]:
    """Return the lowest and highest score of a survey kind (CSAT 1–5, NPS 0–10, CES 1–7)."""
    return SCALES[kind]


def is_low(settings: SurveySettings, kind: str, score: int) -> bool:
    """Tell whether a score is low by the workspace's thresholds (what opens a follow-up)."""
    limit = {"csat": settings.low_csat, "nps": settings.low_nps, "ces": settings.low_ces}[kind]
    return score <= limit


def is_positive(kind: str, score: int) -> bool:
    """Tell whether a score is a happy one (CSAT 4–5, NPS promoter 9–10, CES 6–7)."""
    return score >= {"csat": 4, "nps": 9, "ces": 6}[kind]


def default_settings(workspace_id: int) -> SurveySettings:
    """Return unsaved settings with every default (surveys off)."""
    columns = SurveySettings.__table__.columns
    values = {c.name: c.default.arg for c in columns
              if c.default is not None and not callable(c.default.arg)}
    return SurveySettings(workspace_id=workspace_id, **values, inbox_ids=[])


async def find_settings(session: AsyncSession, *, workspace_id: int) -> SurveySettings | None:
    """Return the workspace's saved survey settings, or None."""
    return await session.scalar(select(SurveySettings).where(
        SurveySettings.workspace_id == workspace_id))


async def get_settings(session: AsyncSession, *, workspace_id: int) -> SurveySettings:
    """Return the workspace's survey settings (defaults, unsaved, when never set)."""
    found = await find_settings(session, workspace_id=workspace_id)
    return found if found is not None else default_settings(workspace_id)


async def get_survey(session: AsyncSession, *, workspace_id: int, survey_id: int) -> Survey:
    """Return a survey of the workspace or raise NotFound."""
    return await get_in_workspace(session, Survey, workspace_id=workspace_id,
                                  object_id=survey_id, what="survey")


async def survey_for_resolution(session: AsyncSession, *, workspace_id: int,
                                conversation_id: int, resolution: int) -> Survey | None:
    """Return the survey planned for one resolution of a conversation, if any."""
    return await session.scalar(select(Survey).where(
        Survey.workspace_id == workspace_id, Survey.conversation_id == conversation_id,
        Survey.resolution == resolution))


async def access_survey_by_link(session: AsyncSession, *, token: str,
                                now: dt.datetime) -> Survey:
    """Return the survey a signed link names; NotFound if forged, LinkExpired if too old."""
    try:
        survey = await session.get(Survey, token_survey_id(token))
        if survey is None:
            raise LinkRefused("invalid")
        workspace = await get_workspace(session, workspace_id=survey.workspace_id)
        check_token(workspace.secret, token, now=now)
    except LinkRefused as refused:
        if refused.reason == "expired":
            raise LinkExpired("this survey link has expired") from None
        raise NotFound("this survey link is not valid") from None
    return survey


async def access_visitor_survey(session: AsyncSession, *, workspace_id: int, customer_id: int,
                                survey_id: int) -> Survey:
    """Return a survey put to this customer (a widget visitor answers only their own)."""
    survey = await session.scalar(select(Survey).where(
        Survey.workspace_id == workspace_id, Survey.id == survey_id,
        Survey.customer_id == customer_id))
    if survey is None:
        raise NotFound("survey not found")
    return survey


async def open_survey_for(session: AsyncSession, *, workspace_id: int,
                          conversation_id: int) -> Survey | None:
    """Return the conversation's newest survey still waiting for its answer, if any."""
    return await session.scalar(select(Survey).where(
        Survey.workspace_id == workspace_id, Survey.conversation_id == conversation_id,
        Survey.status == "sent").order_by(Survey.id.desc()).limit(1))


async def last_survey_at(session: AsyncSession, *, workspace_id: int,
                         customer_id: int) -> dt.datetime | None:
    """Return when the customer was last surveyed (sent or scheduled), for the frequency cap."""
    return await session.scalar(select(Survey.created_at).where(
        Survey.workspace_id == workspace_id, Survey.customer_id == customer_id,
        Survey.status != "skipped").order_by(Survey.created_at.desc()).limit(1))


async def has_opted_out(session: AsyncSession, *, workspace_id: int, customer_id: int) -> bool:
    """Tell whether the customer asked not to be surveyed."""
    return await session.scalar(select(SurveyOptOut.id).where(
        SurveyOptOut.workspace_id == workspace_id,
        SurveyOptOut.customer_id == customer_id)) is not None


async def due_surveys(session: AsyncSession, *, now: dt.datetime, limit: int = 100
                      ) -> list[Survey]:
    """Return scheduled surveys whose time has come, oldest first, across workspaces."""
    rows = await session.scalars(select(Survey).where(
        Survey.status == "scheduled", Survey.due_at <= now).order_by(Survey.due_at)
        .limit(limit))
    return list(rows.all())


async def get_answer(session: AsyncSession, *, workspace_id: int,
                     survey_id: int) -> SurveyAnswer | None:
    """Return a survey's answer, if it was answered."""
    return await session.scalar(select(SurveyAnswer).where(
        SurveyAnswer.workspace_id == workspace_id, SurveyAnswer.survey_id == survey_id))


@dataclass(frozen=True)
class AnswerFilter:
    """Which answers to read: a time range and the slices reports filter by."""

    since: dt.datetime | None = None
    until: dt.datetime | None = None
    kind: str | None = None
    channel: str | None = None
    inbox_id: int | None = None
    team_id: int | None = None
    agent_id: int | None = None
    intent: str | None = None
    low_only: bool = False


def answers_query(workspace_id: int, flt: AnswerFilter) -> Select[SurveyAnswer]:
    """Build the select of a workspace's answers matching a filter (no order, no limit)."""
    query = select(SurveyAnswer).where(SurveyAnswer.workspace_id == workspace_id)
    if flt.since is not None:
        query = query.where(SurveyAnswer.created_at >= flt.since)
    if flt.until is not None:
        query = query.where(SurveyAnswer.created_at < flt.until)
    for column, value in ((SurveyAnswer.kind, flt.kind), (SurveyAnswer.channel, flt.channel),
                          (SurveyAnswer.inbox_id, flt.inbox_id),
                          (SurveyAnswer.team_id, flt.team_id),
                          (SurveyAnswer.agent_id, flt.agent_id),
                          (SurveyAnswer.intent, flt.intent)):
        if value is not None:
            query = query.where(column == value)
    if flt.low_only:
        query = query.where(SurveyAnswer.is_low.is_(True))
    return query


async def list_answers(session: AsyncSession, *, workspace_id: int,
                       flt: AnswerFilter | None = None, cursor: str | None = None,
                       limit: int = 50) -> tuple[list[SurveyAnswer], str | None]:
    """Return a page of answers, newest first, and the next cursor (None at the end)."""
    query = paginate(answers_query(workspace_id, flt or AnswerFilter()), SurveyAnswer.id,
                     cursor=cursor, limit=limit)
    rows = list((await session.scalars(query)).all())
    return page_of(rows, limit)


async def access_answers(session: AsyncSession, *, actor: Actor,
                         flt: AnswerFilter | None = None, cursor: str | None = None,
                         limit: int = 50) -> tuple[list[SurveyAnswer], str | None]:
    """Return answers an actor may read: supervisors all, an agent only their own."""
    flt = flt or AnswerFilter()
    if ROLE_RANK.get(actor.role, 0) < ROLE_RANK["supervisor"]:
        flt = AnswerFilter(**{**flt.__dict__, "agent_id": actor.user_id or -1})
    return await list_answers(session, workspace_id=actor.workspace_id, flt=flt, cursor=cursor,
                              limit=limit)


async def latest_scores(session: AsyncSession, *, workspace_id: int,
                        conversation_ids: Iterable[int] | None = None,
                        customer_ids: Iterable[int] | None = None) -> dict[int, dict[str, int]]:
    """Return each conversation's latest answer per kind (csat, nps, ces): the score it keeps."""
    latest = latest_answer_ids_query(workspace_id, None, None if customer_ids is None
                                     else list(customer_ids))
    if conversation_ids is not None:
        latest = latest.where(SurveyAnswer.conversation_id.in_(list(conversation_ids)))
    found: dict[int, dict[str, int]] = defaultdict(dict)
    for conversation_id, kind, score in await session.execute(
            select(SurveyAnswer.conversation_id, SurveyAnswer.kind, SurveyAnswer.score)
            .where(SurveyAnswer.id.in_(latest))):
        found[conversation_id][kind] = score
    return dict(found)


def latest_answer_ids_query(workspace_id: Any, kind: str | None,
                            customer_ids: Any | None = None) -> Select[Any]:
    """Select the id of each conversation's latest answer of a kind (of every kind: None), the
    score it keeps; the one definition of it (``latest_scores``, and other domains joining it in
    their own statement)."""
    query = (select(func.max(SurveyAnswer.id))
             .where(SurveyAnswer.workspace_id == workspace_id)
             .group_by(SurveyAnswer.conversation_id, SurveyAnswer.kind))
    if kind is not None:
        query = query.where(SurveyAnswer.kind == kind)
    if customer_ids is not None:
        query = query.where(SurveyAnswer.customer_id.in_(customer_ids))
    return query


async def answers_for_conversation(session: AsyncSession, *, workspace_id: int,
                                   conversation_id: int) -> list[SurveyAnswer]:
    """Return a conversation's answers, oldest first (shown to the agent who handled it)."""
    rows = await session.scalars(select(SurveyAnswer).where(
        SurveyAnswer.workspace_id == workspace_id,
        SurveyAnswer.conversation_id == conversation_id).order_by(SurveyAnswer.id))
    return list(rows.all())


async def list_open_followups(session: AsyncSession, *, workspace_id: int,
                              team_ids: tuple[int, ...] | None = None,
                              limit: int = 50) -> list[tuple[FollowUp, SurveyAnswer]]:
    """Return open follow-ups with their answers, oldest first (the supervisor board)."""
    query = select(FollowUp, SurveyAnswer).join(
        SurveyAnswer, SurveyAnswer.id == FollowUp.answer_id).where(
        FollowUp.workspace_id == workspace_id, FollowUp.status == "open")
    if team_ids is not None:
        query = query.where(FollowUp.team_id.in_(team_ids))
    rows = await session.execute(query.order_by(FollowUp.id).limit(limit))
    return [(f, a) for f, a in rows]


async def followups_for_conversation(session: AsyncSession, *, workspace_id: int,
                                     conversation_id: int) -> list[FollowUp]:
    """Return a conversation's follow-ups, oldest first."""
    rows = await session.scalars(select(FollowUp).where(
        FollowUp.workspace_id == workspace_id,
        FollowUp.conversation_id == conversation_id).order_by(FollowUp.id))
    return list(rows.all())


async def get_followup(session: AsyncSession, *, workspace_id: int,
                       followup_id: int) -> FollowUp:
    """Return a follow-up of the workspace or raise NotFound."""
    return await get_in_workspace(session, FollowUp, workspace_id=workspace_id,
                                  object_id=followup_id, what="follow-up")
