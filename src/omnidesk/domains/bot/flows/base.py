"""What a flow works with: the turn, its reply, order lookup and short-answer parsing."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.core.context import Actor, system_actor
from omnidesk.domains.bot.dialogue import DialogueState
from omnidesk.domains.bot.policy import BotSettings
from omnidesk.domains.bot.texts import payment_name, say, status_name
from omnidesk.domains.commerce.models import Order
from omnidesk.domains.commerce.service import get_order_by_number, list_orders_for_customer
from omnidesk.domains.conversations.models import Conversation
from omnidesk.domains.inboxes.models import Inbox
from omnidesk.domains.inboxes.service import find_inbox, inbox_calendar
from omnidesk.domains.nlu.schemas import MessageUnderstanding
from omnidesk.domains.workspaces.models import Workspace
from omnidesk.domains.workspaces.service import Calendar

ORDER_NUMBER = re.compile(r"#[A-Z]\d{6,10}\b|\b[A-Z]{1,4}-?\d{8,16}\b")
YES = re.compile(r"^\s*(네|예|응|어|넵|넹|좋아요|좋습니다|맞아요|맞습니다|진행|그래요|부탁|yes|y|yeah|yep|"
                 r"sure|ok|okay|confirm|go ahead|please do)\b", re.IGNORECASE)
NO = re.compile(r"^\s*(아니|아뇨|아니요|안 할|그만|no|n|nope|don't|do not|stop|never mind)\b",
                re.IGNORECASE)


@dataclass
class Reply:
    """The bot's answer to one turn, its source, and what happens next."""

    text: str
    source: str
    handoff: str | None = None
    action: dict[str, Any] | None = None
    citations: list[str] = field(default_factory=list)
    # Answers the customer may tap (widget buttons, the channel's quick replies, else listed).
    choices: list[str] = field(default_factory=list)
    # Articles to open, each {"title", "url"}: cards in the widget, "title: url" in plain text.
    links: list[dict[str, str]] = field(default_factory=list)


@dataclass
class Turn:
    """Everything a flow may read or change while answering one customer message."""

    session: AsyncSession
    workspace: Workspace
    conv: Conversation
    text: str
    lang: str
    understanding: MessageUnderstanding
    state: DialogueState
    settings: BotSettings
    connector: Any
    inbox: Inbox | None = None  # the conversation's inbox: its greeting and hours come first
    inbox_loaded: bool = False  # read only when a reply needs its greeting or hours
    public_url: str = ""  # where the help center is served (policy article links)

    async def load_inbox(self) -> Inbox | None:
        """Read the conversation's inbox the first time a reply needs its greeting or hours."""
        if not self.inbox_loaded:
            self.inbox = None if self.conv.inbox_id is None else await find_inbox(
                self.session, workspace_id=self.workspace.id, inbox_id=self.conv.inbox_id)
            self.inbox_loaded = True
        return self.inbox

    async def load_calendar(self) -> Calendar:
        """Return the business calendar this conversation's team works by (its inbox's)."""
        await self.load_inbox()
        return self.calendar

    @property
    def calendar(self) -> Calendar:
        """Return the inbox's business calendar; `load_inbox` must have run (else it would
        silently answer with the workspace's hours)."""
        if not self.inbox_loaded:
            raise RuntimeError("the turn's inbox is not loaded: await load_calendar() first")
        return inbox_calendar(self.workspace, self.inbox)

    @property
    def actor(self) -> Actor:
        """Return the actor the bot acts as (the workspace's system actor)."""
        return system_actor(self.workspace.id)

    def say(self, key: str, **values: Any) -> str:
        """Render a message in the customer's language and the workspace's tone."""
        return say(key, self.lang, tone=self.settings.tone, **values)

    def entity(self, kind: str) -> str | None:
        """Return the first entity of a kind in this message."""
        return next((e.value for e in self.understanding.entities if e.kind == kind), None)


MISSES_BEFORE_CHOICES = 2


