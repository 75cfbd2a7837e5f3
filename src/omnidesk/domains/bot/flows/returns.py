"""Return or exchange items of a delivered order: verify, check, pick items, confirm, start.

Exchanges then pick a target variant per item (``flows.exchange``) before the confirmation.
"""

from __future__ import annotations

import re
from dataclasses import replace
from decimal import Decimal

from omnidesk.core.errors import Conflict, InvalidInput
from omnidesk.domains.bot.flows import exchange
from omnidesk.domains.bot.flows.base import Reply, Turn, is_no, is_yes, refund_text
from omnidesk.domains.bot.flows.policy_check import (
    fee_text,
    refusal,
    return_reason_in,
    verdict,
)
from omnidesk.domains.bot.flows.verification import verified_order
from omnidesk.domains.commerce.actions import PolicyRefused
from omnidesk.domains.commerce.models import Order, OrderItem

ALL = re.compile(r"전부|모두|다\s*(해|반품|교환)|all|both|everything", re.IGNORECASE)


def _line_id(item: OrderItem) -> str:
    return item.item_external_id or str(item.id)


def items_chosen(text: str, order: Order) -> list[str] | None:
    """Read which lines the customer picked ('1, 2' or 'all'); None when unclear."""
    lines = [_line_id(i) for i in order.items]
    if ALL.search(text):
        return lines
    picked = {int(n) for n in re.findall(r"\d+", text) if 0 < int(n) <= len(lines)}
    return [lines[n - 1] for n in sorted(picked)] or None


async def advance(turn: Turn) -> Reply:
    """Move the return or exchange one step forward."""
    order = await verified_order(turn)
    if isinstance(order, Reply):
        return order
    state, number, kind = turn.state, order.external_id, _kind(turn)
    source = f"flow:{state.flow}"
    reason = return_reason_in(turn.text) or state.slots.get("reason") or "change_of_mind"
    state.slots["reason"] = reason
    allowed = verdict(turn, order, kind, reason)
    if not allowed.allowed:
        if state.step == "reason":  # offered a defect return, and it is not one
            allowed = replace(allowed, alternative="agent")
        return await refusal(turn, order, allowed, reason)
    if state.step == "reason":
        state.step = None
    if state.step == "confirm" and state.slots.get("item_ids"):
        return await _confirmed(turn, order, kind)
    items = state.slots.get("item_ids") or _items_for(turn, order)
    if items is None:
        state.step = "items"
        choices = ", ".join(f"{n}. {i.name}" for n, i in enumerate(order.items, 1))
        return Reply(turn.say("items_ask", choices=choices), source)
    state.slots["item_ids"] = items
    fee = fee_text(turn, order, allowed, reason)
    if kind == "exchange":
        reply = await exchange.advance(turn, order, items)
        if state.step == "confirm" and fee and not reply.handoff:
            reply.text += fee
        return reply
    state.step = "confirm"
    names = ", ".join(i.name for i in order.items if _line_id(i) in items)
    return Reply(turn.say("return_confirm", number=number, items=names) + fee, source)


def _kind(turn: Turn) -> str:
    return "exchange" if turn.state.flow == "exchange_request" else "return"


def _items_for(turn: Turn, order: Order) -> list[str] | None:
    if len(order.items) == 1:
        return [_line_id(order.items[0])]
    return items_chosen(turn.text, order) if turn.state.step == "items" else None


async def _confirmed(turn: Turn, order: Order, kind: str) -> Reply:
    state, number = turn.state, order.external_id
    source = f"flow:{state.flow}"
    if is_no(turn.text):
        state.finish()
        return Reply(turn.say("declined"), source,
                     action={"action": f"{kind}_declined", "order_number": number})
    if not is_yes(turn.text):
        return Reply(turn.say("yes_no"), source)
    if kind == "exchange":
        return await exchange.start(turn, order)
    items = list(state.slots["item_ids"])
    reason = state.slots.get("reason", "change_of_mind")
    try:
        await turn.connector.start_return(number, item_ids=items, reason=reason)
    except PolicyRefused as refused:
        return await refusal(turn, order, refused.verdict, reason)
    except (Conflict, InvalidInput):
        state.finish()
        return Reply(turn.say("flow_failed"), source, handoff="flow_failed")
    state.finish()
    return Reply(turn.say("return_done", number=number, refund=refund_text(turn, order)), source,
                 action={"action": "return_requested", "order_number": number,
                         "items": len(items), "reason": reason,
                         "amount": str(_refund_amount(order, items))})


def _refund_amount(order: Order, items: list[str]) -> Decimal:
    """Return what the returned lines cost (the refund before any return fee)."""
    return sum((Decimal(str(i.price)) * i.quantity for i in order.items
                if _line_id(i) in items), Decimal(0))
