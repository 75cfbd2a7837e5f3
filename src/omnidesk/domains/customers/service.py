"""Customer reads: fetch, search by name/email/phone, identity look-up and verification."""

from __future__ import annotations

import re
from functools import cache

from sqlalchemy import ColumnElement, Select, bindparam, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.core.db import flush_pending, get_in_workspace
from omnidesk.core.errors import NotFound
from omnidesk.core.pagination import paginate
from omnidesk.core.security import constant_time_equals, hmac_sha256_hex
from omnidesk.domains.customers.contact import (
    PII_FIELDS,
    ContactView,
    mask_identity,
    masked_attributes,
    masked_contact,
    revealed_contact,
)
from omnidesk.domains.customers.models import Customer, CustomerIdentity
from omnidesk.domains.customers.schemas import MergeSuggestion

# The contact masking rule (customers/contact.py) is read by other domains through this module.
__all__ = ["PII_FIELDS", "SIGNABLE", "ContactView", "find_by_external_id", "find_by_identity",
           "get_customer", "get_customer_id", "get_customers_by_ids", "get_visible_customer", "list_customers",
           "list_merge_suggestions", "mask_identity", "masked_attributes", "masked_contact",
           "normalize_email", "profile_handle", "revealed_contact", "search_query",
           "signed_attributes", "signing_message"]


async def get_customer(session: AsyncSession, *, workspace_id: int, customer_id: int) -> Customer:
    """Return a customer of the workspace or raise NotFound."""
    return await get_in_workspace(session, Customer, workspace_id=workspace_id,
                                  object_id=customer_id, what="customer")


async def get_customer_id(session: AsyncSession, *, workspace_id: int, customer_id: int) -> int:
    """Return the id of a customer of the workspace (one narrow read, nothing loaded) or raise
    NotFound: for a caller that only checks the customer is the workspace's (intake)."""
    await flush_pending(session)
    found = (await (await session.connection()).execute(_customer_id_query(), {
        "customer_id": customer_id, "workspace_id": workspace_id})).scalar()
    if found is None:
        raise NotFound("customer not found")
    return int(found)


@cache
def _customer_id_query() -> Select[int]:
    """Build the narrow read once."""
    return select(Customer.id).where(Customer.id == bindparam("customer_id"),
                                     Customer.workspace_id == bindparam("workspace_id"))


async def list_identity_handles(session: AsyncSession, *, workspace_id: int, customer_id: int,
                                kinds: tuple[str, ...]) -> list[tuple[str, str]]:
    """Return a customer's (kind, value) identities of these kinds, in id order (one narrow
    read, for pushes to the customer's own screens; none for a customer deleted since)."""
    rows = await session.execute(
        select(CustomerIdentity.kind, CustomerIdentity.value)
        .where(CustomerIdentity.workspace_id == workspace_id,
               CustomerIdentity.customer_id == customer_id, CustomerIdentity.kind.in_(kinds))
        .order_by(CustomerIdentity.id))
    return [(kind, value) for kind, value in rows.all()]


async def get_visible_customer(
    session: AsyncSession, *, workspace_id: int, customer_id: int,
    visible: Select[int] | None,
) -> Customer:
    """Return a customer whose id is among `visible` (None: any), or raise NotFound.

    `visible` comes from conversations.service.visible_customer_ids, the owner of the rule.
    """
    customer = await get_customer(session, workspace_id=workspace_id, customer_id=customer_id)
    if visible is not None and not await session.scalar(
            select(Customer.id).where(Customer.id == customer_id, Customer.id.in_(visible))):
        raise NotFound("customer not found")
    return customer


async def get_customers_by_ids(
    session: AsyncSession, *, workspace_id: int, customer_ids: set[int]
) -> dict[int, Customer]:
    """Return the workspace's customers with these ids, keyed by id (one query)."""
    if not customer_ids:
        return {}
    rows = await session.scalars(
        select(Customer).where(Customer.workspace_id == workspace_id,
                               Customer.id.in_(customer_ids))
    )
    return {c.id: c for c in rows.all()}


async def find_by_identity(
    session: AsyncSession, *, workspace_id: int, kind: str, value: str
) -> Customer | None:
    """Return the customer owning this channel identity, if any."""
    return await session.scalar(
        select(Customer)
        .join(CustomerIdentity, CustomerIdentity.customer_id == Customer.id)
        .where(
            CustomerIdentity.workspace_id == workspace_id,
            CustomerIdentity.kind == kind,
            CustomerIdentity.value == value,
        )
    )


def search_query(workspace_id: int, q: str | None, visible: Select[int] | None = None,
                 identity_kind: str | None = None) -> Select[Customer]:
    """Build the customer search: name, email, phone digits or any identity value, optionally
    only customers with an identity of one kind (a channel's handle)."""
    query = select(Customer).where(
        Customer.workspace_id == workspace_id, Customer.merged_into_id.is_(None)
    )
    if visible is not None:
        query = query.where(Customer.id.in_(visible))
    if identity_kind:
        query = query.where(Customer.id.in_(select(CustomerIdentity.customer_id).where(
            CustomerIdentity.workspace_id == workspace_id,
            CustomerIdentity.kind == identity_kind)))
    if not q or not q.strip():
        return query
    term = q.strip()
    like = f"%{term.lower()}%"
    clauses = [Customer.name.ilike(f"%{term}%"), Customer.email.ilike(like)]
    digits = re.sub(r"\D", "", term)
    identity_values = [CustomerIdentity.value.ilike(like)]
    if len(digits) >= 4:  # 010-9876-5432 finds +821098765432
        clauses.append(Customer.phone.like(f"%{digits.lstrip('0')}%"))
        identity_values.append(CustomerIdentity.value.like(f"%{digits.lstrip('0')}%"))
    identity_match = select(CustomerIdentity.customer_id).where(
        CustomerIdentity.workspace_id == workspace_id, or_(*identity_values)
    )
    clauses.append(Customer.id.in_(identity_match))
    return query.where(or_(*clauses))


