"""The feedback domain's events: surveys sent and answered, follow-ups opened and closed.

Payloads carry ids and the facts reports slice by (kind, score, channel, inbox, agent, team,
intent, who handled the conversation), never the customer's comment.
"""

from __future__ import annotations

from typing import Any, ClassVar

from omnidesk.channels.manifests import KINDS as CHANNEL_KINDS
from omnidesk.core.events import Event
from omnidesk.domains.feedback.models import FollowUp, Survey, SurveyAnswer

SURVEY: dict[str, Any] = {
    "survey_id": 12, "conversation_id": 41, "customer_id": 7, "kind": "csat",
    "channel": CHANNEL_KINDS[0], "inbox_id": 3, "agent_id": 5, "team_id": 2,
    "intent": "refund", "handled_by": "human", "language": "ko"}


class SurveyFacts(Event):
    """What every survey event says: which survey, about which conversation and who handled it."""

    survey_id: int
    conversation_id: int
    customer_id: int
    kind: str
    channel: str
    inbox_id: int | None = None
    agent_id: int | None = None
    team_id: int | None = None
    intent: str | None = None
    handled_by: str = "human"  # human | bot
    language: str = "ko"

    @classmethod
    def of(cls, survey: Survey, **extra: Any) -> Any:
        """Build the event from a survey row and the event's own fields."""
        return cls(survey_id=survey.id, conversation_id=survey.conversation_id,
                   customer_id=survey.customer_id, kind=survey.kind, channel=survey.channel,
                   inbox_id=survey.inbox_id, agent_id=survey.agent_id, team_id=survey.team_id,
                   intent=survey.intent, handled_by=survey.handled_by,
                   language=survey.language, **extra)


class SurveySent(SurveyFacts):
    """A survey question went out: as widget buttons, quick replies or a signed link."""

    name: ClassVar[str] = "survey.sent"
    example: ClassVar[dict[str, Any]] = {**SURVEY, "delivery": "buttons", "message_id": 93}

    delivery: str
    message_id: int | None = None


class SurveyAnswered(SurveyFacts):
    """A customer answered a survey (once); `is_low` is the workspace's threshold applied."""

    name: ClassVar[str] = "survey.answered"
    example: ClassVar[dict[str, Any]] = {**SURVEY, "answer_id": 30, "score": 2, "is_low": True,
                                         "via": "widget", "has_comment": True}

    answer_id: int
    score: int
    is_low: bool = False
    via: str = "widget"
    has_comment: bool = False

    @classmethod
    def of_answer(cls, survey: Survey, answer: SurveyAnswer) -> SurveyAnswered:
        """Build the event from the survey and its stored answer."""
        event: SurveyAnswered = cls.of(survey, answer_id=answer.id, score=answer.score,
                                       is_low=answer.is_low, via=answer.via,
                                       has_comment=bool(answer.comment))
        return event


FOLLOWUP: dict[str, Any] = {"followup_id": 4, "answer_id": 30, "conversation_id": 41,
                            "team_id": 2, "owner_id": 9, "agent_id": 5, "status": "open"}


class FollowUpFacts(Event):
    """What every follow-up event says: which task, about which conversation, whose it is."""

    followup_id: int
    answer_id: int
    conversation_id: int
    team_id: int | None = None
    owner_id: int | None = None
    agent_id: int | None = None
    status: str = "open"

    @classmethod
    def of(cls, row: FollowUp) -> Any:
        """Build the event from a follow-up row."""
        return cls(followup_id=row.id, answer_id=row.answer_id,
                   conversation_id=row.conversation_id, team_id=row.team_id,
                   owner_id=row.owner_id, agent_id=row.agent_id, status=row.status)


class FollowUpOpened(FollowUpFacts):
    """A low score opened a follow-up task for the team lead."""

    name: ClassVar[str] = "followup.opened"
    example: ClassVar[dict[str, Any]] = FOLLOWUP


class FollowUpClosed(FollowUpFacts):
    """A lead closed a follow-up task."""

    name: ClassVar[str] = "followup.closed"
    example: ClassVar[dict[str, Any]] = {**FOLLOWUP, "status": "done"}
