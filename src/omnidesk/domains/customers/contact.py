"""A customer's personal data as staff see it: masked by default, in clear only through a reveal.

The name is the exception, and the rule for it lives here too: staff who may see a customer see
their name in clear (the inbox list, the thread, the greeting and canned replies address the
customer by it), while email, phone, channel identities and address are masked until revealed.
Who may see a customer at all is the visibility scope (`conversations.service.visible_customer_ids`).

The one owner of the contact masking rule: the web customer pages, the 360 profile, search hits
and the customers REST API all build their contact fields here (other domains read it through
`customers.service`). The logged reveal itself is `assist.contact_actions.do_reveal_pii`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from omnidesk.channels.whatsapp.manifest import MANIFEST as WHATSAPP
from omnidesk.core.pii import detect_pii, mask_email, mask_phone, mask_text
from omnidesk.domains.customers.models import Customer, CustomerIdentity
from omnidesk.domains.customers.schemas import CustomerRead, IdentityRead

PII_FIELDS = ("email", "phone", "identities", "address")  # what a reveal unmasks
MASKED_IDENTITY_KINDS = {"email": mask_email, "phone": mask_phone, WHATSAPP.identity_kind: mask_phone}
# Attributes never shown outside a reveal: the address has its own masked field.
HIDDEN_ATTRIBUTES = {"address", "payment_methods", "persona"}


@dataclass
class ContactView:
    """Name (in clear), email, phone, identities and address (masked unless revealed)."""

    name: str
    email: str | None
    phone: str | None
    identities: list[dict[str, object]]
    address: str | None
    masked: bool = True
    revealed_fields: list[str] = field(default_factory=list)


def _address_text(customer: Customer) -> str | None:
    address = (customer.attributes or {}).get("address")
    if isinstance(address, dict):
        parts = [str(address.get(k, "")) for k in ("address1", "address2", "city", "state", "zip")]
        return " ".join(p for p in parts if p) or None
    return str(address) if address else None


def mask_identity(kind: str, value: str) -> str:
    """Mask one channel identity's value (email and phone kinds their own way, others by length)."""
    masker = MASKED_IDENTITY_KINDS.get(kind)
    if masker is not None:
        return masker(value)
    return value[:3] + "*" * max(len(value) - 5, 3) + value[-2:] if len(value) > 6 else "***"


def _mask_identity(identity: CustomerIdentity) -> str:
    return mask_identity(identity.kind, identity.value)


def masked_contact(customer: Customer) -> ContactView:
    """Build the contact view with every contact field masked (the name in clear)."""
    address = _address_text(customer)
    return ContactView(
        name=customer.name or "",
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


def masked_attributes(attributes: dict[str, Any]) -> dict[str, Any]:
    """Drop personal attributes and mask any personal data left in text values."""
    safe = {}
    for key, value in attributes.items():
        if key in HIDDEN_ATTRIBUTES:
            continue
        safe[key] = mask_text(value) if isinstance(value, str) and detect_pii(value) else value
    return safe


def identity_read(identity: CustomerIdentity) -> IdentityRead:
    """Return an identity as the API shows it: its value masked."""
    return IdentityRead(id=identity.id, kind=identity.kind, verified=identity.verified,
                        value=_mask_identity(identity))


def customer_read(customer: Customer) -> CustomerRead:
    """Return a customer as the API shows it: contact fields masked as the customer page does."""
    card = masked_contact(customer)
    return CustomerRead(
        id=customer.id, name=customer.name, email=card.email, phone=card.phone,
        locale=customer.locale, external_id=customer.external_id,
        attributes=masked_attributes(customer.attributes or {}), tags=list(customer.tags or []),
        identities=[identity_read(i) for i in customer.identities],
        created_at=customer.created_at, last_seen_at=customer.last_seen_at, pii_masked=True)


def kept_hidden_attributes(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    """Merge new attributes over the hidden ones a reader never saw, so a read-modify-write
    through the API does not drop the address (send the key with null to clear it)."""
    kept = {k: v for k, v in old.items() if k in HIDDEN_ATTRIBUTES and k not in new}
    return {**kept, **{k: v for k, v in new.items() if not (k in HIDDEN_ATTRIBUTES and v is None)}}
