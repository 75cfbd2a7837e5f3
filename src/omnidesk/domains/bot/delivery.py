"""Deliver a decided turn: hold the turn, post the reply, record actions, hand off.

How the reply looks depends on what the channel's manifest says it can show: choices become
buttons in the web widget, the provider's quick replies where it has them, else a numbered list
(a reply with the number counts); knowledge-base links become titled cards in the widget and a
"title: link" line elsewhere. The widget shows the bot's greeting itself, so the bot does not
greet a second time there.
"""

from __future__ import annotations

from typing import Any

from omnidesk.channels.manifests import BY_KIND
from omnidesk.core.db import utcnow
from omnidesk.domains.bot.actions import do_bot_handoff, do_bot_reply, do_record_bot_action
from omnidesk.domains.bot.dialogue import save_state
from omnidesk.domains.bot.flows.base import Reply, Turn
from omnidesk.domains.bot.service import bot_greeting
from omnidesk.domains.conversations.actions import do_hold_bot_turn
from omnidesk.domains.conversations.models import Message


def greeting(turn: Turn) -> str:
    """Return the inbox's greeting, else the workspace's, in the customer's language."""
    return bot_greeting(turn.workspace, turn.inbox, turn.lang)


def handoff_message(turn: Turn) -> str:
    """Say a person will take over, or when they will if the team is away (business calendar)."""
    calendar, now = turn.calendar, utcnow()
    if calendar.is_open(now):
        return turn.say("handoff")
    opens = calendar.next_open(now)
    email = turn.settings.support_email
    return turn.say("handoff_closed", when=calendar.format_moment(opens, turn.lang) if opens else "-",
                    email=turn.say("handoff_email", email=email) if email else "")


def shows_greeting(channel: str) -> bool:
    """Tell whether the channel's own window greets the customer (the web widget does)."""
    found = BY_KIND.get(channel)
    return found is not None and found.capabilities.realtime


def choice_style(turn: Turn, reply: Reply) -> str:
    """Say how this reply's choices reach the customer: buttons, quick replies or text."""
    found = BY_KIND.get(turn.conv.channel)
    return found.capabilities.choice_style(len(reply.choices)) if found else "text"


def compose(turn: Turn, reply: Reply) -> str:
    """Build the customer-facing text: greeting on the first turn, reply, handoff notice."""
    greet = not turn.state.greeted and not shows_greeting(turn.conv.channel)
    parts = [greeting(turn)] if greet else []
    parts += [reply.text] if reply.text else []
    if reply.links and not shows_greeting(turn.conv.channel):
        parts += ["\n".join(turn.say("kb_source", title=link["title"], url=link["url"])
                            for link in reply.links)]
    if reply.choices and choice_style(turn, reply) == "text":
        listed = "\n".join(f"{n}. {choice}" for n, choice in enumerate(reply.choices, 1))
        parts += [f"{listed}\n{turn.say('choices_hint')}"]
    parts += [handoff_message(turn)] if reply.handoff else []
    return "\n\n".join(parts)


def message_meta(turn: Turn, reply: Reply) -> dict[str, Any]:
    """Return what the message carries besides text: provenance, choices, link cards."""
    meta: dict[str, Any] = {"bot": provenance(turn, reply)}
    if reply.choices and not reply.handoff:
        meta["quick_replies"] = list(reply.choices)
    if reply.links:
        meta["cards"] = [dict(link) for link in reply.links]
    return meta


def provenance(turn: Turn, reply: Reply) -> dict[str, object]:
    """Describe the turn for agents: intent, confidence, source, flow and step."""
    intent = turn.understanding.intent
    return {"intent": intent.intent if intent else None,
            "confidence": round(intent.confidence, 4) if intent else None,
            "source": reply.source, "flow": turn.state.flow, "step": turn.state.step,
            "citations": reply.citations, "handoff": reply.handoff,
            "language": turn.lang}


async def deliver(turn: Turn, reply: Reply, customer_messages: list[str], *,
                  silent: bool = False) -> Message | None:
    """Post the reply while the bot still owns the conversation, then hand off if decided."""
    session, conv, state = turn.session, turn.conv, turn.state
    if not await do_hold_bot_turn(session, conv=conv):
        return None  # an agent took over while we were thinking
    intent = turn.understanding.intent
    if intent is not None and not intent.is_oos and reply.source != "policy":
        conv.intent = intent.intent
    conv.language = conv.language or turn.lang
    if reply.action:
        do_record_bot_action(session, conv=conv, action=reply.action)
    message = None
    if not silent:
        if not state.greeted or reply.handoff:  # the inbox's greeting, its hours in a handoff
            await turn.load_inbox()
        waiting_since = conv.waiting_since
        message = await do_bot_reply(session, conv=conv, text=compose(turn, reply),
                                     meta=message_meta(turn, reply))
        if reply.handoff:  # "a person will answer" is no answer: the customer's wait goes on
            conv.waiting_since = waiting_since
        state.slots["offered"] = list(reply.choices) if reply.choices else []
        state.greeted, state.turns = True, state.turns + 1
    if reply.handoff:
        state.waiting_acked = False  # the handoff notice says it; the next message gets an ack
    save_state(conv, state)
    if reply.handoff:
        topic = state.flow or conv.intent or (intent.intent if intent else None)
        confidence = intent.confidence if intent and intent.intent == topic else None
        await do_bot_handoff(
            session, conv=conv, state=state, reason=reply.handoff, intent=topic,
            confidence=confidence, language=turn.lang, customer_messages=customer_messages)
    return message
