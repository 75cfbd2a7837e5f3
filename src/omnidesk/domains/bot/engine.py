"""One bot turn: understand the customer's message, decide, and answer or hand off.

The decision order is the handoff policy first (asked for a person, frustration, VIP), then the
active task flow (unless the customer clearly switches to another task), a new task flow, small
talk, the knowledge base, and finally a clarifying question or a handoff.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.core.context import system_actor
from omnidesk.core.db import utcnow
from omnidesk.core.errors import DomainError, NotFound
from omnidesk.domains.bot import waiting
from omnidesk.domains.bot.actions import do_record_bot_action
from omnidesk.domains.bot.answers import ChatClient, answer_question
from omnidesk.domains.bot.asking import asks_installation_date, is_topic_question, topic_of
from omnidesk.domains.bot.delivery import deliver
from omnidesk.domains.bot.dialogue import load_state
from omnidesk.domains.bot.flows import (
    cancel_order,
    change_address,
    membership,
    order_status,
    refund_status,
    returns,
)
from omnidesk.domains.bot.flows.base import Reply, Turn, is_no, is_yes, order_number_in
from omnidesk.domains.bot.flows.policy_check import policy_answer
from omnidesk.domains.bot.opening import OTHER, read_opening_answer
from omnidesk.domains.bot.policy import (
    FLOW_INTENTS,
    bot_settings,
    handoff_reason,
    is_miss,
    switches_flow,
)
from omnidesk.domains.bot.requests import split_requests
from omnidesk.domains.bot.service import customer_history, is_vip, workspace_intent_model
from omnidesk.domains.bot.texts import request_name
from omnidesk.domains.conversations.models import Message
from omnidesk.domains.conversations.service import find_conversation
from omnidesk.domains.knowledge.actions import do_record_search_miss
from omnidesk.domains.nlu.schemas import IntentModel, IntentPrediction, MessageUnderstanding
from omnidesk.domains.nlu.service import understand_message_async
from omnidesk.domains.workspaces.service import get_workspace

FlowStep = Callable[[Turn], Awaitable[Reply]]
FLOWS: dict[str, FlowStep] = {
    "order_status": order_status.advance, "cancel_order": cancel_order.advance,
    "change_address": change_address.advance, "return_request": returns.advance,
    "exchange_request": returns.advance, "refund_status": refund_status.advance,
    "membership_tier": membership.advance,
}
CHOICE_STEPS = ("variant",)
HANGUL = re.compile(r"[가-힣]")
LATIN_WORDS = re.compile(r"[A-Za-z]{2,}")
NOT_WORDS = re.compile(r"\S+@\S+|https?://\S+|\b[A-Z]{1,4}-?\d{6,16}\b")


@dataclass(frozen=True)
class BotDeps:
    """What the bot needs from outside the domain, given by the entry layer."""

    connector_for: Callable[..., Any]
    llm: ChatClient | None = None
    public_url: str = ""


async def handle_customer_message(session: AsyncSession, deps: BotDeps, *, workspace_id: int,
                                  conversation_id: int, message_id: int,
                                  text: str) -> Message | None:
    """Answer one customer message if the bot owns the conversation; return the bot's reply.

    While the conversation waits for a person the bot still answers what it is sure of (see
    `waiting`); once an agent has it, the bot says nothing.
    """
    conv = await find_conversation(session, workspace_id=workspace_id,
                                   conversation_id=conversation_id, load_labels=False)
    if conv is None:  # its workspace's (get_conversation's NotFound, without the labels' read)
        raise NotFound("conversation not found")
    if conv.owner not in ("bot", "queued"):
        return None  # an agent owns it (or it is closed): the bot never talks over an agent
    workspace = await get_workspace(session, workspace_id=workspace_id)
    settings = bot_settings(workspace.settings)
    if conv.owner == "queued" and not settings.serves(conv.channel):
        return None
    history = await customer_history(session, conv=conv, before_id=message_id)
    model = await workspace_intent_model(session, workspace_id=workspace_id)
    state = load_state(conv)
    text = picked_choice(text, state.slots.get("offered") or [])
    understanding = await understand_message_async(text, model=model, history=history)
    opened = read_opening_answer(text) if state.turns == 0 else None
    if opened:  # the customer confirmed the reason the opening question guessed
        understanding = replace(understanding, intent=IntentPrediction(
            opened, 1.0, False, [(opened, 1.0)]))
    elif opened == OTHER:  # "something else": nothing to classify in those words
        understanding = replace(understanding, intent=None)
    lang = _language(text, state.language or conv.language or workspace.default_locale)
    state.language = lang
    connector = deps.connector_for(session, system_actor(workspace_id), workspace.settings or {})
    turn = Turn(session, workspace, conv, text, lang, understanding, state, settings, connector,
                public_url=deps.public_url)
    if conv.owner == "queued":
        return await waiting.answer_while_waiting(turn, deps.public_url, deps.llm)
    if not settings.serves(conv.channel):
        reply = Reply("", "policy", handoff="bot_disabled")
    elif opened == OTHER:
        reply = Reply(turn.say("opening_other_reply"), "template:opening")
    else:
        reply = await decide_all(turn, deps, model, history)
    return await deliver(turn, reply, [*history, text], silent=not settings.serves(conv.channel))


def picked_choice(text: str, offered: list[str]) -> str:
    """Read a bare number answering a listed choice ("2") as that choice's words."""
    number = text.strip().rstrip(".")
    if number.isdigit() and 1 <= int(number) <= len(offered):
        return offered[int(number) - 1]
    return text


