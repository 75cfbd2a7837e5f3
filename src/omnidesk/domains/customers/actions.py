"""Customer writes: create, update, attach identities and resolve an inbound identity."""

from __future__ import annotations

from functools import cache
from typing import Any, cast

from sqlalchemy import Table, Update, bindparam, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import raiseload
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.util import identity_key

from omnidesk.core.audit import audit
from omnidesk.core.context import Actor
from omnidesk.core.db import flush_pending, utcnow
from omnidesk.core.errors import Conflict
from omnidesk.core.events import emit
from omnidesk.domains.customers import events as ev
from omnidesk.domains.customers.contact import kept_hidden_attributes
from omnidesk.domains.customers.merge_actions import do_merge_customers
from omnidesk.domains.customers.models import Customer, CustomerIdentity
from omnidesk.domains.customers.schemas import CustomerCreate, CustomerUpdate, IdentityIn
from omnidesk.domains.customers.service import find_by_identity, get_customer, normalize_email


async def do_create_customer(
    session: AsyncSession, *, actor: Actor, customer_in: CustomerCreate
) -> Customer:
    """Create a customer with its identities; email and phone become identities too."""
    identities = list(customer_in.identities)
    if customer_in.email:
        identities.append(IdentityIn(kind="email", value=customer_in.email.lower()))
    if customer_in.phone:
        identities.append(IdentityIn(kind="phone", value=customer_in.phone))
    for identity in identities:
        owner = await find_by_identity(session, workspace_id=actor.workspace_id,
                                       kind=identity.kind, value=identity.value)
        if owner is not None:
            raise Conflict(f"{identity.kind} {identity.value} already belongs to customer "
                           f"{owner.id}", field="identities")
    customer = Customer(
        workspace_id=actor.workspace_id, name=customer_in.name,
        email=customer_in.email.lower() if customer_in.email else None, phone=customer_in.phone,
        locale=customer_in.locale, external_id=customer_in.external_id,
        attributes=customer_in.attributes, tags=customer_in.tags, identities=[],
    )
    session.add(customer)
    await session.flush()
    for identity in {(i.kind, i.value): i for i in identities}.values():
        _attach(customer, identity.kind, identity.value, identity.verified)
    await session.flush()
    _record(session, actor, ev.CustomerCreated(customer_id=customer.id))
    return customer


async def do_update_customer(
    session: AsyncSession, *, actor: Actor, customer_id: int, customer_in: CustomerUpdate
) -> Customer:
    """Update a customer's profile fields."""
    customer = await get_customer(session, workspace_id=actor.workspace_id,
                                  customer_id=customer_id)
    changes = customer_in.model_dump(exclude_unset=True)
    if changes.get("attributes") is not None:  # reads never showed the hidden ones: keep them
        changes["attributes"] = kept_hidden_attributes(customer.attributes or {},
                                                       changes["attributes"])
    for key, value in changes.items():
        setattr(customer, key, value.lower() if key == "email" and value else value)
    if changes.get("email"):
        await _ensure_identity(session, customer, "email", changes["email"].lower(), False)
    if changes.get("phone"):
        await _ensure_identity(session, customer, "phone", changes["phone"], False)
    _record(session, actor, ev.CustomerUpdated(customer_id=customer.id, fields=sorted(changes)))
    return customer


async def do_add_identity(
    session: AsyncSession, *, actor: Actor, customer_id: int, identity_in: IdentityIn
) -> CustomerIdentity:
    """Attach a channel identity to a customer; it must not belong to someone else."""
    customer = await get_customer(session, workspace_id=actor.workspace_id,
                                  customer_id=customer_id)
    identity = await _ensure_identity(session, customer, identity_in.kind, identity_in.value,
                                      identity_in.verified)
    _record(session, actor,
            ev.CustomerIdentityAdded(customer_id=customer.id, kind=identity.kind))
    return identity


