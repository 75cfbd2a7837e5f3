"""Feedback writes: settings, answers (once per survey), opt-outs and low-score follow-ups."""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.core.audit import audit
from omnidesk.core.context import Actor
from omnidesk.core.db import utcnow
from omnidesk.core.errors import Conflict, InvalidInput
from omnidesk.core.events import emit
from omnidesk.domains.agents.service import team_lead
from omnidesk.domains.conversations.actions import (
    do_add_message,
    do_set_status,
    do_stop_awaiting_reply,
)
from omnidesk.domains.conversations.service import find_conversation
from omnidesk.domains.feedback import texts
from omnidesk.domains.feedback.events import FollowUpClosed, FollowUpOpened, SurveyAnswered
from omnidesk.domains.feedback.models import (
    SLICES,
    FollowUp,
    Survey,
    SurveyAnswer,
    SurveyOptOut,
    SurveySettings,
)
from omnidesk.domains.feedback.schemas import (
    AnswerCreate,
    FollowUpClose,
    LinkAnswerCreate,
    SurveySettingsUpdate,
)
from omnidesk.domains.feedback.send_actions import do_plan_survey  # noqa: F401 - for other domains
from omnidesk.domains.feedback.service import (
    access_survey_by_link,
    access_visitor_survey,
    find_settings,
    get_answer,
    get_followup,
    get_settings,
    has_opted_out,
    is_low,
    scale,
)
from omnidesk.domains.inboxes.service import inbox_names

NOTE_SCORE = {"ko": "고객 평가 {title}: {score}/{high}", "en": "Customer rating, {title}: {score}/{high}"}


async def check_update_settings(session: AsyncSession, *, actor: Actor,
                                settings_in: SurveySettingsUpdate) -> SurveySettings:
    """Let an admin change what is asked, when, of whom and how often."""
    actor.require("admin")
    changes = settings_in.model_dump(exclude_unset=True, exclude_none=True)
    if "inbox_ids" in changes:
        known = await inbox_names(session, workspace_id=actor.workspace_id)
        unknown = [i for i in changes["inbox_ids"] if i not in known]
        if unknown:
            raise InvalidInput(f"no such inbox: {unknown[0]}", field="inbox_ids")
        changes["inbox_ids"] = sorted(set(changes["inbox_ids"]))
    settings = await find_settings(session, workspace_id=actor.workspace_id)
    if settings is None:
        settings = await get_settings(session, workspace_id=actor.workspace_id)
        session.add(settings)
    for key, value in changes.items():
        setattr(settings, key, value)
    if settings.timing == "after_hours" and settings.delay_hours < 1:
        raise InvalidInput("a survey sent hours after resolving needs delay_hours ≥ 1",
                           field="delay_hours")
    await session.flush()
    audit(session, workspace_id=actor.workspace_id, action="survey.settings_updated",
          actor_kind=actor.audit_kind, actor_id=actor.user_id, object_type="survey_settings",
          object_id=settings.id, data={"fields": sorted(changes)})
    return settings


async def do_opt_out(session: AsyncSession, *, workspace_id: int, customer_id: int) -> bool:
    """Stop surveying a customer; False when they had already opted out."""
    if await has_opted_out(session, workspace_id=workspace_id, customer_id=customer_id):
        return False
    session.add(SurveyOptOut(workspace_id=workspace_id, customer_id=customer_id))
    await session.flush()
    return True


async def check_answer_by_link(session: AsyncSession, *, token: str,
                              answer_in: LinkAnswerCreate) -> tuple[SurveyAnswer, bool]:
    """Take an answer from the survey page of a signed link (no login: the link is the key)."""
    survey = await access_survey_by_link(session, token=token, now=utcnow())
    answer, created = await do_answer_survey(session, survey=survey, answer_in=answer_in,
                                             via="link")
    if answer_in.opt_out:
        await do_opt_out(session, workspace_id=survey.workspace_id,
                         customer_id=survey.customer_id)
    return answer, created


async def check_answer_in_widget(session: AsyncSession, *, workspace_id: int, customer_id: int,
                                 survey_id: int, answer_in: AnswerCreate
                                 ) -> tuple[SurveyAnswer, bool]:
    """Take a widget visitor's answer to a survey put to them (and only to them)."""
    survey = await access_visitor_survey(session, workspace_id=workspace_id,
                                         customer_id=customer_id, survey_id=survey_id)
    return await do_answer_survey(session, survey=survey, answer_in=answer_in, via="widget")


