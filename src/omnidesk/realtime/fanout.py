"""The outbox subscriber that turns committed domain events into realtime events.

It runs after the commit (at least once), so a screen never shows what was rolled back. The
hub reaches the handler through the session's info (set by the app factory); a process with
no hub (a worker without Redis) has no screens to update and skips.
"""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.channels.manifests import is_realtime
from omnidesk.core.errors import NotFound
from omnidesk.core.events import DeliveredEvent, SubscriberRegistry
from omnidesk.domains.agents.service import get_user
from omnidesk.domains.analytics.events import GoalOffTrack
from omnidesk.domains.automation.events import AutomationNotified
from omnidesk.domains.conversations import events as ev
from omnidesk.domains.conversations.service import (
    get_conversation,
    get_conversation_people,
    get_message,
)
from omnidesk.domains.customers.service import list_identity_handles
from omnidesk.domains.engagement.service import visitor_message
from omnidesk.domains.feedback import events as feedback
from omnidesk.domains.routing import events as routing
from omnidesk.realtime.hub import Hub
from omnidesk.realtime.topics import (
    VISITOR_IDENTITY_KINDS,
    concerned_topics,
    conversation_topic,
    supervisors_topic,
    user_topic,
    visitor_topic,
)

log = logging.getLogger("omnidesk.realtime")
SUBSCRIBER_NAME = "realtime.fanout"
CHANGES_SUBSCRIBER = "realtime.message_changes"
CONVERSATIONS_SUBSCRIBER = "realtime.conversations"
SUPERVISOR_SUBSCRIBER = "realtime.supervisors"
CONVERSATION_EVENTS = (ev.ConversationCreated, ev.ConversationAssigned,
                       ev.ConversationStatusChanged, ev.ConversationUpdated)
MESSAGE_CHANGES = (ev.MessageDeliveryUpdated, ev.MessageUpdated)
ROUTING_EVENTS = (
    routing.RoutingEnqueued, routing.RoutingOffered, routing.RoutingOfferExpired,
    routing.RoutingRequeued, routing.RoutingOverflowed, routing.RoutingSynced,
    routing.RoutingConfigChanged, routing.AgentPresenceChanged, routing.SlaWarning,
    routing.SlaBreached, feedback.FollowUpOpened, feedback.FollowUpClosed,
)
ROUTING_FIELDS = {"conversation_id", "queue_id", "status", "agent_id", "user_id", "presence"}
MESSAGE_FIELDS = ("message_id", "conversation_id", "customer_id", "channel", "author_kind",
                  "is_private", "assignee_id")  # assignee: whose notification it is
AGENT_FIELDS = ("conversation_id", "customer_id", "status", "priority", "assignee_id", "team_id",
                "channel")


def _hub(session: AsyncSession) -> Hub | None:
    """Return the process's hub, or None when there are no screens to update."""
    hub: Hub | None = session.info.get("realtime")
    return hub


async def fan_out(event: DeliveredEvent[ev.MessageCreated], session: AsyncSession) -> None:
    """Publish a committed new message to agent screens and the visitor's widgets."""
    hub = _hub(session)
    if hub is not None and event.workspace_id is not None:
        await _message_created(hub, session, event.workspace_id, event.data)


async def fan_out_change(
    event: DeliveredEvent[ev.MessageDeliveryUpdated | ev.MessageUpdated], session: AsyncSession
) -> None:
    """Tell the screens showing the conversation a message's delivery status or files changed."""
    hub = _hub(session)
    if hub is not None and event.workspace_id is not None:
        await hub.publish(conversation_topic(event.workspace_id, event.data.conversation_id),
                          event.name, event.data.model_dump(mode="json"))


async def fan_out_conversation(
    event: DeliveredEvent[ev.ConversationFacts], session: AsyncSession
) -> None:
    """Tell the screens it concerns that a conversation changed (and how, for assignments)."""
    hub = _hub(session)
    if hub is None or event.workspace_id is None:
        return
    facts = event.data
    data = facts.model_dump(mode="json", include={*AGENT_FIELDS, "change"})
    data.setdefault("change", None)
    topics = concerned_topics(
        event.workspace_id, facts.conversation_id,
        assignee_ids=(facts.assignee_id, getattr(facts, "from_assignee_id", None)),
        team_ids=(facts.team_id, getattr(facts, "from_team_id", None)))
    await hub.publish(topics, "conversation.changed", {**data, "event": event.name})
    if isinstance(facts, ev.ConversationStatusChanged) and is_realtime(facts.channel):
        await _tell_visitor_status(hub, session, event.workspace_id, facts)


async def _tell_visitor_status(hub: Hub, session: AsyncSession, workspace_id: int,
                               facts: ev.ConversationStatusChanged) -> None:
    """Tell the customer's open widgets whether their conversation ended (resolved) or goes on
    (reopened), so the chat shows it without a reload."""
    data = {"conversation_id": facts.conversation_id, "ended": facts.status == "resolved"}
    for topic in await _visitor_topics(session, workspace_id, facts.customer_id):
        await hub.publish(topic, "conversation.status", data)