async def do_resolve_identity(
    session: AsyncSession,
    *,
    workspace_id: int,
    kind: str,
    value: str,
    verified: bool = False,
    name: str | None = None,
    email: str | None = None,
    phone: str | None = None,
    email_verified: bool = False,
    phone_verified: bool = False,
    inbox_id: int | None = None,
) -> Customer:
    """Return the customer behind an inbound identity, creating one on first contact.

    Only proven handles (``verified`` for the identity, ``email_verified`` / ``phone_verified``
    for the others; see `customers.service.signed_attributes`) may link or merge customers;
    unproven email and phone only fill the profile's empty contact fields.
    """
    proven = _proven_handles(email if email_verified else None,
                             phone if phone_verified else None)
    if not verified and not proven:  # the hot path: one UPDATE … RETURNING finds the customer
        customer = await _touch_by_identity(session, workspace_id, kind, value)
        if customer is not None:
            _fill_profile(customer, name, email, phone)
            await session.flush()
            return customer
        return await _create_for_identity(session, workspace_id, kind, value, verified,
                                          name=name, email=email, phone=phone, inbox_id=inbox_id)
    customer = await find_by_identity(session, workspace_id=workspace_id, kind=kind, value=value)
    owner = await _match_proven(session, workspace_id, proven)
    if customer is not None and owner is not None and owner.id != customer.id and verified:
        # Both the identity and the email/phone are proven: one person, fold this record in.
        customer = await do_merge_customers(session, source=customer, target=owner,
                                            reason="verified_identity")
    customer = customer or owner
    if customer is None:
        customer = await _create_for_identity(session, workspace_id, kind, value, verified,
                                              name=name, email=email, phone=phone,
                                              inbox_id=inbox_id)
    elif not any(i.kind == kind and i.value == value for i in customer.identities):
        _attach(customer, kind, value, verified, inbox_id=inbox_id)
    await _prove_handles(session, customer, proven)
    _fill_profile(customer, name, email, phone)
    customer.last_seen_at = utcnow()
    await session.flush()
    return customer


async def do_resolve_customer_id(
    session: AsyncSession, *, workspace_id: int, kind: str, value: str, verified: bool = False,
    name: str | None = None, email: str | None = None, phone: str | None = None,
    email_verified: bool = False, phone_verified: bool = False, inbox_id: int | None = None,
) -> int:
    """Return the id of the customer behind an inbound identity, as ``do_resolve_identity``
    resolves it (the same writes), for a caller that needs only the id (intake).

    A known identity without proven handles costs one Core statement and loads no customer.
    """
    proven = _proven_handles(email if email_verified else None,
                             phone if phone_verified else None)
    if verified or proven:
        customer = await do_resolve_identity(
            session, workspace_id=workspace_id, kind=kind, value=value, verified=verified,
            name=name, email=email, phone=phone, email_verified=email_verified,
            phone_verified=phone_verified, inbox_id=inbox_id)
        return customer.id
    found = await _touch_owner(session, workspace_id, kind, value, name, email, phone)
    if found is not None:
        return found
    customer = await _create_for_identity(session, workspace_id, kind, value, verified,
                                          name=name, email=email, phone=phone,
                                          inbox_id=inbox_id)
    return customer.id


async def _touch_owner(session: AsyncSession, workspace_id: int, kind: str, value: str,
                       name: str | None, email: str | None, phone: str | None) -> int | None:
    """Stamp last_seen_at on the identity's owner and fill its empty name, email and phone (as
    ``_fill_profile`` does) in one statement; return its id. A copy of the owner already in the
    session gets the stored values, as an ORM update would have given it."""
    await flush_pending(session)
    now = utcnow()
    row = (await (await session.connection()).execute(_touch_owner_query(), {
        "scope_id": workspace_id, "kind": kind, "value": value, "now": now,
        "new_name": name, "new_email": email, "new_phone": phone})).first()
    if row is None:
        return None
    loaded = session.identity_map.get(identity_key(Customer, row.id))
    if loaded is not None:
        for key, stored in (("name", row.name), ("email", row.email), ("phone", row.phone),
                            ("last_seen_at", now), ("updated_at", now)):
            set_committed_value(loaded, key, stored)
    return int(row.id)


@cache
def _touch_owner_query() -> Update:
    """Build the owner's touch once (every message of a known sender runs it)."""
    customers = cast(Table, Customer.__table__)
    identities = cast(Table, CustomerIdentity.__table__)
    owner_id = (select(identities.c.customer_id)
                .where(identities.c.workspace_id == bindparam("scope_id"),
                       identities.c.kind == bindparam("kind"),
                       identities.c.value == bindparam("value"))
                .scalar_subquery())

    def filled(column: Any, param: str) -> Any:  # `stored or new`: NULL and '' are empty
        return func.coalesce(func.nullif(column, ""), bindparam(param, type_=column.type))

    now = bindparam("now", type_=customers.c.last_seen_at.type)
    return (update(customers)
            .where(customers.c.id == owner_id, customers.c.workspace_id == bindparam("scope_id"))
            .values(last_seen_at=now, updated_at=now,
                    name=filled(customers.c.name, "new_name"),
                    email=filled(customers.c.email, "new_email"),
                    phone=filled(customers.c.phone, "new_phone"))
            .returning(customers.c.id, customers.c.name, customers.c.email, customers.c.phone))