async def list_customers(
    session: AsyncSession, *, workspace_id: int, q: str | None, cursor: str | None, limit: int,
    visible: Select[int] | None = None, identity_kind: str | None = None,
) -> list[Customer]:
    """Search the customers in `visible` (None: all), newest first, one page plus one row."""
    query = paginate(search_query(workspace_id, q, visible, identity_kind), Customer.id,
                     cursor=cursor, limit=limit)
    return list((await session.scalars(query)).all())


def profile_handle(customer: Customer, identity_kind: str) -> str | None:
    """Return the profile's own address of an identity kind (its email or phone), if any."""
    return {"email": customer.email, "phone": customer.phone}.get(identity_kind)


def _handles(customer: Customer) -> dict[str, set[str]]:
    handles: dict[str, set[str]] = {"email": set(), "phone": set()}
    for kind, value in (("email", customer.email), ("phone", customer.phone)):
        if value:
            handles[kind].add(value.lower())
    for identity in customer.identities:
        if identity.kind in handles:
            handles[identity.kind].add(identity.value.lower())
    return handles


async def list_merge_suggestions(
    session: AsyncSession, *, workspace_id: int, customer_id: int, limit: int = 10,
    visible: Select[int] | None = None,
) -> list[MergeSuggestion]:
    """Suggest live customers (among `visible`) sharing an email, phone or name with this one."""
    customer = await get_customer(session, workspace_id=workspace_id, customer_id=customer_id)
    handles = _handles(customer)
    values = handles["email"] | handles["phone"]
    by_identity = select(CustomerIdentity.customer_id).where(
        CustomerIdentity.workspace_id == workspace_id,
        CustomerIdentity.kind.in_(("email", "phone")),
        func.lower(CustomerIdentity.value).in_(values))
    clauses: list[ColumnElement[bool]] = [
        Customer.id.in_(by_identity), func.lower(Customer.email).in_(values),
        Customer.phone.in_(values)]
    if customer.name and customer.name.strip():
        clauses.append(Customer.name == customer.name)
    query = select(Customer).where(Customer.workspace_id == workspace_id,
                                   Customer.id != customer.id,
                                   Customer.merged_into_id.is_(None), or_(*clauses))
    if visible is not None:
        query = query.where(Customer.id.in_(visible))
    rows = await session.scalars(query.order_by(Customer.id).limit(limit))
    return [MergeSuggestion(customer_id=other.id, name=other.name,
                            reasons=_reasons(customer, handles, other))
            for other in rows.all()]


def _reasons(customer: Customer, handles: dict[str, set[str]], other: Customer) -> list[str]:
    theirs = _handles(other)
    reasons = [f"same {kind}" for kind in ("email", "phone") if handles[kind] & theirs[kind]]
    if customer.name and customer.name == other.name:
        reasons.append("same name")
    return reasons


# Identity verification: the one rule for what a contact has proven about themselves.
#
# Only attributes covered by a valid signature (the site's HMAC-SHA256, keyed with the workspace
# secret, over the claimed attributes) or proven by a one-time code are verified. Everything else
# a contact says about themselves (an email typed into a pre-chat form, an email or phone in a
# message, an unsigned attribute sent next to a signed user id, an API channel user's email) is
# unverified contact info: it may fill an empty profile field, and never merges customers,
# attaches a visitor to an existing customer, reveals history or subscribes them to another
# customer's realtime events. `customers.actions.do_resolve_identity` applies the rule.
#
# Signing scheme (the widget's `data-signature`):
# - `hex(HMAC-SHA256(secret, user_id))` proves the user id alone (unchanged since the start);
# - `hex(HMAC-SHA256(secret, "user_id=<id>\nemail=<email>"))` proves the user id and the email,
#   byte for byte as sent (one `name=value` line per attribute, in the order of SIGNABLE).
SIGNABLE = ("user_id", "email")


def signing_message(claims: dict[str, str]) -> str:
    """Return the canonical text a site signs to vouch for several attributes at once."""
    return "\n".join(f"{name}={claims[name]}" for name in SIGNABLE if claims.get(name))


def signed_attributes(secret: str, *, user_id: str | None, email: str | None,
                      signature: str | None) -> frozenset[str]:
    """Return the attributes a signature proves: nothing, the user id, or user id and email."""
    if not user_id or not signature or _has_line_break(user_id):
        return frozenset()
    given = signature.strip().lower()
    if email and not _has_line_break(email) and constant_time_equals(given, hmac_sha256_hex(
            secret, signing_message({"user_id": user_id, "email": email}))):
        return frozenset({"user_id", "email"})
    if constant_time_equals(given, hmac_sha256_hex(secret, user_id)):
        return frozenset({"user_id"})
    return frozenset()


def normalize_email(value: str) -> str:
    """Return the form an email identity is stored and matched in."""
    return value.strip().lower()


def _has_line_break(value: str) -> bool:
    """A value holding a line break could shift attributes between lines of the message."""
    return "\n" in value or "\r" in value


async def find_by_external_id(session: AsyncSession, *, workspace_id: int,
                              external_id: str) -> Customer | None:
    """Return the (surviving) customer the store knows by this id, or None."""
    return await session.scalar(select(Customer).where(
        Customer.workspace_id == workspace_id, Customer.external_id == external_id,
        Customer.merged_into_id.is_(None)).order_by(Customer.id).limit(1))
