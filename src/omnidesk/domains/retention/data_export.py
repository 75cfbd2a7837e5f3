"""A customer's data export for an access request (PIPA art. 35, GDPR art. 15): JSON + files.

The archive holds `customer.json` — the profile, identities, every row of every table that
belongs to the person by `customer_id`, and their conversations with messages — and the files
attached to their messages under `attachments/`.
"""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.core.audit import audit, plain
from omnidesk.core.context import Actor
from omnidesk.core.db import Base, utcnow
from omnidesk.domains.conversations.models import Conversation, Message
from omnidesk.domains.conversations.service import access_customer
from omnidesk.domains.privacy.actions import do_record_access

SKIPPED = frozenset({"pii_access_log"})  # who looked at the data is the access report's part


def _row(row: Any) -> dict[str, Any]:
    return {k: plain(v) for k, v in row._mapping.items() if not isinstance(v, bytes)}


async def check_export_customer(session: AsyncSession, *, actor: Actor, customer_id: int,
                                upload_dir: Path) -> bytes:
    """Build the zip of everything stored about a customer (privacy.export) and audit it."""
    actor.require_permission("privacy.export")
    customer = await access_customer(session, actor=actor, customer_id=customer_id)
    ws = actor.workspace_id
    document: dict[str, Any] = {"exported_at": utcnow().isoformat(), "customer_id": customer.id,
                                "tables": {}}
    for table in Base.metadata.sorted_tables:
        if table.name in SKIPPED:
            continue
        if table.name == "customers":
            query = select(table).where(table.c.id == customer.id)
        elif "customer_id" in table.c and "workspace_id" in table.c:
            query = select(table).where(table.c.workspace_id == ws,
                                        table.c.customer_id == customer.id)
        else:
            continue
        rows = [_row(r) for r in (await session.execute(query)).all()]
        if rows:
            document["tables"][table.name] = rows
    conv_ids = select(Conversation.id).where(Conversation.workspace_id == ws,
                                             Conversation.customer_id == customer.id)
    messages = (await session.scalars(select(Message).where(
        Message.workspace_id == ws, Message.conversation_id.in_(conv_ids),
        Message.is_private.is_(False)).order_by(Message.id))).all()
    document["messages"] = [
        {"id": m.id, "conversation_id": m.conversation_id, "channel": m.channel,
         "direction": m.direction, "author_kind": m.author_kind, "text": m.text,
         "attachments": plain(m.attachments), "created_at": m.created_at.isoformat()}
        for m in messages]
    buffer = io.BytesIO()
    files = 0
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for message in messages:
            for item in message.attachments or []:
                key = item.get("storage_key") if isinstance(item, dict) else None
                path = (upload_dir / key).resolve() if key else None
                if path and path.is_relative_to(upload_dir.resolve()) and path.is_file():
                    archive.write(path, f"attachments/{message.id}/{path.name}")
                    files += 1
        archive.writestr("customer.json", json.dumps(document, ensure_ascii=False, indent=2))
    await do_record_access(session, actor=actor, action="export",
                           fields=[*sorted(document["tables"]), "messages"],
                           reason="data export (access request)", customer_id=customer.id)
    audit(session, workspace_id=ws, action="customer.exported", actor_kind=actor.audit_kind,
          actor_id=actor.user_id, object_type="customer", object_id=customer.id,
          data={"tables": sorted(document["tables"]), "messages": len(messages),
                "files": files})
    return buffer.getvalue()
