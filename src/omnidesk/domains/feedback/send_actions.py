"""Putting the question: decide whether a resolved conversation is surveyed, then send it.

A survey goes out through the one outbound path (a bot message on the conversation): as
inline buttons where omnidesk's own socket carries it (the web widget), as the channel's
quick-reply buttons where its manifest says it has them (and enough of them), and elsewhere
as a short signed link (SMS, email). Everywhere a reply of just the number counts too.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.channels.manifests import BY_KIND
from omnidesk.core.db import utcnow
from omnidesk.core.events import emit
from omnidesk.domains.conversations.actions import do_add_message, do_await_reply
from omnidesk.domains.conversations.models import Conversation
from omnidesk.domains.conversations.service import find_conversation
from omnidesk.domains.customers.service import get_customer
from omnidesk.domains.feedback import texts
from omnidesk.domains.feedback.events import SurveySent
from omnidesk.domains.feedback.links import survey_token, survey_url
from omnidesk.domains.feedback.models import Survey, SurveySettings
from omnidesk.domains.feedback.service import (
    get_settings,
    has_opted_out,
    last_survey_at,
    scale,
    survey_for_resolution,
)
from omnidesk.domains.workspaces.service import get_workspace


def handled_by(conv: Conversation) -> str:
    """Tell who handled a conversation: a person (one was assigned or replied) or the bot."""
    return "human" if conv.assignee_id is not None or conv.first_response_at else "bot"


async def _wanted(session: AsyncSession, settings: SurveySettings, conv: Conversation,
                  now: dt.datetime) -> bool:
    """Apply the workspace's rules: on, audience, inbox, opt-out and the frequency cap."""
    if not settings.enabled or settings.audience not in ("both", handled_by(conv)):
        return False
    if settings.inbox_ids and conv.inbox_id not in settings.inbox_ids:
        return False
    ws, customer = conv.workspace_id, conv.customer_id
    if await has_opted_out(session, workspace_id=ws, customer_id=customer):
        return False
    last = await last_survey_at(session, workspace_id=ws, customer_id=customer)
    return last is None or now - last >= dt.timedelta(days=settings.cap_days)


async def do_plan_survey(session: AsyncSession, *, workspace_id: int, conversation_id: int,
                         resolved_by: int | None = None) -> Survey | None:
    """Schedule a survey for a just-resolved conversation when the settings want one.

    The agent it is about is the assignee, else the person who resolved it. Idempotent per
    resolution: a redelivered event finds the survey already planned.
    """
    conv = await find_conversation(session, workspace_id=workspace_id,
                                   conversation_id=conversation_id, load_labels=False)
    if conv is None or conv.status != "resolved":
        return None
    existing = await survey_for_resolution(session, workspace_id=workspace_id,
                                           conversation_id=conv.id,
                                           resolution=conv.reopened_count)
    settings = await get_settings(session, workspace_id=workspace_id)
    now = utcnow()
    if existing is not None or not await _wanted(session, settings, conv, now):
        return existing
    customer = await get_customer(session, workspace_id=workspace_id,
                                  customer_id=conv.customer_id)
    delay = settings.delay_hours if settings.timing == "after_hours" else 0
    survey = Survey(
        workspace_id=workspace_id, conversation_id=conv.id, customer_id=conv.customer_id,
        resolution=conv.reopened_count, kind=settings.kind, status="scheduled",
        language="en" if (conv.language or customer.locale) == "en" else "ko",
        channel=conv.channel, inbox_id=conv.inbox_id, agent_id=conv.assignee_id or resolved_by,
        team_id=conv.team_id, intent=conv.intent, handled_by=handled_by(conv),
        due_at=now + dt.timedelta(hours=delay), created_at=now)
    session.add(survey)
    await session.flush()
    return survey


def delivery_for(channel: str, options: int) -> str:
    """Pick how a question with `options` answers reaches a channel, from its manifest."""
    style = BY_KIND[channel].capabilities.choice_style(options)
    return "link" if style == "text" else style


def _message(survey: Survey, delivery: str, link: str) -> str:
    question = texts.say(texts.QUESTIONS[survey.kind], survey.language)
    if delivery == "buttons":
        return question
    hint = texts.say(texts.REPLY_WITH_NUMBER, survey.language)
    if delivery == "quick_replies":
        return f"{question}\n{hint}"
    return f"{question}\n{texts.say(texts.ANSWER_HERE, survey.language, url=link)}\n{hint}"


async def do_send_survey(session: AsyncSession, *, survey: Survey, public_url: str) -> bool:
    """Put a due survey to the customer on the conversation's channel; False if skipped.

    A conversation reopened since it was resolved is not surveyed (its story is not over).
    """
    if survey.status != "scheduled":
        return False
    conv = await find_conversation(session, workspace_id=survey.workspace_id,
                                   conversation_id=survey.conversation_id, load_labels=False)
    if conv is None or conv.status != "resolved" or conv.reopened_count != survey.resolution:
        survey.status = "skipped"
        return False
    settings = await get_settings(session, workspace_id=survey.workspace_id)
    workspace = await get_workspace(session, workspace_id=survey.workspace_id)
    low, high = scale(survey.kind)
    now = utcnow()
    survey.channel, survey.inbox_id = conv.channel, conv.inbox_id  # the customer's last one
    survey.delivery = delivery_for(conv.channel, high - low + 1)
    survey.expires_at = now + dt.timedelta(hours=settings.link_ttl_hours)
    link = survey_url(public_url, survey_token(workspace.secret, survey.id, survey.expires_at))
    meta: dict[str, Any] = {"survey": {"id": survey.id, "kind": survey.kind, "low": low,
                                       "high": high, "comment": settings.comment}}
    if survey.delivery == "quick_replies":
        meta["quick_replies"] = [str(n) for n in range(low, high + 1)]
    message = await do_add_message(session, conv=conv, author_kind="bot",
                                   text=_message(survey, survey.delivery, link),
                                   content_type="survey", meta=meta)
    do_await_reply(conv, low=low, high=high, until=survey.expires_at, ref=f"survey:{survey.id}")
    survey.status, survey.sent_at, survey.message_id = "sent", now, message.id
    emit(session, SurveySent.of(survey, delivery=survey.delivery, message_id=message.id),
         workspace_id=survey.workspace_id)
    return True
