"""Reveal the values a message's privacy policy kept encrypted: role-checked, with a reason, logged."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.core.context import Actor
from omnidesk.core.errors import NotFound
from omnidesk.core.pii.crypto import PiiCipher
from omnidesk.core.pii.detect import detect_pii
from omnidesk.core.pii.keyring import pii_cipher
from omnidesk.core.pii.seal import Sealed, reveal_text
from omnidesk.domains.conversations.models import MessageSecret
from omnidesk.domains.conversations.service import access_conversation, get_message
from omnidesk.domains.privacy.actions import check_may_reveal, check_reason, do_record_access
from omnidesk.domains.privacy.schemas import RevealedMessage


async def list_message_secrets(session: AsyncSession, *, workspace_id: int,
                               message_id: int) -> list[MessageSecret]:
    """Return the encrypted values stored for one message."""
    rows = await session.scalars(select(MessageSecret).where(
        MessageSecret.workspace_id == workspace_id, MessageSecret.message_id == message_id,
    ).order_by(MessageSecret.start))
    return list(rows.all())


async def do_reveal_message(session: AsyncSession, *, actor: Actor, message_id: int,
                            reason: str | None, ip: str | None = None,
                            conversation_id: int | None = None) -> RevealedMessage:
    """Return a message in clear (encrypted and display-masked values) and log the read.

    Out of the actor's scope, or not in the given conversation, it is NotFound like an unknown id.
    """
    message = await get_message(session, workspace_id=actor.workspace_id, message_id=message_id)
    if conversation_id is not None and message.conversation_id != conversation_id:
        raise NotFound("message not found")
    conv = await access_conversation(session, actor=actor, conversation_id=message.conversation_id)
    why = check_reason(reason)
    check_may_reveal(actor)
    secrets = await list_message_secrets(session, workspace_id=actor.workspace_id,
                                         message_id=message.id)
    sealed = [Sealed(s.kind, s.start, s.end, s.masked, s.ciphertext) for s in secrets]
    # the kinds kept in clear but shown masked (phone, email, address) are read here too
    kinds = sorted({s.kind for s in secrets} | {f.kind for f in detect_pii(message.text or "")})
    await do_record_access(session, actor=actor, action="reveal", fields=kinds, reason=why,
                           customer_id=conv.customer_id, conversation_id=conv.id,
                           message_id=message.id, ip=ip)
    return RevealedMessage(message_id=message.id, text=reveal_text(message.text, sealed, pii_cipher()),
                           kinds=kinds)


async def do_rotate_message_secrets(session: AsyncSession, *, cipher: PiiCipher,
                                    batch: int = 500) -> int:
    """Re-encrypt every stored secret under the cipher's first key; return how many."""
    done, last_id = 0, 0
    while True:
        rows = list((await session.scalars(select(MessageSecret).where(
            MessageSecret.id > last_id).order_by(MessageSecret.id).limit(batch))).all())
        if not rows:
            return done
        for row in rows:
            row.ciphertext = cipher.rotate(row.ciphertext)
        last_id = rows[-1].id
        done += len(rows)
        await session.flush()
