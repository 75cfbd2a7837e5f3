"""@mentions in private notes: who a note names, their notification and "seen" marks."""

from __future__ import annotations

import re

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.core.context import Actor
from omnidesk.core.db import utcnow
from omnidesk.core.events import emit
from omnidesk.domains.agents.models import User
from omnidesk.domains.agents.service import list_users
from omnidesk.domains.conversations import events as ev
from omnidesk.domains.conversations.models import Message, MessageMention
from omnidesk.domains.conversations.service import shown_text

MENTION = re.compile(r"@([^\s@,.!?;:()\[\]]+)")
HONORIFICS = ("님", "씨")  # written right after a Korean name: "@이도현님"


def handles_of(user: User) -> set[str]:
    """Return the names a colleague can be @mentioned by (case-insensitive)."""
    names = {user.name, user.name.split(" ")[0], user.display_name or "",
             user.email.split("@")[0]}
    return {n.casefold().replace(" ", "") for n in names if n}


def mentioned_users(text: str, users: list[User]) -> list[User]:
    """Return the active users a note names with @ (by name, display name or email's local part)."""
    words = {m.casefold() for m in MENTION.findall(text)}
    words |= {w[:-1] for w in words if len(w) > 1 and w.endswith(HONORIFICS)}  # "@이도현님"
    return [u for u in users if u.is_active and words & handles_of(u)] if words else []


async def do_record_mentions(session: AsyncSession, *, message: Message,
                             author: User | None) -> list[MessageMention]:
    """Store a mention for each colleague a private note names and tell them (one event each)."""
    if not message.is_private or "@" not in message.text:
        return []
    users = await list_users(session, workspace_id=message.workspace_id)
    named = [u for u in mentioned_users(message.text, users)
             if author is None or u.id != author.id]
    rows = [MessageMention(workspace_id=message.workspace_id, message_id=message.id,
                           conversation_id=message.conversation_id, user_id=u.id,
                           author_id=author.id if author else None) for u in named]
    session.add_all(rows)
    await session.flush()
    for row in rows:
        emit(session, ev.MentionCreated(
            mention_id=row.id, message_id=message.id, conversation_id=message.conversation_id,
            user_id=row.user_id, author_id=row.author_id,
            author_name=(author.display_name or author.name) if author else "",
            text=shown_text(message.text)[:200]),  # masked: it goes to a screen
             workspace_id=message.workspace_id)
    return rows


async def do_mark_mentions_seen(session: AsyncSession, *, actor: Actor) -> None:
    """Mark every unseen mention of the actor as seen (they opened the mentions view)."""
    await session.execute(update(MessageMention).where(
        MessageMention.workspace_id == actor.workspace_id,
        MessageMention.user_id == actor.user_id, MessageMention.seen_at.is_(None))
        .values(seen_at=utcnow()))
