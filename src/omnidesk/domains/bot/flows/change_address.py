"""Change the delivery address of a pending order: verify, check, collect, confirm, change.

The customer writes the address in their own words; the bot reads road, detail and postcode
(asking only for what is missing) and changes just those: the recipient and phone on the order
stay unless the customer names new ones.
"""

from __future__ import annotations

import re
from dataclasses import asdict
from typing import Any

from omnidesk.core.errors import Conflict, InvalidInput
from omnidesk.domains.bot.addresses import POSTCODE, ParsedAddress, merge_address, parse_address
from omnidesk.domains.bot.flows.base import (
    Reply,
    Turn,
    ask_again,
    is_no,
    is_yes,
    yes_no_choices,
)
from omnidesk.domains.bot.flows.policy_check import refusal, verdict
from omnidesk.domains.bot.flows.verification import verified_order
from omnidesk.domains.commerce.actions import PolicyRefused
from omnidesk.domains.commerce.models import Order

SOURCE = "flow:change_address"
NO_POSTCODE = re.compile(r"모르|모름|몰라|없어|don'?t know|no idea|not sure", re.IGNORECASE)


def address_in(text: str) -> dict[str, Any] | None:
    """Read an address from a message as stored slots (road, detail, postcode…), or None."""
    parsed = parse_address(text)
    return asdict(parsed) if parsed is not None else None


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
    if state.step == "postcode":
        return _postcode(turn, order)
    address = address_in(turn.text) if state.step in (None, "address") else None
    if address is None:
        if state.step == "address":
            return ask_again(turn, turn.say("address_unclear"), SOURCE)
        state.step = "address"
        return Reply(turn.say("address_ask", number=number), SOURCE)
    state.slots["address"] = address
    if not address["postcode"]:
        state.step = "postcode"
        return Reply(turn.say("address_postcode_ask", road=address["road"]), SOURCE,
                     choices=[turn.say("choice_no_postcode")])
    return _confirm(turn, order)


def _postcode(turn: Turn, order: Order) -> Reply:
    """Take the postcode the customer was asked for (or go on without it when they don't know)."""
    address = turn.state.slots["address"]
    found = POSTCODE.search(turn.text)
    if found:
        address["postcode"] = found.group(1)
    elif not NO_POSTCODE.search(turn.text):
        return ask_again(turn, turn.say("address_postcode_ask", road=address["road"]), SOURCE,
                         choices=[turn.say("choice_no_postcode")])
    turn.state.slots["address"] = address
    return _confirm(turn, order)


def _confirm(turn: Turn, order: Order) -> Reply:
    parsed = ParsedAddress(**turn.state.slots["address"])
    turn.state.step = "confirm"
    text = turn.say("address_confirm", number=order.external_id,
                    address=parsed.shown(turn.say("no_postcode")))
    recipient = (order.address or {}).get("recipient") or (order.address or {}).get("name")
    if recipient and not parsed.recipient:
        text += turn.say("address_keeps", recipient=recipient)
    return Reply(text, SOURCE, choices=yes_no_choices(turn))


async def _confirmed(turn: Turn, order: Order) -> Reply:
    state, number = turn.state, order.external_id
    if is_no(turn.text):
        state.finish()
        return Reply(turn.say("declined"), SOURCE,
                     action={"action": "address_change_declined", "order_number": number})
    if not is_yes(turn.text):
        return ask_again(turn, turn.say("yes_no"), SOURCE, choices=yes_no_choices(turn))
    address = merge_address(order.address, ParsedAddress(**state.slots["address"]))
    try:
        await turn.connector.change_address(number, address=address)
    except PolicyRefused as refused:
        return await refusal(turn, order, refused.verdict)
    except (Conflict, InvalidInput):
        state.finish()
        return Reply(turn.say("flow_failed"), SOURCE, handoff="flow_failed")
    state.finish()
    return Reply(turn.say("address_done", number=number), SOURCE,
                 action={"action": "address_changed", "order_number": number})