async def decide_all(turn: Turn, deps: BotDeps, model: IntentModel,
                     history: list[str]) -> Reply:
    """Decide a turn that may carry several requests: the first now, the rest after it."""
    state = turn.state
    whole = handoff_reason(turn.understanding, turn.settings)  # "…, 상담원 연결해 주세요"
    plan = await plan_requests(turn, model, history) if not (state.flow or whole) else None
    reply = await decide(turn, deps)
    if plan:
        reply.text = f"{plan}\n\n{reply.text}" if reply.text else plan
    while state.queue and state.flow is None and not reply.handoff:
        nxt = state.queue.pop(0)
        if reply.action:  # record it now: the reply below carries the next request's action
            do_record_bot_action(turn.session, conv=turn.conv, action=reply.action)
            if reply.action.get("action") == "order_cancelled":
                state.slots.pop("order_number", None)  # a cancelled order takes no more changes
        turn.text = nxt
        turn.understanding = await understand_message_async(nxt, model=model, history=history)
        intro = turn.say("next_request", next=request_name(_intent_of(turn), turn.lang))
        following = await decide(turn, deps)
        following.text = "\n\n".join(p for p in (reply.text, intro, following.text) if p)
        reply = following
    return reply


def _intent_of(turn: Turn) -> str | None:
    u = turn.understanding
    return None if is_miss(u, turn.settings) or u.intent is None else u.intent.intent


async def plan_requests(turn: Turn, model: IntentModel, history: list[str]) -> str | None:
    """Split a message asking several things; keep the first for now, queue the rest.

    Returns the sentence telling the customer the plan, or None for a single request. A
    question about the refund right after a cancel is folded into the cancel (whose answer
    says when the refund arrives).
    """
    pieces = split_requests(turn.text)
    if len(pieces) == 1 and pieces[0] == turn.text.strip():
        return None
    found: list[tuple[str, str | None, MessageUnderstanding]] = []
    for piece in pieces:
        u = await understand_message_async(piece, model=model, history=history)
        intent = None if is_miss(u, turn.settings) or u.intent is None else u.intent.intent
        if found and (intent == found[-1][1] or (intent, found[-1][1]) in FOLDED):
            continue
        found.append((piece, intent, u))
    known = [f for f in found if f[1] is not None] or found[:1]
    first_piece, _, first_u = known[0]
    number = order_number_in(turn)
    turn.text, turn.understanding = first_piece, first_u
    if number and not order_number_in(turn):
        turn.text = f"{number} {first_piece}"  # the order named anywhere is the one meant
    turn.state.queue = [piece for piece, _, _ in known[1:]]
    if not turn.state.queue:
        return None
    names = [request_name(intent, turn.lang) for _, intent, _ in known]
    return turn.say("multi_plan", count=len(names), plan=", ".join(names), first=names[0])


FOLDED = {("refund_status", "cancel_order")}  # (this piece, the one before it)

def _language(text: str, fallback: str | None) -> str:
    """Return 'ko' or 'en' for this message; digits, emails and order numbers keep the
    conversation's."""
    if HANGUL.search(text):
        return "ko"
    if len(LATIN_WORDS.findall(NOT_WORDS.sub(" ", text))) >= 2:  # an email is not English
        return "en"
    return "ko" if (fallback or "ko").startswith("ko") else "en"


