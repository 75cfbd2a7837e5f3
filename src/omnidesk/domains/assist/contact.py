"""A customer's personal data as agents see it: masked by default, revealed only with a log row.

Also the customer's notes; revealing and note-taking (writes) are in `contact_actions.py`. The full 360 view (orders, conversations, tiers) is assembled in
`customer360.py`; both live in assist because the layer contract lets one domain use another only
through models/schemas/service/actions, and commerce and conversations already depend on customers.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.channels.whatsapp.manifest import MANIFEST as WHATSAPP
from omnidesk.core.pii import mask_email, mask_name, mask_phone, mask_text
from omnidesk.domains.customers.models import Customer, CustomerIdentity, CustomerNote

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


async def list_notes(
    session: AsyncSession, *, workspace_id: int, customer_id: int, limit: int = 20
) -> list[CustomerNote]:
    """List a customer's notes, newest first."""
    rows = await session.scalars(
        select(CustomerNote)
        .where(CustomerNote.workspace_id == workspace_id, CustomerNote.customer_id == customer_id)
        .order_by(CustomerNote.id.desc()).limit(limit))
    return list(rows.all())
