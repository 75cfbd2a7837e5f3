"""Cancel a pending order: verify, check the status, ask the reason, confirm, cancel."""

from __future__ import annotations

import re

from omnidesk.core.errors import Conflict
from omnidesk.domains.bot.flows.base import (
    Reply,
    Turn,
    ask_again,
    is_no,
    is_yes,
    items_text,
    money,
    owned_order,
    refund_text,
    yes_no_choices,
)
from omnidesk.domains.bot.flows.policy_check import refusal, verdict
from omnidesk.domains.bot.flows.verification import verified_order
from omnidesk.domains.bot.texts import REASONS, reason_name
from omnidesk.domains.commerce.actions import PolicyRefused

SOURCE = "flow:cancel_order"
MISTAKE = re.compile(r"실수|잘못|mistake|by accident|wrong", re.IGNORECASE)
# Not a reason: a question, a bare yes/no, digits or a word too short to mean anything.
NOT_A_REASON = re.compile(r"[?？]|^\W*$|^\s*[\d\W]+\s*$|^\s*(음+|흠+|글쎄요?|몰라요?|그냥|hmm+|um+)\W*$",
                          re.IGNORECASE)
NOT_NEEDED = re.compile(r"필요\s*없|필요없|안\s*필요|마음이\s*바뀌|no longer|don'?t need|not need"
                        r"|changed my mind", re.IGNORECASE)


def reason_in(text: str) -> str | None:
    """Map the customer's words to one of the store's two usual reasons, else None."""
    if MISTAKE.search(text):
        return "ordered by mistake"
    if NOT_NEEDED.search(text):
        return "no longer needed"
    return None


def own_reason(text: str) -> str | None:
    """Take the customer's own words as the reason when they read like one."""
    words = " ".join(text.split()).strip(" .,!~")
    if len(words) < 2 or NOT_A_REASON.search(words) or is_yes(words) or is_no(words):
        return None
    return words[:200]


async def advance(turn: Turn) -> Reply:
    """Move the cancellation one step forward."""
    order = await verified_order(turn)
    if isinstance(order, Reply):
        return order
    state, number = turn.state, order.external_id
    allowed = verdict(turn, order, "cancel")
    if not allowed.allowed:
        return await refusal(turn, order, allowed)
    if state.step == "confirm":
        return await _confirmed(turn, number)
    reason = state.slots.get("reason") or reason_in(turn.text)
    if reason is None and state.step == "reason":
        reason = own_reason(turn.text)
        if reason is None:
            return ask_again(turn, turn.say("cancel_reason", number=number), SOURCE,
                             choices=[reason_name(r, turn.lang) for r in REASONS])
    if reason is None:
        state.step = "reason"
        return Reply(turn.say("cancel_reason", number=number), SOURCE)
    state.slots["reason"], state.step = reason, "confirm"
    return Reply(turn.say("cancel_confirm", number=number, items=items_text(order, turn.lang),
                          total=money(order.total, order.currency),
                          reason=reason_name(reason, turn.lang)), SOURCE,
                 choices=yes_no_choices(turn))


async def _confirmed(turn: Turn, number: str) -> Reply:
    state = turn.state
    if is_no(turn.text):
        state.finish()
        return Reply(turn.say("declined"), SOURCE,
                     action={"action": "cancel_declined", "order_number": number})
    if not is_yes(turn.text):
        return ask_again(turn, turn.say("yes_no"), SOURCE, choices=yes_no_choices(turn))
    reason = state.slots.get("reason", "no longer needed")
    try:
        await turn.connector.cancel_order(number, reason=reason)
    except PolicyRefused as refused:
        order = await owned_order(turn)
        if not isinstance(order, Reply):
            return await refusal(turn, order, refused.verdict)
        state.finish()
        return Reply(turn.say("flow_failed"), SOURCE, handoff="flow_failed")
    except Conflict:
        state.finish()
        return Reply(turn.say("flow_failed"), SOURCE, handoff="flow_failed")
    order = await owned_order(turn)
    state.finish()
    refund = refund_text(turn, order) if not isinstance(order, Reply) else ""
    return Reply(turn.say("cancel_done", number=number, refund=refund), SOURCE,
                 action={"action": "order_cancelled", "order_number": number, "reason": reason,
                         "amount": str(order.total) if not isinstance(order, Reply) else None})
