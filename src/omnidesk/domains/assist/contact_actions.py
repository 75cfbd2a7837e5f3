"""Contact card writes: reveal a customer's personal data (audited), add a note."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.core.audit import audit
from omnidesk.core.context import Actor
from omnidesk.core.errors import InvalidInput
from omnidesk.core.events import emit
from omnidesk.domains.assist.events import CustomerNoteAdded, CustomerPiiRevealed
from omnidesk.domains.conversations.service import access_customer
from omnidesk.domains.customers.models import CustomerNote
from omnidesk.domains.customers.service import PII_FIELDS, ContactView, revealed_contact
from omnidesk.domains.privacy.actions import check_may_reveal, check_reason, do_record_access


async def do_reveal_pii(
    session: AsyncSession, *, actor: Actor, customer_id: int, fields: list[str] | None = None,
    reason: str | None = None, ip: str | None = None,
) -> ContactView:
    """Unmask a customer's personal data for this actor (a reason is required) and log the read."""
    chosen = sorted(set(fields or PII_FIELDS))
    unknown = set(chosen) - set(PII_FIELDS)
    if unknown:
        raise InvalidInput(f"cannot reveal {sorted(unknown)}", field="fields")
    customer = await access_customer(session, actor=actor, customer_id=customer_id)
    why = check_reason(reason)
    check_may_reveal(actor)
    await do_record_access(session, actor=actor, action="reveal", fields=chosen, reason=why,
                           customer_id=customer.id, ip=ip)
    emit(session, CustomerPiiRevealed(customer_id=customer.id, fields=chosen,
                                      actor_id=actor.user_id), workspace_id=actor.workspace_id)
    return revealed_contact(customer, chosen)


async def do_add_note(
    session: AsyncSession, *, actor: Actor, customer_id: int, body: str
) -> CustomerNote:
    """Add a note about a customer."""
    text = body.strip()
    if not text:
        raise InvalidInput("a note needs some text", field="body")
    customer = await access_customer(session, actor=actor, customer_id=customer_id)
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
