"""Change the delivery address of a pending order: verify, check, collect, confirm, change."""

from __future__ import annotations

import re

from omnidesk.core.errors import Conflict, InvalidInput
from omnidesk.domains.bot.flows.base import Reply, Turn, is_no, is_yes
from omnidesk.domains.bot.flows.policy_check import refusal, verdict
from omnidesk.domains.bot.flows.verification import verified_order
from omnidesk.domains.commerce.actions import PolicyRefused
from omnidesk.domains.commerce.models import Order

SOURCE = "flow:change_address"
POSTCODE = re.compile(r"(?<!\d)\d{5}(?!\d)")


def address_in(text: str) -> dict[str, str] | None:
    """Read an address with a 5-digit postcode from a message, or None."""
    match = POSTCODE.search(text)
    if match is None:
        return None
    line = (text[: match.start()] + text[match.end():]).strip(" ,.()")
    line = re.sub(r"\s*,\s*$", "", re.sub(r"\s+", " ", line))
    return {"address1": line, "zip": match.group(0)} if len(line) >= 4 else None


async def advance(turn: Turn) -> Reply:
    """Move the address change one step forward."""
    order = await verified_order(turn)
    if isinstance(order, Reply):
        return order
    state, number = turn.state, order.external_id
    allowed = verdict(turn, order, "change_address")
    if not allowed.allowed:
        return await refusal(turn, order, allowed)
    if state.step == "confirm" and state.slots.get("address"):
        return await _confirmed(turn, order)
    address = address_in(turn.text) if state.step == "address" else None
    if address is None:
        state.step = "address"
        return Reply(turn.say("address_ask", number=number), SOURCE)
    state.slots["address"], state.step = address, "confirm"
    shown = f"{address['address1']} ({address['zip']})"
    return Reply(turn.say("address_confirm", number=number, address=shown), SOURCE)


async def _confirmed(turn: Turn, order: Order) -> Reply:
    state, number = turn.state, order.external_id
    if is_no(turn.text):
        state.finish()
        return Reply(turn.say("declined"), SOURCE,
                     action={"action": "address_change_declined", "order_number": number})
    if not is_yes(turn.text):
        return Reply(turn.say("yes_no"), SOURCE)
    try:
        await turn.connector.change_address(number, address=state.slots["address"])
    except PolicyRefused as refused:
        return await refusal(turn, order, refused.verdict)
    except (Conflict, InvalidInput):
        state.finish()
        return Reply(turn.say("flow_failed"), SOURCE, handoff="flow_failed")
    state.finish()
    return Reply(turn.say("address_done", number=number), SOURCE,
                 action={"action": "address_changed", "order_number": number})
