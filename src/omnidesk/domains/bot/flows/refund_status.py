"""Refund status: verify, find the order, say where the refund stands and when it arrives."""

from __future__ import annotations

from omnidesk.domains.bot.flows.base import Reply, Turn, money, refund_text
from omnidesk.domains.bot.flows.verification import verified_order

SOURCE = "flow:refund_status"


async def advance(turn: Turn) -> Reply:
    """Tell the refund status of an order."""
    order = await verified_order(turn)
    if isinstance(order, Reply):
        return order
    status = await turn.connector.refund_status(order.external_id)
    turn.state.finish()
    key = {"refunded": "refund_done", "requested": "refund_requested"}.get(status.status,
                                                                          "refund_none")
    amount = money(status.amount or order.total, status.currency)
    return Reply(turn.say(key, number=order.external_id, amount=amount,
                          refund=refund_text(turn, order)), SOURCE,
                 action={"action": "refund_looked_up", "order_number": order.external_id,
                         "status": status.status})
