"""Compute one conversation's analytics fact from its stored timestamps and event log.

Each function here is the one owner of a KPI rule (``docs/metrics.md`` states them in words):
``derive`` turns a ``Snapshot`` (what the database holds about a conversation) into the fact's
columns. Windows that only close with time (FCR's 7 days, assumed self-service's 72 h) leave the
value undecided and name the instant it settles, so a schedule can decide it then.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from omnidesk.domains.feedback.service import is_positive
from omnidesk.domains.workspaces.service import Calendar

RECONTACT_WINDOW = dt.timedelta(days=7)  # FCR: no recontact on any channel within 7 days
ASSUMED_WINDOW = dt.timedelta(hours=72)  # self-service assumed: no recontact within 72 h
DEFAULT_FIRST_RESPONSE_TARGET = 3600.0  # business seconds, when no SLA policy names one
THANKS_INTENT = "greeting_thanks"  # the customer told the bot it helped


@dataclass(frozen=True)
class Snapshot:
    """What the database holds about one conversation at the moment of computing."""

    conversation: Any  # conversations.models.Conversation
    calendar: Calendar
    agent_replies: int
    bot_replies: int
    bot_last_reply_at: dt.datetime | None
    bot_article: str | None
    customer_thanked_bot: bool
    handoff_reason: str | None
    handed_off: bool
    next_contact_at: dt.datetime | None  # the customer's next conversation on any channel
    sla_states: tuple[str, ...]
    first_response_target: float
    scores: dict[str, int]  # survey answers: csat / nps / ces


def hour_of_week(at: dt.datetime, calendar: Calendar) -> int:
    """Return the local hour of the week (Monday 00:00–00:59 = 0, Sunday 23:00 = 167)."""
    local = at.astimezone(calendar.tz)
    return local.weekday() * 24 + local.hour


def survey_positive(scores: dict[str, int]) -> bool:
    """Tell whether any survey answer of the conversation is positive (feedback's rule)."""
    return any(is_positive(kind, score) for kind, score in scores.items())


def sla_outcome(states: tuple[str, ...]) -> bool | None:
    """Return True when every SLA target was met, False when one was missed, None until then."""
    if any(state in {"missed", "breached"} for state in states):
        return False
    if states and all(state == "met" for state in states):
        return True
    return None


def derive(snap: Snapshot, now: dt.datetime) -> dict[str, Any]:
    """Return the fact's columns for a conversation (see docs/metrics.md for each rule)."""
    conv, cal = snap.conversation, snap.calendar
    fact: dict[str, Any] = {
        "customer_id": conv.customer_id, "channel": conv.channel, "inbox_id": conv.inbox_id,
        "team_id": conv.team_id, "agent_id": conv.assignee_id, "intent": conv.intent,
        "language": conv.language, "status": conv.status, "created_at": conv.created_at,
        "hour_of_week": hour_of_week(conv.created_at, cal), "reopened": conv.reopened_count,
        "agent_replies": snap.agent_replies, "bot_handled": snap.bot_replies > 0,
        "handed_off": snap.handed_off, "handoff_reason": snap.handoff_reason,
        "bot_last_reply_at": snap.bot_last_reply_at, "bot_article": snap.bot_article, "recontact_at": snap.next_contact_at,
        "sla_met": sla_outcome(snap.sla_states), "csat": snap.scores.get("csat"),
        "nps": snap.scores.get("nps"), "ces": snap.scores.get("ces"),
    }
    fact.update(_first_response(conv, cal, snap.first_response_target))
    fact.update(_resolution(conv, cal))
    fcr, fcr_settles = _fcr(conv, snap.next_contact_at, now)
    self_service, ss_settles = _self_service(snap, now)
    fact.update(fcr=fcr, self_service=self_service,
                settles_at=min((t for t in (fcr_settles, ss_settles) if t), default=None))
    return fact


def _first_response(conv: Any, cal: Calendar, target: float) -> dict[str, Any]:
    """First response: the customer's first message to an agent's first public reply."""
    start, end = conv.first_customer_message_at, conv.first_response_at
    if start is None or end is None:
        return {"first_response_at": end, "first_response_seconds": None,
                "first_response_business_seconds": None, "first_response_within_target": None}
    business = cal.working_seconds(start, end)
    return {"first_response_at": end,
            "first_response_seconds": max((end - start).total_seconds(), 0.0),
            "first_response_business_seconds": business,
            "first_response_within_target": business <= target}


def _resolution(conv: Any, cal: Calendar) -> dict[str, Any]:
    """Resolution time: opened to (last) resolved, for conversations resolved now."""
    if conv.status != "resolved" or conv.resolved_at is None:
        return {"resolved_at": None, "resolution_seconds": None,
                "resolution_business_seconds": None}
    return {"resolved_at": conv.resolved_at,
            "resolution_seconds": max((conv.resolved_at - conv.created_at).total_seconds(), 0.0),
            "resolution_business_seconds": cal.working_seconds(conv.created_at,
                                                               conv.resolved_at)}


def _fcr(conv: Any, next_contact: dt.datetime | None,
         now: dt.datetime) -> tuple[bool | None, dt.datetime | None]:
    """FCR: resolved, never reopened, and no new conversation by the customer within 7 days."""
    if conv.status != "resolved" or conv.resolved_at is None:
        return None, None
    window_end = conv.resolved_at + RECONTACT_WINDOW
    if now < window_end:  # decided only when the window closes, so recent days are not biased
        return None, window_end
    return conv.reopened_count == 0 and (next_contact is None or next_contact > window_end), None


def _self_service(snap: Snapshot, now: dt.datetime) -> tuple[str | None, dt.datetime | None]:
    """Self-service: the bot alone answered; confirmed by the customer, or assumed after 72 h."""
    conv = snap.conversation
    if snap.bot_replies == 0 or snap.handed_off or snap.agent_replies > 0:
        return None, None
    if snap.customer_thanked_bot or survey_positive(snap.scores):
        return "confirmed", None
    last = snap.bot_last_reply_at
    assert last is not None
    window_end = last + ASSUMED_WINDOW
    wrote_after = conv.last_customer_message_at is not None and conv.last_customer_message_at > last
    if wrote_after or conv.reopened_count > 0 or (
            snap.next_contact_at is not None and snap.next_contact_at <= window_end):
        return None, None
    if now >= window_end:
        return "assumed", None
    return None, window_end
