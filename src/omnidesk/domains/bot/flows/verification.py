"""Verify who the customer is before any order is shown or changed.

Three ways, as a shopper expects: a signed-in widget visitor (a verified ``user_id`` identity)
is verified already; anyone else gives an order number plus the phone number or email of the
customer who placed it; and a shopper without the order number gives just that phone number or
email and types the one-time code the bot sends there (by text message or email, through the
conversation's normal outbound path, to the address on file, never to one the visitor typed).
Once verified without a number, the customer picks the order from their own list.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
import secrets

from sqlalchemy import func, or_, select

from omnidesk.channels.manifests import MANIFESTS
from omnidesk.core.db import utcnow
from omnidesk.domains.bot.actions import do_link_verified_customer
from omnidesk.domains.bot.flows.base import (
    Reply,
    Turn,
    ask_again,
    find_order,
    order_number_in,
    owned_order,
)
from omnidesk.domains.bot.service import is_vip
from omnidesk.domains.commerce.models import Order
from omnidesk.domains.conversations.actions import do_add_message
from omnidesk.domains.customers.models import Customer, CustomerIdentity
from omnidesk.domains.inboxes.service import first_inbox

LOGIN_KINDS = ("user_id",)
CODE = re.compile(r"(?<!\d)(\d{6})(?!\d)")
CODE_MINUTES = 10
CODE_TRIES = 3
SOURCE = "flow:verify"


async def ensure_verified(turn: Turn) -> Reply | None:
    """Return None once the customer is verified, else the reply that asks or refuses."""
    state = turn.state
    if state.verified_customer_id is not None:
        return None
    if await _signed_in(turn):
        state.verified_customer_id, state.verified_by = turn.conv.customer_id, "login"
        return None
    if state.step == "code" and state.code:
        return await _check_code(turn)
    number = order_number_in(turn) or state.slots.get("order_number")
    contact = turn.entity("email") or turn.entity("phone")
    if number:
        state.slots["order_number"] = number
    if contact and not number:
        return await _send_code(turn, contact)
    if not (number and contact):
        asked_before = state.step == "verify"
        state.step = "verify"
        if asked_before and not number:
            return ask_again(turn, turn.say("verify_ask"), SOURCE)
        return Reply(turn.say("verify_partial" if asked_before else "verify_ask"), SOURCE)
    order = await find_order(turn, number)
    owner = await _customer(turn, order.customer_id) if order and order.customer_id else None
    if order and owner and _matches(owner, contact):
        state.slots["order_number"] = order.external_id
        return await _verified(turn, owner.id, "email" if "@" in contact else "phone")
    return _failed(turn)


async def _verified(turn: Turn, customer_id: int, by: str) -> Reply | None:
    """Link the conversation to the customer the visitor proved to be; a VIP goes to a person."""
    state = turn.state
    state.verified_customer_id, state.verified_by = customer_id, by
    state.step, state.verify_failures, state.code = None, 0, None
    await do_link_verified_customer(turn.session, conv=turn.conv, customer_id=customer_id, by=by)
    if turn.settings.handoff_vip and await is_vip(turn.session, workspace_id=turn.workspace.id,
                                                  customer_id=customer_id,
                                                  settings=turn.settings):
        return Reply("", "policy", handoff="vip_customer")
    return None


def _failed(turn: Turn, key: str = "verify_failed") -> Reply:
    state = turn.state
    state.verify_failures += 1
    state.slots.pop("order_number", None)
    if state.verify_failures >= turn.settings.max_verification_attempts:
        state.code = None
        return Reply(turn.say(key), SOURCE, handoff="verification_failed")
    return Reply(turn.say(key), SOURCE,
                 action={"action": "verification_failed", "attempt": state.verify_failures})


async def _send_code(turn: Turn, contact: str) -> Reply:
    """Send a one-time code to the matching customer's own phone or email on file."""
    identity_kind = "email" if "@" in contact else "phone"
    owner = await _customer_by_contact(turn, contact)
    if owner is None:
        return _failed(turn, "contact_unknown")
    channel = await _code_channel(turn, identity_kind)
    via = turn.say("via_mail" if identity_kind == "email" else "via_sms")
    if channel is None:
        return Reply(turn.say("code_unavailable", via=via), SOURCE,
                     choices=[turn.say("choice_person")])
    code = f"{secrets.randbelow(10**6):06d}"
    expires = utcnow() + dt.timedelta(minutes=CODE_MINUTES)
    await do_add_message(
        turn.session, conv=turn.conv, author_kind="system", channel=channel,
        text=turn.say("code_message", workspace=turn.workspace.name, code=code),
        meta={"deliver_to_customer_id": owner.id, "one_time_code": True,
              "subject": turn.say("code_subject", workspace=turn.workspace.name)})
    turn.state.code = {"digest": _digest(turn, code), "expires": expires.isoformat(),
                       "customer_id": owner.id, "by": identity_kind, "tries": 0}
    turn.state.step = "code"
    return Reply(turn.say("code_sent", target=_masked(contact)), SOURCE,
                 action={"action": "code_sent", "via": identity_kind})


