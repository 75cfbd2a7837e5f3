"""Membership tier and points of the verified customer."""

from __future__ import annotations

from omnidesk.domains.assist.service import build_profile
from omnidesk.domains.bot.flows.base import Reply, Turn
from omnidesk.domains.bot.flows.verification import ensure_verified
from omnidesk.domains.customers.service import get_customer

SOURCE = "flow:membership_tier"


async def advance(turn: Turn) -> Reply:
    """Tell the customer's tier, points and what is left to the next tier."""
    asked = await ensure_verified(turn)
    if asked is not None:
        return asked
    customer_id = turn.state.verified_customer_id
    assert customer_id is not None
    profile = await build_profile(turn.session, actor=turn.actor, customer_id=customer_id,
                                  locale=turn.lang)
    customer = await get_customer(turn.session, workspace_id=turn.workspace.id,
                                  customer_id=customer_id)
    points = int((customer.attributes or {}).get("points") or 0)
    tier = profile.tier
    upcoming = turn.say("membership_next", next_tier=tier.next_name,
                        remaining=tier.remaining_text) if tier.next_name else ""
    turn.state.finish()
    return Reply(turn.say("membership", tier=tier.name, points=f"{points:,}", next=upcoming),
                 SOURCE, action={"action": "membership_looked_up", "tier": tier.key})
