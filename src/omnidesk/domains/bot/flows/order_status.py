"""Order status: verify, find the order, tell its status."""

from __future__ import annotations

from omnidesk.domains.bot.flows.base import Reply, Turn, items_text
from omnidesk.domains.bot.flows.verification import verified_order
from omnidesk.domains.bot.texts import status_name

SOURCE = "flow:order_status"


async def advance(turn: Turn) -> Reply:
    """Answer where an order stands."""
    order = await verified_order(turn)
    if isinstance(order, Reply):
        return order
    turn.state.finish()
    placed = order.placed_at.date().isoformat() if order.placed_at else "-"
    return Reply(turn.say("order_status", number=order.external_id,
                          items=items_text(order, turn.lang),
                          status=status_name(order.status, turn.lang), placed=placed), SOURCE,
                 action={"action": "order_looked_up", "order_number": order.external_id})
