"""Customer merge and split: one person behind several records, or two behind one.

The customers domain moves what it owns (identities, notes, profile fields) and emits
`customer.merged` / `customer.split`; conversations and orders follow through those events'
subscribers in their own domains, so this domain never imports them.
"""

from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.core.audit import audit
from omnidesk.core.context import Actor
from omnidesk.core.errors import InvalidInput
from omnidesk.core.events import emit
from omnidesk.domains.customers import events as ev
from omnidesk.domains.customers.models import Customer, CustomerNote
from omnidesk.domains.customers.schemas import CustomerSplit
from omnidesk.domains.customers.service import get_customer

PROFILE_FIELDS = ("name", "email", "phone", "locale", "external_id")


async def do_merge_customers(
    session: AsyncSession, *, source: Customer, target: Customer, actor_kind: str = "system",
    actor_id: int | None = None, reason: str = "manual",
) -> Customer:
    """Fold ``source`` into ``target``: identities, notes and blank profile fields move."""
    for identity in list(source.identities):
        source.identities.remove(identity)
        target.identities.append(identity)
    for field in PROFILE_FIELDS:
        if getattr(target, field) is None and getattr(source, field) is not None:
            setattr(target, field, getattr(source, field))
    target.attributes = {**(source.attributes or {}), **(target.attributes or {})}
    target.tags = list(dict.fromkeys([*(target.tags or []), *(source.tags or [])]))
    source.merged_into_id = target.id
    source.email = source.phone = source.external_id = None
    await session.execute(
        update(CustomerNote)
        .where(CustomerNote.workspace_id == target.workspace_id,
               CustomerNote.customer_id == source.id)
        .values(customer_id=target.id).execution_options(synchronize_session=False))
    await session.flush()
    data = {"merged_customer_id": source.id, "reason": reason}
    audit(session, workspace_id=target.workspace_id, action=ev.CustomerMerged.name,
          actor_kind=actor_kind, actor_id=actor_id, object_type="customer",
          object_id=target.id, data=data)
    emit(session, ev.CustomerMerged(customer_id=target.id, merged_customer_id=source.id,
                                 reason=reason), workspace_id=target.workspace_id)
    return target


async def check_merge_customers(
    session: AsyncSession, *, actor: Actor, customer_id: int, other_customer_id: int
) -> Customer:
    """Let an agent merge another customer into this one (both live, both in the workspace)."""
    if customer_id == other_customer_id:
        raise InvalidInput("a customer cannot be merged into itself", field="other_customer_id")
    target = await get_customer(session, workspace_id=actor.workspace_id,
                                customer_id=customer_id)
    source = await get_customer(session, workspace_id=actor.workspace_id,
                                customer_id=other_customer_id)
    if target.merged_into_id is not None or source.merged_into_id is not None:
        raise InvalidInput("that customer was already merged into another",
                           field="other_customer_id")
    return await do_merge_customers(session, source=source, target=target,
                                    actor_kind=actor.audit_kind, actor_id=actor.user_id)


async def check_split_customer(
    session: AsyncSession, *, actor: Actor, customer_id: int, split_in: CustomerSplit
) -> Customer:
    """Move chosen identities (and conversations, via `customer.split`) to a new customer."""
    customer = await get_customer(session, workspace_id=actor.workspace_id,
                                  customer_id=customer_id)
    moving = [i for i in customer.identities if i.id in set(split_in.identity_ids)]
    if len(moving) != len(set(split_in.identity_ids)):
        raise InvalidInput("every identity must belong to this customer", field="identity_ids")
    if len(moving) == len(customer.identities):
        raise InvalidInput("keep at least one identity on the customer", field="identity_ids")
    new = Customer(workspace_id=customer.workspace_id, name=split_in.name, identities=[])
    session.add(new)
    for identity in moving:
        customer.identities.remove(identity)
        new.identities.append(identity)
        if identity.kind in ("email", "phone") and getattr(customer, identity.kind) == \
                identity.value:
            setattr(customer, identity.kind, None)
            setattr(new, identity.kind, identity.value)
    await session.flush()
    data = {"new_customer_id": new.id, "identity_ids": sorted(i.id for i in moving),
            "conversation_ids": sorted(set(split_in.conversation_ids))}
    audit(session, workspace_id=actor.workspace_id, action=ev.CustomerSplit.name,
          actor_kind=actor.audit_kind, actor_id=actor.user_id, object_type="customer",
          object_id=customer.id, data=data)
    emit(session, ev.CustomerSplit(customer_id=customer.id, **data), workspace_id=actor.workspace_id)
    return new
