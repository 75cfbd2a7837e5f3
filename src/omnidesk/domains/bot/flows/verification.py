"""Verify who the customer is before any order is shown or changed.

A signed-in widget visitor (a verified ``user_id`` identity) is verified already; anyone else
gives an order number plus the phone number or email of the customer who placed it.
"""

from __future__ import annotations

import re

from sqlalchemy import select

from omnidesk.domains.bot.actions import do_link_verified_customer
from omnidesk.domains.bot.flows.base import Reply, Turn, find_order, order_number_in, owned_order
from omnidesk.domains.bot.service import is_vip
from omnidesk.domains.commerce.models import Order
from omnidesk.domains.customers.models import Customer, CustomerIdentity

LOGIN_KINDS = ("user_id",)


async def ensure_verified(turn: Turn) -> Reply | None:
    """Return None once the customer is verified, else the reply that asks or refuses."""
    state = turn.state
    if state.verified_customer_id is not None:
        return None
    if await _signed_in(turn):
        state.verified_customer_id, state.verified_by = turn.conv.customer_id, "login"
        return None
    number = order_number_in(turn) or state.slots.get("order_number")
    contact = turn.entity("email") or turn.entity("phone")
    if number:
        state.slots["order_number"] = number
    if not (number and contact):
        partial = state.step == "verify" and bool(number or contact)
        state.step = "verify"
        return Reply(turn.say("verify_partial" if partial else "verify_ask"), "flow:verify")
    order = await find_order(turn, number)
    owner = await _customer(turn, order.customer_id) if order and order.customer_id else None
    if order and owner and _matches(owner, contact):
        state.verified_customer_id = owner.id
        state.verified_by = "email" if "@" in contact else "phone"
        state.slots["order_number"], state.step, state.verify_failures = order.external_id, None, 0
        return await _verified(turn, owner.id)
    return await _failed(turn)


async def _verified(turn: Turn, customer_id: int) -> Reply | None:
    """Link the conversation to the customer the visitor proved to be; a VIP goes to a person."""
    await do_link_verified_customer(turn.session, conv=turn.conv, customer_id=customer_id,
                                    by=turn.state.verified_by or "-")
    if turn.settings.handoff_vip and await is_vip(turn.session, workspace_id=turn.workspace.id,
                                                  customer_id=customer_id,
                                                  settings=turn.settings):
        return Reply("", "policy", handoff="vip_customer")
    return None


async def _failed(turn: Turn) -> Reply:
    state = turn.state
    state.verify_failures += 1
    state.slots.pop("order_number", None)
    if state.verify_failures >= turn.settings.max_verification_attempts:
        return Reply(turn.say("verify_failed"), "flow:verify", handoff="verification_failed")
    return Reply(turn.say("verify_failed"), "flow:verify",
                 action={"action": "verification_failed", "attempt": state.verify_failures})


async def _signed_in(turn: Turn) -> bool:
    found = await turn.session.scalar(select(CustomerIdentity.id).where(
        CustomerIdentity.workspace_id == turn.workspace.id,
        CustomerIdentity.customer_id == turn.conv.customer_id,
        CustomerIdentity.kind.in_(LOGIN_KINDS), CustomerIdentity.verified.is_(True)).limit(1))
    return found is not None


async def _customer(turn: Turn, customer_id: int) -> Customer | None:
    return await turn.session.scalar(select(Customer).where(
        Customer.workspace_id == turn.workspace.id, Customer.id == customer_id))


def _phone_digits(value: str) -> str:
    digits = re.sub(r"\D", "", value)
    return "0" + digits[2:] if digits.startswith("82") else digits


def _matches(customer: Customer, contact: str) -> bool:
    """Compare an email (case-insensitive) or phone (digits) with the customer's own."""
    if "@" in contact:
        known = {customer.email or ""} | {i.value for i in customer.identities
                                          if i.kind == "email"}
        return contact.strip().lower() in {k.strip().lower() for k in known if k}
    known = {customer.phone or ""} | {i.value for i in customer.identities if i.kind == "phone"}
    return _phone_digits(contact) in {_phone_digits(k) for k in known if k}


async def verified_order(turn: Turn) -> Order | Reply:
    """Verify the customer first, then return their order in discussion (or what to ask)."""
    asked = await ensure_verified(turn)
    if asked is not None:
        return asked
    return await owned_order(turn)
