"""Feedback jobs: plan a survey when a conversation is resolved, send the ones that are due,
and take a customer's reply of just a number as the answer to the survey they were asked."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.core.db import utcnow
from omnidesk.core.events import DeliveredEvent, ScheduleFired, SubscriberRegistry
from omnidesk.domains.conversations.actions import do_add_message
from omnidesk.domains.conversations.events import ConversationResolved, MessageCreated
from omnidesk.domains.conversations.service import awaited_number, find_conversation
from omnidesk.domains.feedback import texts
from omnidesk.domains.feedback.actions import do_answer_survey
from omnidesk.domains.feedback.schemas import AnswerCreate
from omnidesk.domains.feedback.send_actions import do_plan_survey, do_send_survey
from omnidesk.domains.feedback.service import due_surveys, open_survey_for

DUE_SECONDS = 60.0  # how often scheduled ("N hours after") surveys are looked for


@dataclass(frozen=True)
class FeedbackJobs:
    """The feedback subscribers, with the public URL survey links point at."""

    public_url: str

    async def plan(self, event: DeliveredEvent[ConversationResolved],
                   session: AsyncSession) -> None:
        """Plan a survey for the resolved conversation; send it now when it is due now."""
        survey = await do_plan_survey(session, workspace_id=event.workspace_id or 0,
                                      conversation_id=event.data.conversation_id,
                                      resolved_by=event.data.resolved_by)
        if survey is not None and survey.due_at <= utcnow():
            await do_send_survey(session, survey=survey, public_url=self.public_url)

    async def send_due(self, event: DeliveredEvent[ScheduleFired],
                       session: AsyncSession) -> None:
        """Send every scheduled survey whose hour has come."""
        for survey in await due_surveys(session, now=utcnow()):
            await do_send_survey(session, survey=survey, public_url=self.public_url)

    async def take_reply(self, event: DeliveredEvent[MessageCreated],
                         session: AsyncSession) -> None:
        """Answer the conversation's open survey with a customer's reply of just a number."""
        data, ws = event.data, event.workspace_id or 0
        conv = await find_conversation(session, workspace_id=ws,
                                       conversation_id=data.conversation_id, load_labels=False)
        survey = await open_survey_for(session, workspace_id=ws,
                                       conversation_id=data.conversation_id)
        score = awaited_number(conv, data.text, now=event.created_at) if conv else None
        if conv is None or survey is None or score is None:
            return
        via = "quick_reply" if survey.delivery == "quick_replies" else "digit"
        _, created = await do_answer_survey(session, survey=survey,
                                            answer_in=AnswerCreate(score=score), via=via)
        if created:
            await do_add_message(session, conv=conv, author_kind="bot",
                                 text=texts.say(texts.THANKS, survey.language))

    def register(self, registry: SubscriberRegistry) -> None:
        """Subscribe to resolutions and customer replies on resolved conversations."""
        registry.subscribe(ConversationResolved, name="feedback.plan_survey",
                           reads=("conversation_id", "resolved_by"))(self.plan)
        registry.every(DUE_SECONDS, name="feedback_due_surveys")(self.send_due)
        registry.subscribe(MessageCreated, name="feedback.take_reply",
                           reads=("conversation_id", "text", "author_kind",
                                  "conversation_status", "is_private"),
                           when=is_a_number_reply)(self.take_reply)


def is_a_number_reply(event: MessageCreated) -> bool:
    """Tell whether a message may answer a survey: a customer's bare number, conversation closed."""
    text = event.text.strip()
    return (event.author_kind == "customer" and not event.is_private
            and event.conversation_status == "resolved" and text.isdigit() and len(text) <= 3)
