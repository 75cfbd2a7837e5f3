"""While a conversation waits for a person, the bot is not silent (and never in the way).

After a handoff, until an agent joins, each customer message gets at most one bot message:
a knowledge-base answer when the bot is sure of one (said with "you're still in line"), else,
once per wait, an acknowledgement with the customer's place in the queue when the team is in,
or the time it opens (the inbox's business calendar) when it is out. Everything is posted on
the conversation, so the agent who picks it up sees what the bot said. The customer's waiting
clock keeps running: a bot message is not an answer from the team.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.core.db import utcnow
from omnidesk.domains.bot.actions import do_bot_reply
from omnidesk.domains.bot.answers import ChatClient, answer_question
from omnidesk.domains.bot.delivery import message_meta
from omnidesk.domains.bot.dialogue import save_state
from omnidesk.domains.bot.flows.base import Reply, Turn
from omnidesk.domains.conversations.models import Conversation, Message
from omnidesk.domains.routing.service import waiting_position


async def answer_while_waiting(turn: Turn, public_url: str,
                               llm: ChatClient | None) -> Message | None:
    """Answer a customer waiting for a person: a sure KB answer, else one acknowledgement."""
    reply = await _knowledge(turn, public_url, llm)
    if reply is None and not turn.state.waiting_acked:
        reply = Reply(turn.say("waiting_ack", when=await _when(turn)), "waiting:ack")
    if reply is None:
        return None  # acknowledged already: the agent will answer
    return await _post(turn, reply)


async def _knowledge(turn: Turn, public_url: str, llm: ChatClient | None) -> Reply | None:
    settings = turn.settings
    answer = await answer_question(
        turn.session, workspace_id=turn.workspace.id, workspace_slug=turn.workspace.slug,
        question=turn.text, lang=turn.lang, min_score=settings.answer_min_score,
        base_url=public_url, llm=llm, tone=settings.tone, hours=turn.load_calendar)
    if answer is None:
        return None
    return Reply(f"{answer.text}\n{turn.say('waiting_kb')}", f"waiting:{answer.source}",
                 citations=answer.citations, links=answer.links)


async def _when(turn: Turn) -> str:
    """Tell the customer their place in line (team in) or when the team opens (team out)."""
    calendar, now = await turn.load_calendar(), utcnow()
    if not calendar.is_open(now):
        opens = calendar.next_open(now)
        if opens is not None:
            return turn.say("waiting_closed", when=calendar.format_moment(opens, turn.lang))
    position = await waiting_position(turn.session, workspace_id=turn.workspace.id,
                                      conversation_id=turn.conv.id)
    return turn.say("waiting_place", position=position) if position else turn.say("waiting_open")


async def _post(turn: Turn, reply: Reply) -> Message | None:
    """Post while nobody has taken the conversation; keep the customer's wait running."""
    conv = turn.conv
    if not await _still_waiting(turn.session, conv):
        return None  # an agent joined while we were thinking
    waiting_since = conv.waiting_since
    message = await do_bot_reply(turn.session, conv=conv, text=reply.text,
                                 meta=message_meta(turn, reply))
    conv.waiting_since = waiting_since
    turn.state.waiting_acked = True
    save_state(conv, turn.state)
    return message


async def _still_waiting(session: AsyncSession, conv: Conversation) -> bool:
    await session.refresh(conv, ["owner", "assignee_id"])
    return conv.owner == "queued" and conv.assignee_id is None