async def decide(turn: Turn, deps: BotDeps) -> Reply:
    """Choose the reply to this turn (see the module docstring for the order)."""
    state, u, settings = turn.state, turn.understanding, turn.settings
    answering = state.step == "confirm" and (is_yes(turn.text) or is_no(turn.text))
    choosing = state.step in CHOICE_STEPS  # short picks like "흰색이요" fool the classifier
    reason = handoff_reason(u, settings, answering=answering or choosing)
    if reason:
        return Reply("", "policy", handoff=reason)
    if not state.vip_checked:
        state.vip_checked = True
        if settings.handoff_vip and await is_vip(turn.session, workspace_id=turn.workspace.id,
                                                 customer_id=turn.conv.customer_id,
                                                 settings=settings):
            return Reply("", "policy", handoff="vip_customer")
    if state.flow and (answering or not switches_flow(u, settings, state.flow)):
        return await run_flow(turn, state.flow)
    intent = None if is_miss(u, settings) or u.intent is None else u.intent.intent
    if intent == "installation_schedule" and asks_installation_date(turn.text):
        intent = "order_status"  # "설치 기사님은 언제 오시나요?": the order's slot, not an article
    if intent in FLOW_INTENTS and is_topic_question(
            turn.text, names_order=order_number_in(turn) is not None):
        answered = await policy_answer(turn, topic_of(intent, turn.text)) or await topic_answer(
            turn, deps)
        if answered is not None:
            return answered
    if intent in FLOW_INTENTS:
        if intent not in settings.intents:
            return Reply("", "policy", handoff="intent_not_enabled")
        state.start(intent)
        return await run_flow(turn, intent)
    if intent == "greeting_thanks":
        state.misses = 0
        return Reply("" if not state.greeted else turn.say("thanks"), "template")
    if intent == "business_hours":
        await turn.load_inbox()
        return hours_reply(turn)
    return await knowledge_reply(turn, deps)


async def run_flow(turn: Turn, flow: str) -> Reply:
    """Advance a task flow; a store failure ends it with a handoff."""
    turn.state.misses = 0
    try:
        return await FLOWS[flow](turn)
    except DomainError:
        turn.state.finish()
        return Reply(turn.say("flow_failed"), f"flow:{flow}", handoff="flow_failed")


def hours_reply(turn: Turn) -> Reply:
    """Tell the support hours and whether the team works now, by the business calendar."""
    calendar, now = turn.calendar, utcnow()
    if calendar.is_open(now):
        state = turn.say("hours_open")
    else:
        opens = calendar.next_open(now)
        when = calendar.format_moment(opens, turn.lang) if opens else None
        state = turn.say("hours_closed", when=when) if when else ""
    return Reply(turn.say("hours", hours=calendar.weekly_summary(turn.lang), state=state),
                 "template:business_hours")


async def topic_answer(turn: Turn, deps: BotDeps) -> Reply | None:
    """Answer a question about a task's rules from the knowledge base, offering to act after."""
    answer = await answer_question(
        turn.session, workspace_id=turn.workspace.id, workspace_slug=turn.workspace.slug,
        question=turn.text, lang=turn.lang, min_score=turn.settings.answer_min_score,
        base_url=deps.public_url, llm=deps.llm, tone=turn.settings.tone,
        hours=turn.load_calendar)
    if answer is None:
        return None
    turn.state.misses = 0
    return Reply(f"{answer.text}\n{turn.say('ask_offer')}", answer.source,
                 citations=answer.citations)


async def knowledge_reply(turn: Turn, deps: BotDeps) -> Reply:
    """Answer from the knowledge base, else ask again or hand off."""
    state, settings = turn.state, turn.settings
    answer = await answer_question(
        turn.session, workspace_id=turn.workspace.id, workspace_slug=turn.workspace.slug,
        question=turn.text, lang=turn.lang, min_score=settings.answer_min_score,
        base_url=deps.public_url, llm=deps.llm, tone=settings.tone, hours=turn.load_calendar)
    if answer is not None:
        state.misses = 0
        return Reply(answer.text, answer.source, citations=answer.citations, links=answer.links)
    await do_record_search_miss(turn.session, workspace_id=turn.workspace.id, query=turn.text,
                                source="bot", locale=turn.lang)
    if is_miss(turn.understanding, settings):
        state.misses += 1
        if state.misses >= settings.max_misses:
            return Reply("", "policy", handoff="not_understood")
        return Reply(turn.say("clarify"), "template")
    return Reply("", "policy", handoff="no_answer")
