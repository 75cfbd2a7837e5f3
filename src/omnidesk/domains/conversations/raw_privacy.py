"""The raw event store's side of the privacy policy: nothing protected is kept in clear.

The parsed payload (what intake reads later) is sealed: masked cards/CVVs, encrypted tokens for
the kinds the policy encrypts. The raw body keeps its shape where it can be re-encoded (JSON,
form posts) with every protected value masked; any other body (a MIME mail) that held protected
data is withheld, since its encodings (base64, quoted-printable) cannot be masked in place.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qsl, urlencode

from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.core.pii.keyring import pii_cipher
from omnidesk.core.pii.policy import PiiPolicy, policy_from
from omnidesk.core.pii.seal import needs_protection, scrub_text, scrub_value, seal_text
from omnidesk.domains.workspaces.service import get_workspace

WITHHELD = b"[omnidesk: raw body withheld; it held personal data the privacy policy protects]"


def _safe_body(body: bytes, content_type: str, policy: PiiPolicy) -> bytes:
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return WITHHELD
    if "json" in content_type:
        try:
            return json.dumps(scrub_value(json.loads(text), policy), ensure_ascii=False).encode()
        except ValueError:
            return WITHHELD
    if "x-www-form-urlencoded" in content_type:
        pairs = parse_qsl(text, keep_blank_values=True)
        return urlencode([(k, scrub_text(v, policy)) for k, v in pairs]).encode()
    return WITHHELD


async def protect_raw_event(session: AsyncSession, *, workspace_id: int, body: bytes,
                            content_type: str, payload: dict[str, Any]
                            ) -> tuple[bytes, dict[str, Any]]:
    """Return the raw body and parsed payload as they may be stored (unchanged without PII)."""
    if not needs_protection(payload):
        return body, payload
    workspace = await get_workspace(session, workspace_id=workspace_id)
    policy = policy_from(workspace.settings)
    sealed = _seal_payload(payload, policy)
    if sealed == payload:  # only kinds the policy keeps
        return body, payload
    return _safe_body(body, content_type.lower(), policy), sealed


def _seal_payload(payload: dict[str, Any], policy: PiiPolicy) -> dict[str, Any]:
    """Seal the message text for intake; scrub the rest (identities stay as the channel gave them)."""
    out = dict(payload, data=scrub_value(payload.get("data"), policy))
    inbound = payload.get("inbound")
    if isinstance(inbound, dict):
        out["inbound"] = dict(
            inbound, text=seal_text(str(inbound.get("text") or ""), policy, pii_cipher()),
            subject=scrub_value(inbound.get("subject"), policy),
            meta=scrub_value(inbound.get("meta"), policy),
            attachments=scrub_value(inbound.get("attachments"), policy))
    return out
