"""Deliver a decided turn: hold the turn, post the reply, record actions, hand off."""

from __future__ import annotations

from omnidesk.core.db import utcnow
from omnidesk.domains.bot.actions import do_bot_handoff, do_bot_reply, do_record_bot_action
from omnidesk.domains.bot.dialogue import save_state
from omnidesk.domains.bot.flows.base import Reply, Turn
from omnidesk.domains.conversations.actions import do_hold_bot_turn
from omnidesk.domains.conversations.models import Message
from omnidesk.domains.inboxes.service import inbox_greeting


def greeting(turn: Turn) -> str:
    """Return the inbox's greeting, else the workspace's, in the customer's language."""
    custom = inbox_greeting(turn.inbox, turn.lang) or turn.settings.greeting.get(turn.lang)
    return custom or turn.say("greeting", workspace=turn.workspace.name)


def handoff_message(turn: Turn) -> str:
    """Say a person will take over, or when they will if the team is away (business calendar)."""
    calendar, now = turn.calendar, utcnow()
    if calendar.is_open(now):
        return turn.say("handoff")
    opens = calendar.next_open(now)
    email = turn.settings.support_email
    return turn.say("handoff_closed", when=calendar.format_moment(opens, turn.lang) if opens else "-",
                    email=turn.say("handoff_email", email=email) if email else "")


def compose(turn: Turn, reply: Reply) -> str:
    """Build the customer-facing text: greeting on the first turn, reply, handoff notice."""
    parts = [] if turn.state.greeted else [greeting(turn)]
    parts += [reply.text] if reply.text else []
    parts += [handoff_message(turn)] if reply.handoff else []
    return "\n\n".join(parts)


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
        message = await do_bot_reply(session, conv=conv, text=compose(turn, reply),
                                     provenance=provenance(turn, reply))
        state.greeted, state.turns = True, state.turns + 1
    save_state(conv, state)
    if reply.handoff:
        topic = state.flow or conv.intent or (intent.intent if intent else None)
        confidence = intent.confidence if intent and intent.intent == topic else None
        await do_bot_handoff(
            session, conv=conv, state=state, reason=reply.handoff, intent=topic,
            confidence=confidence, language=turn.lang, customer_messages=customer_messages)
    return message