async def do_link_verified_visitor(session: AsyncSession, *, workspace_id: int, visitor_id: int,
                                   customer_id: int) -> bool:
    """Fold an anonymous visitor into the customer they proved to be (e.g. to the bot, with an
    order number and that order's phone or email); return whether it was folded.

    A visitor with contact details or proven identities of its own may be another person's
    record, so it is left alone (an agent can still merge it by hand).
    """
    if visitor_id == customer_id:
        return False
    visitor = await get_customer(session, workspace_id=workspace_id, customer_id=visitor_id)
    owner = await get_customer(session, workspace_id=workspace_id, customer_id=customer_id)
    known = (visitor.email, visitor.phone, visitor.external_id, visitor.merged_into_id)
    if any(known) or any(i.verified for i in visitor.identities) or owner.merged_into_id:
        return False
    await do_merge_customers(session, source=visitor, target=owner, reason="bot_verified")
    return True


def _proven_handles(email: str | None, phone: str | None) -> list[tuple[str, str]]:
    handles = [("email", normalize_email(email))] if email else []
    return handles + ([("phone", phone)] if phone else [])


async def _match_proven(
    session: AsyncSession, workspace_id: int, proven: list[tuple[str, str]]
) -> Customer | None:
    """Return the customer owning one of the proven handles (never an unproven one)."""
    for kind, value in proven:
        found = await find_by_identity(session, workspace_id=workspace_id, kind=kind,
                                       value=value)
        if found is not None:
            return found
    return None


async def _prove_handles(session: AsyncSession, customer: Customer,
                         proven: list[tuple[str, str]]) -> None:
    """Mark the customer's proven handles verified, adding those nobody else owns."""
    for kind, value in proven:
        mine = next((i for i in customer.identities if i.kind == kind and i.value == value),
                    None)
        if mine is not None:
            mine.verified = True
        elif await find_by_identity(session, workspace_id=customer.workspace_id, kind=kind,
                                    value=value) is None:
            _attach(customer, kind, value, True)


async def _touch_by_identity(
    session: AsyncSession, workspace_id: int, kind: str, value: str
) -> Customer | None:
    """Stamp last_seen_at on the identity's owner and return it, in one statement.

    The owner has this identity by construction, so its identities are not loaded here (a later
    query of the customer loads them; touching them before that raises instead of lazy loading).
    """
    owner_id = (
        select(CustomerIdentity.customer_id)
        .where(CustomerIdentity.workspace_id == workspace_id, CustomerIdentity.kind == kind,
               CustomerIdentity.value == value)
        .scalar_subquery()
    )
    now = utcnow()
    result = await session.execute(
        update(Customer)
        .where(Customer.id == owner_id, Customer.workspace_id == workspace_id)
        .values(last_seen_at=now, updated_at=now)
        .returning(Customer)
        .options(raiseload(Customer.identities))
    )
    return result.scalar_one_or_none()


async def _create_for_identity(
    session: AsyncSession, workspace_id: int, kind: str, value: str, verified: bool, *,
    name: str | None, email: str | None, phone: str | None, inbox_id: int | None = None,
) -> Customer:
    """Create the customer of a first contact with its identity (one flush)."""
    customer = Customer(workspace_id=workspace_id, name=name, email=email, phone=phone,
                        last_seen_at=utcnow(), identities=[])
    _attach(customer, kind, value, verified, inbox_id=inbox_id)
    session.add(customer)
    await session.flush()
    emit(session, ev.CustomerCreated(customer_id=customer.id, via=kind),
         workspace_id=workspace_id)
    return customer


def _fill_profile(customer: Customer, name: str | None, email: str | None,
                  phone: str | None) -> None:
    customer.name = customer.name or name
    customer.email = customer.email or email
    customer.phone = customer.phone or phone


async def _ensure_identity(
    session: AsyncSession, customer: Customer, kind: str, value: str, verified: bool
) -> CustomerIdentity:
    owner = await find_by_identity(session, workspace_id=customer.workspace_id, kind=kind,
                                   value=value)
    if owner is not None and owner.id != customer.id:
        raise Conflict(f"{kind} {value} already belongs to customer {owner.id}", field="value")
    for identity in customer.identities:
        if identity.kind == kind and identity.value == value:
            identity.verified = identity.verified or verified
            return identity
    identity = _attach(customer, kind, value, verified)
    await session.flush()
    return identity


def _attach(customer: Customer, kind: str, value: str, verified: bool, *,
            inbox_id: int | None = None) -> CustomerIdentity:
    identity = CustomerIdentity(workspace_id=customer.workspace_id, kind=kind, value=value,
                                verified=verified, inbox_id=inbox_id)
    customer.identities.append(identity)
    return identity


def _record(session: AsyncSession, actor: Actor,
            event: ev.CustomerCreated | ev.CustomerUpdated | ev.CustomerIdentityAdded) -> None:
    data = event.model_dump(exclude={"customer_id", "via"})
    audit(session, workspace_id=actor.workspace_id, action=event.name,
          actor_kind=actor.audit_kind, actor_id=actor.user_id, object_type="customer",
          object_id=event.customer_id, data=data)
    emit(session, event, workspace_id=actor.workspace_id)
