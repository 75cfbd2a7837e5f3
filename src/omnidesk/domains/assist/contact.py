"""A customer's personal data as agents see it: masked by default, revealed only with a log row.

Also the customer's notes. The full 360 view (orders, conversations, tiers) is assembled in
`customer360.py`; both live in assist because the layer contract lets one domain use another only
through models/schemas/service/actions, and commerce and conversations already depend on customers.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.channels.whatsapp.manifest import MANIFEST as WHATSAPP
from omnidesk.core.audit import audit
from omnidesk.core.context import Actor
from omnidesk.core.errors import InvalidInput
from omnidesk.core.events import emit
from omnidesk.core.pii import mask_email, mask_name, mask_phone, mask_text
from omnidesk.domains.assist.events import CustomerNoteAdded, CustomerPiiRevealed
from omnidesk.domains.customers.models import Customer, CustomerIdentity, CustomerNote
from omnidesk.domains.customers.service import get_customer

PII_FIELDS = ("name", "email", "phone", "identities", "address")
MASKED_IDENTITY_KINDS = {"email": mask_email, "phone": mask_phone, WHATSAPP.identity_kind: mask_phone}


@dataclass
class ContactView:
    """Name, email, phone, identities and address, masked unless revealed."""

    name: str
    email: str | None
    phone: str | None
    identities: list[dict[str, object]]
    address: str | None
    masked: bool = True
    revealed_fields: list[str] = field(default_factory=list)


def _address_text(customer: Customer) -> str | None:
    address = customer.attributes.get("address")
    if isinstance(address, dict):
        parts = [str(address.get(k, "")) for k in ("address1", "address2", "city", "state", "zip")]
        return " ".join(p for p in parts if p) or None
    return str(address) if address else None


def _mask_identity(identity: CustomerIdentity) -> str:
    masker = MASKED_IDENTITY_KINDS.get(identity.kind)
    if masker is not None:
        return masker(identity.value)
    value = identity.value
    return value[:3] + "*" * max(len(value) - 5, 3) + value[-2:] if len(value) > 6 else "***"


def masked_contact(customer: Customer) -> ContactView:
    """Build the contact view with every personal field masked."""
    address = _address_text(customer)
    return ContactView(
        name=mask_name(customer.name),
        email=mask_email(customer.email) if customer.email else None,
        phone=mask_phone(customer.phone) if customer.phone else None,
        identities=[{"kind": i.kind, "value": _mask_identity(i), "verified": i.verified}
                    for i in customer.identities],
        address=_mask_address(address) if address else None,
    )


def _mask_address(address: str) -> str:
    words = address.split()
    # Keep the region (first two words), hide street numbers, units and the rest.
    return " ".join(words[:2] + ["***"]) if len(words) > 2 else mask_text(address)


def revealed_contact(customer: Customer, fields: list[str]) -> ContactView:
    """Build the contact view with the given fields unmasked."""
    view = masked_contact(customer)
    if "name" in fields:
        view.name = customer.name or ""
    if "email" in fields:
        view.email = customer.email
    if "phone" in fields:
        view.phone = customer.phone
    if "identities" in fields:
        view.identities = [{"kind": i.kind, "value": i.value, "verified": i.verified}
                           for i in customer.identities]
    if "address" in fields:
        view.address = _address_text(customer)
    view.masked, view.revealed_fields = False, sorted(fields)
    return view


async def do_reveal_pii(
    session: AsyncSession, *, actor: Actor, customer_id: int, fields: list[str] | None = None,
    reason: str | None = None,
) -> ContactView:
    """Unmask a customer's personal data for this actor and write the `pii.revealed` audit row."""
    chosen = sorted(set(fields or PII_FIELDS))
    unknown = set(chosen) - set(PII_FIELDS)
    if unknown:
        raise InvalidInput(f"cannot reveal {sorted(unknown)}", field="fields")
    customer = await get_customer(session, workspace_id=actor.workspace_id,
                                  customer_id=customer_id)
    audit(session, workspace_id=actor.workspace_id, action="pii.revealed",
          actor_kind=actor.audit_kind, actor_id=actor.user_id, object_type="customer",
          object_id=customer.id, data={"fields": chosen, "reason": (reason or "")[:200]})
    emit(session, CustomerPiiRevealed(customer_id=customer.id, fields=chosen,
                                      actor_id=actor.user_id), workspace_id=actor.workspace_id)
    return revealed_contact(customer, chosen)


async def list_notes(
    session: AsyncSession, *, workspace_id: int, customer_id: int, limit: int = 20
) -> list[CustomerNote]:
    """List a customer's notes, newest first."""
    rows = await session.scalars(
        select(CustomerNote)
        .where(CustomerNote.workspace_id == workspace_id, CustomerNote.customer_id == customer_id)
        .order_by(CustomerNote.id.desc()).limit(limit))
    return list(rows.all())


async def do_add_note(
    session: AsyncSession, *, actor: Actor, customer_id: int, body: str
) -> CustomerNote:
    """Add a note about a customer."""
    text = body.strip()
    if not text:
        raise InvalidInput("a note needs some text", field="body")
    customer = await get_customer(session, workspace_id=actor.workspace_id,
                                  customer_id=customer_id)
    note = CustomerNote(workspace_id=actor.workspace_id, customer_id=customer.id,
                        author_id=actor.user_id, body=text[:4000])
    session.add(note)
    await session.flush()
    audit(session, workspace_id=actor.workspace_id, action="customer.note_added",
          actor_kind=actor.audit_kind, actor_id=actor.user_id, object_type="customer",
          object_id=customer.id, data={"note_id": note.id})
    emit(session, CustomerNoteAdded(customer_id=customer.id, note_id=note.id),
         workspace_id=actor.workspace_id)
    return note
