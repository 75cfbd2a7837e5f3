"""Our outgoing webhook signature: HMAC-SHA256 over "{timestamp}.{body}" with replay window."""

from __future__ import annotations

import asyncio
import ipaddress
import time
from urllib.parse import urlsplit

from omnidesk.channels.base import ChannelError
from omnidesk.channels.signing import check_timestamp, hmac_sha256_hex, require

SIGNATURE_HEADER = "X-Omnidesk-Signature"
TIMESTAMP_HEADER = "X-Omnidesk-Timestamp"
DELIVERY_HEADER = "X-Omnidesk-Delivery"


def sign(secret: str, timestamp: int, body: bytes) -> str:
    """Return the header value ``sha256=<hex>`` for a body sent at ``timestamp``."""
    return "sha256=" + hmac_sha256_hex(secret, str(timestamp).encode() + b"." + body)


def signed_headers(secret: str, body: bytes, delivery_id: str,
                   now: float | None = None) -> dict[str, str]:
    """Return the headers of one delivery attempt (the delivery id is stable across retries)."""
    timestamp = int(time.time() if now is None else now)
    return {SIGNATURE_HEADER: sign(secret, timestamp, body), TIMESTAMP_HEADER: str(timestamp),
            DELIVERY_HEADER: delivery_id, "Content-Type": "application/json"}


def verify(secret: str, headers: dict[str, str], body: bytes, *, tolerance_seconds: int = 300,
           now: float | None = None) -> None:
    """Check a delivery as a receiver should: fresh timestamp, then the signature."""
    lowered = {k.lower(): v for k, v in headers.items()}
    timestamp = check_timestamp(lowered.get(TIMESTAMP_HEADER.lower()),
                                tolerance_seconds=tolerance_seconds, now=now)
    require(lowered.get(SIGNATURE_HEADER.lower()), sign(secret, timestamp, body),
            what=SIGNATURE_HEADER)


async def check_destination(url: str, *, allow_private: bool) -> None:
    """Refuse non-HTTP(S) targets and, unless allowed, hosts resolving to private addresses."""
    parts = urlsplit(url)
    if parts.scheme not in {"https", "http"} or not parts.hostname:
        raise ChannelError("webhook URL must be http(s) with a host", permanent=True)
    if allow_private:
        return
    if parts.scheme != "https":
        raise ChannelError("webhook URL must use https", permanent=True)
    infos = await asyncio.get_running_loop().getaddrinfo(parts.hostname, parts.port or 443)
    for info in infos:
        address = ipaddress.ip_address(info[4][0])
        if not address.is_global:
            raise ChannelError("webhook host resolves to a non-public address", permanent=True)
