"""Customers API: search, create, update, identities.

Contact fields come back masked as the customer page shows them (`customers/contact.py`,
`pii_masked`); the clear values only through the logged reveal, POST /api/v1/customers/{id}/reveal.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.core.api import ApiRoute
from omnidesk.core.context import Actor
from omnidesk.core.http import (
    ActorDep,
    CursorQuery,
    CustomerScope,
    CustomerScopeDep,
    LimitQuery,
    SessionDep,
)
from omnidesk.core.pagination import Page, page_of
from omnidesk.core.schemas import Id
from omnidesk.domains.customers import actions, merge_actions, service
from omnidesk.domains.customers.contact import customer_read, identity_read
from omnidesk.domains.customers.models import Customer
from omnidesk.domains.customers.schemas import (
    CustomerCreate,
    CustomerMerge,
    CustomerRead,
    CustomerSplit,
    CustomerUpdate,
    IdentityIn,
    IdentityRead,
    MergeSuggestion,
)
from omnidesk.domains.privacy.actions import do_record_access
from omnidesk.domains.privacy.models import API_READ

router = APIRouter(prefix="/api/v1/customers", tags=["customers"], route_class=ApiRoute)


async def _visible(session: SessionDep, actor: Actor, scope: CustomerScope,
                   customer_id: int) -> Customer:
    """Fetch the customer if the actor may see it (404 otherwise, as if it did not exist)."""
    return await service.get_visible_customer(session, workspace_id=actor.workspace_id,
                                              customer_id=customer_id, visible=scope(actor))


@router.get("", response_model=Page[CustomerRead])
async def list_customers(
    actor: ActorDep,
    session: SessionDep,
    scope: CustomerScopeDep,
    q: Annotated[str | None, Query(max_length=200, description="Name, email or phone")] = None,
    cursor: CursorQuery = None,
    limit: LimitQuery = 50,
) -> Page[CustomerRead]:
    """Search customers by name, email, phone or any channel identity."""
    rows = await service.list_customers(session, workspace_id=actor.workspace_id, q=q,
                                        cursor=cursor, limit=limit, visible=scope(actor))
    items, next_cursor = page_of(rows, limit)
    page: Page[CustomerRead] = Page(items=[customer_read(c) for c in items],
                                    next_cursor=next_cursor)
    await _log_reads(session, actor, items)
    return page


async def _log_reads(session: AsyncSession, actor: Actor, customers: list[Customer]) -> None:
    """Write an access-log row for each customer whose name the API returns in clear (contact
    fields are masked; reading them in clear is the logged reveal)."""
    for customer in customers:
        fields = [f for f in ("name",) if getattr(customer, f, None)]
        if fields:
            await do_record_access(session, actor=actor, action=API_READ, fields=fields,
                                   reason="REST API read", customer_id=customer.id)
    await session.commit()


@router.post("", response_model=CustomerRead, status_code=201)
async def create_customer(
    customer_in: CustomerCreate, actor: ActorDep, session: SessionDep
) -> CustomerRead:
    """Create a customer with identities."""
    customer = await actions.do_create_customer(session, actor=actor, customer_in=customer_in)
    await session.commit()
    return customer_read(customer)


@router.get("/{customer_id}", response_model=CustomerRead)
async def read_customer(customer_id: Id, actor: ActorDep, session: SessionDep,
                        scope: CustomerScopeDep) -> CustomerRead:
    """Return one customer with identities."""
    customer = await _visible(session, actor, scope, customer_id)
    read = customer_read(customer)
    await _log_reads(session, actor, [customer])
    return read


@router.patch("/{customer_id}", response_model=CustomerRead)
async def update_customer(
    customer_id: Id, customer_in: CustomerUpdate, actor: ActorDep, session: SessionDep,
    scope: CustomerScopeDep,
) -> CustomerRead:
    """Update a customer's profile."""
    await _visible(session, actor, scope, customer_id)
    customer = await actions.do_update_customer(session, actor=actor, customer_id=customer_id,
                                                customer_in=customer_in)
    await session.commit()
    return customer_read(customer)


@router.post("/{customer_id}/identities", response_model=IdentityRead, status_code=201)
async def add_identity(
    customer_id: Id, identity_in: IdentityIn, actor: ActorDep, session: SessionDep,
    scope: CustomerScopeDep,
) -> IdentityRead:
    """Attach a channel identity to a customer."""
    await _visible(session, actor, scope, customer_id)
    identity = await actions.do_add_identity(session, actor=actor, customer_id=customer_id,
                                             identity_in=identity_in)
    await session.commit()
    return identity_read(identity)


@router.post("/{customer_id}/merge", response_model=CustomerRead)
async def merge_customer(customer_id: Id, merge_in: CustomerMerge, actor: ActorDep,
                         session: SessionDep, scope: CustomerScopeDep) -> CustomerRead:
    """Merge another customer into this one; its conversations and orders follow."""
    await _visible(session, actor, scope, customer_id)
    await _visible(session, actor, scope, merge_in.other_customer_id)
    customer = await merge_actions.check_merge_customers(
        session, actor=actor, customer_id=customer_id,
        other_customer_id=merge_in.other_customer_id)
    await session.commit()
    return customer_read(customer)


@router.post("/{customer_id}/split", response_model=CustomerRead, status_code=201)
async def split_customer(customer_id: Id, split_in: CustomerSplit, actor: ActorDep,
                         session: SessionDep, scope: CustomerScopeDep) -> CustomerRead:
    """Move identities and chosen conversations of this customer to a new customer."""
    await _visible(session, actor, scope, customer_id)
    new = await merge_actions.check_split_customer(session, actor=actor, customer_id=customer_id,
                                           split_in=split_in)
    await session.commit()
    return customer_read(new)


@router.get("/{customer_id}/merge-suggestions", response_model=list[MergeSuggestion])
async def merge_suggestions(customer_id: Id, actor: ActorDep, session: SessionDep,
                            scope: CustomerScopeDep) -> list[MergeSuggestion]:
    """List customers who share an email, phone or name with this one (and the actor may see)."""
    await _visible(session, actor, scope, customer_id)
    return await service.list_merge_suggestions(session, workspace_id=actor.workspace_id,
                                                customer_id=customer_id, visible=scope(actor))