async def _visitor_topics(session: AsyncSession, workspace_id: int,
                          customer_id: int) -> list[str]:
    """The topics of the customer's own widgets (none for a customer deleted since)."""
    handles = await list_identity_handles(session, workspace_id=workspace_id,
                                          customer_id=customer_id, kinds=VISITOR_IDENTITY_KINDS)
    return [visitor_topic(workspace_id, kind, value) for kind, value in handles]


async def _message_created(hub: Hub, session: AsyncSession, workspace_id: int,
                           payload: ev.MessageCreated) -> None:
    try:
        assignee_id, team_id = await get_conversation_people(
            session, workspace_id=workspace_id, conversation_id=payload.conversation_id)
    except NotFound:
        return  # deleted since: nothing to show
    await hub.publish(
        concerned_topics(workspace_id, payload.conversation_id, assignee_ids=(assignee_id,),
                         team_ids=(team_id,)),
        "message.created", payload.model_dump(mode="json", include=set(MESSAGE_FIELDS)))
    if payload.is_private or not is_realtime(payload.channel):
        return
    topics = await _visitor_topics(session, workspace_id, payload.customer_id)
    if not topics:
        return  # no widget of this customer's to tell (or the customer was deleted since)
    try:
        msg = await get_message(session, workspace_id=workspace_id,
                                message_id=payload.message_id)
    except NotFound:
        return  # deleted since: nothing to show
    author = None
    if msg.author_id is not None:
        user = await get_user(session, workspace_id=workspace_id, user_id=msg.author_id)
        author = user.display_name or user.name
    data = visitor_message(msg, author).model_dump(mode="json")
    for topic in topics:
        await hub.publish(topic, "message.created", data)


async def fan_out_routing(event: DeliveredEvent[Any], session: AsyncSession) -> None:
    """Tell supervisor screens about routing, SLA and presence changes; agents about presence."""
    hub = _hub(session)
    if hub is None or event.workspace_id is None:
        return
    data = event.data.model_dump(mode="json", include=ROUTING_FIELDS)
    await hub.publish(supervisors_topic(event.workspace_id), "routing.changed",
                      {**data, "event": event.name})
    if isinstance(event.data, routing.AgentPresenceChanged):
        await hub.publish(user_topic(event.workspace_id, event.data.user_id),
                          "agent.presence_changed", data)
    elif isinstance(event.data, routing.SlaWarning):
        await _warn_assignee(hub, session, event.workspace_id, event.data)


async def _warn_assignee(hub: Hub, session: AsyncSession, workspace_id: int,
                         warning: routing.SlaWarning) -> None:
    """Tell the conversation's assignee (their notification) that an SLA is about to breach."""
    try:
        conv = await get_conversation(session, workspace_id=workspace_id,
                                      conversation_id=warning.conversation_id)
    except NotFound:
        return
    if conv.assignee_id is not None:
        await hub.publish(user_topic(workspace_id, conv.assignee_id), "sla.warning",
                          {"conversation_id": conv.id, "metric": warning.metric,
                           "assignee_id": conv.assignee_id})


async def fan_out_notification(event: DeliveredEvent[AutomationNotified | GoalOffTrack],
                               session: AsyncSession) -> None:
    """Push a notification (a rule's, a macro's, an off-track goal's) to its user's screens."""
    hub = _hub(session)
    if hub is None or event.workspace_id is None:
        return
    await hub.publish(user_topic(event.workspace_id, event.data.user_id), "notification",
                      event.data.model_dump(mode="json"))


async def fan_out_mention(event: DeliveredEvent[ev.MentionCreated],
                          session: AsyncSession) -> None:
    """Tell the colleague a private note named: their screens show it and count it."""
    hub = _hub(session)
    if hub is None or event.workspace_id is None:
        return
    await hub.publish(user_topic(event.workspace_id, event.data.user_id), "mention",
                      event.data.model_dump(mode="json"))


def register(registry: SubscriberRegistry) -> None:
    """Add the realtime fan-out subscribers (the routing one forwards whichever of
    ROUTING_FIELDS each event carries, so it declares no required reads); all are ``live``:
    a running dispatcher runs them in their own lane."""
    registry.subscribe(ev.MessageCreated, name=SUBSCRIBER_NAME, max_attempts=3, live=True,
                       reads=MESSAGE_FIELDS)(fan_out)
    registry.subscribe(*MESSAGE_CHANGES, name=CHANGES_SUBSCRIBER, max_attempts=3, live=True,
                       reads=("message_id", "conversation_id"))(fan_out_change)
    registry.subscribe(*CONVERSATION_EVENTS, name=CONVERSATIONS_SUBSCRIBER, max_attempts=3,
                       live=True, reads=AGENT_FIELDS)(fan_out_conversation)
    registry.subscribe(*ROUTING_EVENTS, name=SUPERVISOR_SUBSCRIBER, max_attempts=3,
                       live=True)(fan_out_routing)
    registry.subscribe(ev.MentionCreated, name="realtime.mentions", max_attempts=3, live=True,
                       reads=("user_id",))(fan_out_mention)
    registry.subscribe(AutomationNotified, GoalOffTrack, name="realtime.notifications",
                       max_attempts=3, live=True, reads=("user_id",))(fan_out_notification)