async def do_answer_survey(session: AsyncSession, *, survey: Survey, answer_in: AnswerCreate,
                           via: str) -> tuple[SurveyAnswer, bool]:
    """Store a customer's answer once; a repeat returns the first answer and False.

    A low score opens a follow-up for the team lead (and reopens the conversation when the
    workspace says so); every answer leaves a private note for the agent who handled it.
    """
    existing = await get_answer(session, workspace_id=survey.workspace_id, survey_id=survey.id)
    if existing is not None:
        return existing, False
    if survey.status not in ("sent", "answered"):
        raise Conflict("this survey was not sent")
    low, high = scale(survey.kind)
    if not low <= answer_in.score <= high:
        raise InvalidInput(f"score must be from {low} to {high}", field="score")
    settings = await get_settings(session, workspace_id=survey.workspace_id)
    comment = (answer_in.comment or "").strip() or None
    answer = SurveyAnswer(
        workspace_id=survey.workspace_id, survey_id=survey.id,
        conversation_id=survey.conversation_id, customer_id=survey.customer_id,
        kind=survey.kind, score=answer_in.score, comment=comment,
        **{name: getattr(survey, name) for name in SLICES},
        is_low=is_low(settings, survey.kind, answer_in.score), via=via, created_at=utcnow())
    try:
        async with session.begin_nested():  # two taps at once: the second finds the first
            session.add(answer)
    except IntegrityError:
        raced = await get_answer(session, workspace_id=survey.workspace_id, survey_id=survey.id)
        if raced is None:
            raise
        return raced, False
    survey.status, survey.answered_at = "answered", answer.created_at
    emit(session, SurveyAnswered.of_answer(survey, answer), workspace_id=survey.workspace_id)
    await _close_the_loop(session, survey, answer, settings)
    return answer, True


async def _close_the_loop(session: AsyncSession, survey: Survey, answer: SurveyAnswer,
                          settings: SurveySettings) -> None:
    conv = await find_conversation(session, workspace_id=survey.workspace_id,
                                   conversation_id=survey.conversation_id, load_labels=False)
    if conv is None:
        return
    do_stop_awaiting_reply(conv, ref=f"survey:{survey.id}")
    note = texts.say(NOTE_SCORE, survey.language, score=str(answer.score),
                     high=str(scale(survey.kind)[1]),
                     title=texts.say(texts.TITLES[survey.kind], survey.language))
    if answer.comment:
        note += f"\n“{answer.comment}”"
    await do_add_message(session, conv=conv, text=note, author_kind="system", is_private=True,
                         meta={"survey_answer": answer.id})
    if not answer.is_low:
        return
    await do_open_followup(session, answer=answer)
    if settings.reopen_on_low and conv.status == "resolved":
        await do_set_status(session, conv=conv, status="open", actor_kind="system")


async def do_open_followup(session: AsyncSession, *, answer: SurveyAnswer) -> FollowUp:
    """Open a follow-up task about a low answer for the team lead (of the agent's team)."""
    owner = await team_lead(session, workspace_id=answer.workspace_id, team_id=answer.team_id)
    row = FollowUp(workspace_id=answer.workspace_id, answer_id=answer.id,
                   conversation_id=answer.conversation_id, team_id=answer.team_id,
                   owner_id=owner, agent_id=answer.agent_id, status="open",
                   created_at=utcnow())
    session.add(row)
    await session.flush()
    emit(session, FollowUpOpened.of(row), workspace_id=row.workspace_id)
    return row


async def check_close_followup(session: AsyncSession, *, actor: Actor, followup_id: int,
                               close_in: FollowUpClose) -> FollowUp:
    """Let a supervisor close a follow-up, noting what was done; closing twice is a no-op."""
    actor.require("supervisor")
    row = await get_followup(session, workspace_id=actor.workspace_id, followup_id=followup_id)
    if row.status == "done":
        return row
    row.status, row.closed_at, row.closed_by = "done", utcnow(), actor.user_id
    row.note = (close_in.note or "").strip() or None
    await session.flush()
    audit(session, workspace_id=actor.workspace_id, action=FollowUpClosed.name,
          actor_kind=actor.audit_kind, actor_id=actor.user_id, object_type="followup",
          object_id=row.id)
    emit(session, FollowUpClosed.of(row), workspace_id=row.workspace_id)
    return row