async def _check_code(turn: Turn) -> Reply | None:
    """Verify the code the customer typed; a new contact sends a new code."""
    state, sent = turn.state, turn.state.code or {}
    contact = turn.entity("email") or turn.entity("phone")
    typed = CODE.search(turn.text)
    if typed is None and contact:
        return await _send_code(turn, contact)
    if dt.datetime.fromisoformat(sent["expires"]) < utcnow():
        state.code, state.step = None, "verify"
        return Reply(turn.say("code_expired"), SOURCE)
    if typed is None:
        return ask_again(turn, turn.say("code_wrong"), SOURCE)
    if not hmac.compare_digest(_digest(turn, typed.group(1)), sent["digest"]):
        sent["tries"] = int(sent.get("tries", 0)) + 1
        state.code = sent
        if sent["tries"] >= CODE_TRIES:
            state.code, state.step = None, "verify"
            return _failed(turn, "code_wrong")
        return Reply(turn.say("code_wrong"), SOURCE)
    state.slots.pop("order_number", None)
    return await _verified(turn, int(sent["customer_id"]), f"code_{sent['by']}")


def _digest(turn: Turn, code: str) -> str:
    key = turn.workspace.secret.encode()
    return hmac.new(key, f"{turn.conv.id}:{code}".encode(), hashlib.sha256).hexdigest()


def _masked(contact: str) -> str:
    if "@" in contact:
        local, _, domain = contact.strip().partition("@")
        return f"{local[:2]}***@{domain}"
    digits = _phone_digits(contact)
    return f"{digits[:3]}-****-{digits[-4:]}"


async def _code_channel(turn: Turn, identity_kind: str) -> str | None:
    """Return a connected text channel that reaches this kind of address (SMS, email)."""
    for manifest in MANIFESTS:
        if manifest.identity_kind != identity_kind or manifest.capabilities.voice:
            continue
        if await first_inbox(turn.session, workspace_id=turn.workspace.id,
                             kind=manifest.kind) is not None:
            return manifest.kind
    return None


async def _customer_by_contact(turn: Turn, contact: str) -> Customer | None:
    """Find the one customer whose own phone or email this is (None when none or several)."""
    ws = turn.workspace.id
    if "@" in contact:
        value = contact.strip().lower()
        known = select(CustomerIdentity.customer_id).where(
            CustomerIdentity.workspace_id == ws, CustomerIdentity.kind == "email",
            func.lower(CustomerIdentity.value) == value)
        query = select(Customer).where(Customer.workspace_id == ws, or_(
            func.lower(Customer.email) == value, Customer.id.in_(known)))
    else:
        tail = _phone_digits(contact)[-4:]
        query = select(Customer).where(Customer.workspace_id == ws,
                                       Customer.phone.like(f"%{tail}"))
    found = [c for c in (await turn.session.scalars(query.limit(20))).unique().all()
             if _matches(c, contact)]
    return found[0] if len(found) == 1 else None


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
