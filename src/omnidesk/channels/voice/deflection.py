"""IVR → chat deflection: a signed link texted to the caller that opens web chat as them.

The link carries the caller's number and an expiry, signed with the workspace secret, so
opening it continues the caller's conversation in the widget without asking who they are.
"""

from __future__ import annotations

import base64
import datetime as dt
import secrets
from urllib.parse import urlencode, urlsplit, urlunsplit

from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.core.db import utcnow
from omnidesk.core.security import constant_time_equals, hash_token, hmac_sha256_hex
from omnidesk.domains.engagement.models import WidgetSession
from omnidesk.domains.workspaces.models import Workspace

LINK_TTL = dt.timedelta(hours=24)
TOKEN_PARAM = "d"


def _sign(secret: str, body: str) -> str:
    return hmac_sha256_hex(secret, f"ivr-deflection:{body}")[:32]


def deflection_token(workspace: Workspace, phone: str, *, now: dt.datetime | None = None) -> str:
    """Return a token naming the caller's number, valid for a day."""
    expires = int(((now or utcnow()) + LINK_TTL).timestamp())
    body = base64.urlsafe_b64encode(f"{phone}|{expires}".encode()).decode().rstrip("=")
    return f"{body}.{_sign(workspace.secret, body)}"


def read_deflection_token(workspace: Workspace, token: str, *,
                          now: dt.datetime | None = None) -> str | None:
    """Return the caller's number of a valid, unexpired token; None otherwise."""
    body, _, signature = token.partition(".")
    if not body or not constant_time_equals(signature, _sign(workspace.secret, body)):
        return None
    try:
        phone, _, expires = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)).decode() \
            .partition("|")
        expired = int(expires) < (now or utcnow()).timestamp()
    except ValueError:
        return None
    return None if expired or not phone else phone


def deflection_link(base_link: str, workspace: Workspace, phone: str) -> str:
    """Add the signed caller token to the configured chat link."""
    parts = urlsplit(base_link)
    extra = urlencode({"workspace": workspace.slug, TOKEN_PARAM: deflection_token(workspace,
                                                                                  phone)})
    query = f"{parts.query}&{extra}" if parts.query else extra
    return urlunsplit(parts._replace(query=query))


async def do_start_deflected_session(session: AsyncSession, *, workspace: Workspace,
                                     token: str) -> tuple[WidgetSession, str] | None:
    """Start a widget session bound to the caller's phone identity; None for a bad token."""
    phone = read_deflection_token(workspace, token)
    if phone is None:
        return None
    visitor_token = secrets.token_urlsafe(32)
    # Unverified like any widget visitor: the phone identity only names who to continue.
    row = WidgetSession(workspace_id=workspace.id, token_hash=hash_token(visitor_token),
                        identity_kind="phone", identity_value=phone, verified=False)
    session.add(row)
    await session.flush()
    return row, visitor_token
