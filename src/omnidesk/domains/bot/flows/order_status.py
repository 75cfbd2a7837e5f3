"""Order status: verify, find the order, tell its status and every date it has.

The dates come from the order's fulfilments (shipped, delivered, the installation slot and
whether it was done or moved), so "설치 기사님은 언제 오시나요?" gets the slot itself.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from omnidesk.domains.bot.flows.base import Reply, Turn, items_text
from omnidesk.domains.bot.flows.policy_check import day_text
from omnidesk.domains.bot.flows.verification import verified_order
from omnidesk.domains.bot.texts import status_name
from omnidesk.domains.commerce.models import Order
from omnidesk.domains.commerce.service import order_dates

SOURCE = "flow:order_status"


def dates_text(turn: Turn, order: Order) -> str:
    """Say the order's shipping, delivery and installation dates that are known."""
    dates = order_dates(order)
    text = ""
    if dates["shipped"]:
        text += turn.say("status_shipped", date=day_text(dates["shipped"], turn.lang))
    if dates["delivered"]:
        text += turn.say("status_delivered", date=day_text(dates["delivered"], turn.lang))
    return text + _installation(turn, dates["installation"])


def _installation(turn: Turn, slot: dict[str, Any] | None) -> str:
    if not slot or not slot.get("date"):
        return ""
    day = _parse(slot.get("rescheduled_date")) or _parse(slot["date"])
    when = day_text(day, turn.lang)
    if slot.get("status") == "done":
        return turn.say("status_install_done", date=when)
    key = "status_install_moved" if slot.get("rescheduled_date") else "status_install"
    return turn.say(key, date=when, slot=slot.get("time_slot") or "")


def _parse(value: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


async def advance(turn: Turn) -> Reply:
    """Answer where an order stands, with its dates."""
    order = await verified_order(turn)
    if isinstance(order, Reply):
        return order
    turn.state.finish()
    placed = order.placed_at.date().isoformat() if order.placed_at else "-"
    text = turn.say("order_status", number=order.external_id,
                    items=items_text(order, turn.lang),
                    status=status_name(order.status, turn.lang), placed=placed)
    return Reply(text + dates_text(turn, order), SOURCE,
                 action={"action": "order_looked_up", "order_number": order.external_id})