def ask_again(turn: Turn, text: str, source: str, *, choices: list[str] | None = None) -> Reply:
    """Ask the same question again; from the second failed answer on, offer choices and a person.

    The bot never repeats one prompt forever: what the customer may answer becomes buttons (or
    a list where the channel has none), with a person always among them.
    """
    if turn.state.missed() < MISSES_BEFORE_CHOICES:
        return Reply(text, source)
    offered = [*(choices or []), turn.say("choice_person")]
    return Reply(f"{text}\n{turn.say('offer_choices')}", source, choices=offered)


def yes_no_choices(turn: Turn) -> list[str]:
    """Return the two answers to a yes/no question, in the customer's language."""
    return [turn.say("choice_yes"), turn.say("choice_no")]


def is_yes(text: str) -> bool:
    """Tell whether a short answer agrees."""
    return bool(YES.match(text)) and not is_no(text)


def is_no(text: str) -> bool:
    """Tell whether a short answer declines."""
    return bool(NO.match(text))


def order_number_in(turn: Turn) -> str | None:
    """Return an order number written in the message, if any."""
    match = ORDER_NUMBER.search(turn.text.upper())
    return match.group(0).replace("-", "") if match else turn.entity("order_number")


async def find_order(turn: Turn, number: str) -> Order | None:
    """Look an order up by number (also with the store's prefix when only digits were given)."""
    ws = turn.workspace.id
    order = await get_order_by_number(turn.session, workspace_id=ws, number=number)
    if order is None and number.isdigit():
        order = await get_order_by_number(turn.session, workspace_id=ws, number=f"HB{number}")
    return order


async def owned_order(turn: Turn) -> Order | Reply:
    """Return the verified customer's order in discussion, or a reply asking for it.

    A verified customer picks from their recent orders (buttons) instead of typing a number.
    """
    state = turn.state
    number = order_number_in(turn) or state.slots.get("order_number")
    if not number:
        state.step = "order"
        recent = await _recent(turn)
        key = "pick_order" if (state.verified_by or "").startswith("code") else "order_ask"
        return Reply(turn.say(key), f"flow:{state.flow}", choices=recent)
    order = await find_order(turn, number)
    if order is None or order.customer_id != state.verified_customer_id:
        state.slots.pop("order_number", None)
        state.step = "order"
        return Reply(turn.say("order_not_found", number=number), f"flow:{state.flow}",
                     choices=await _recent(turn))
    state.slots["order_number"] = order.external_id
    return order


RECENT_ORDERS = 5


async def _recent(turn: Turn) -> list[str]:
    """Name the verified customer's latest orders as answers to tap (number, items, status)."""
    if turn.state.verified_customer_id is None:
        return []
    orders = await list_orders_for_customer(turn.session, workspace_id=turn.workspace.id,
                                            customer_id=turn.state.verified_customer_id)
    return [f"{o.external_id} ({items_text(o, turn.lang)}, {status_name(o.status, turn.lang)})"
            for o in orders[:RECENT_ORDERS]]


def items_text(order: Order, lang: str) -> str:
    """Describe an order's lines briefly."""
    names = [item.name for item in order.items]
    more = len(names) - 2
    text = ", ".join(names[:2])
    return text + (f" 외 {more}건" if lang == "ko" else f" and {more} more") if more > 0 else text


def money(amount: Any, currency: str) -> str:
    """Format an amount for customers."""
    return f"₩{int(amount):,}" if currency == "KRW" else f"{currency} {float(amount):,.2f}"


def payment_method(order: Order) -> str:
    """Return the order's payment method key (first payment of the history)."""
    for payment in order.payments or []:
        method = payment.get("method") or payment.get("payment_method_id")
        if method:
            return str(method)
    return "card"


def refund_text(turn: Turn, order: Order) -> str:
    """Say when a refund arrives, by payment method (store policy)."""
    method = payment_method(order)
    if method.startswith("gift_card"):
        return turn.say("refund_instant")
    return turn.say("refund_days", method=payment_name(method, turn.lang))
