"""Outgoing webhooks at the network edge: the signature, the SSRF guard and one HTTP POST.

Signature: `X-Omnidesk-Signature: v1=<hex HMAC-SHA256(secret, "<timestamp>.<body>")>` with the
Unix time in `X-Omnidesk-Timestamp`; receivers recompute it over the raw body and refuse a
timestamp older than a few minutes (see README, "Outgoing webhooks").

SSRF: the host is resolved here and every address must be public (not private, loopback,
link-local, shared, reserved or multicast) unless an admin allowed the host; the request then
goes to the address that was checked (Host header and TLS server name keep the hostname), so a
second DNS answer cannot point it elsewhere.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import ipaddress
import socket
import time
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

import httpx

from omnidesk.core.outbound import outbound_client

TIMEOUT_SECONDS = 10.0
SIGNATURE_HEADER = "X-Omnidesk-Signature"
TIMESTAMP_HEADER = "X-Omnidesk-Timestamp"


class Refused(Exception):
    """The URL may not be called (private address, bad scheme); retrying cannot help."""


@dataclass(frozen=True)
class Answer:
    """What the receiver answered (status 0: no answer) and how long it took."""

    status: int
    duration_ms: int
    error: str | None = None
    retry_after: float | None = None

    @property
    def ok(self) -> bool:
        """Tell whether the receiver accepted the event (2xx)."""
        return 200 <= self.status < 300


def sign(secret: str, timestamp: int, body: bytes) -> str:
    """Return the signature header value for a body sent at `timestamp`."""
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"v1={digest.hexdigest()}"


def verify(secret: str, timestamp: str, body: bytes, signature: str,
           *, tolerance_seconds: int = 300, now: float | None = None) -> bool:
    """Check a signature as a receiver would (the documented snippet, kept tested)."""
    if abs((now or time.time()) - int(timestamp)) > tolerance_seconds:
        return False
    expected = sign(secret, int(timestamp), body)
    return hmac.compare_digest(expected, signature)


def check_url(url: str) -> str:
    """Return the URL's host if it is an http(s) URL with a host; raise Refused otherwise."""
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise Refused("the URL must be http:// or https:// with a host")
    return parts.hostname.lower()


def refused_reason(address: str) -> str | None:
    """Say why an address may not be called, or None for a public one."""
    ip = ipaddress.ip_address(address.split("%")[0])
    if ip.is_loopback:
        return f"{ip} is a loopback address"
    if ip.is_link_local:
        return f"{ip} is a link-local address"
    if ip.is_multicast or ip.is_unspecified or ip.is_reserved:
        return f"{ip} is not a unicast address"
    if ip.is_private or not ip.is_global:
        return f"{ip} is a private address"
    return None


async def resolve(host: str, port: int) -> list[str]:
    """Return the addresses a host name resolves to."""
    try:
        infos = await asyncio.get_running_loop().getaddrinfo(host, port,
                                                             type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise ConnectionError(f"{host} does not resolve: {exc.strerror}") from exc
    return sorted({str(info[4][0]) for info in infos})


async def target_address(url: str, allowed_hosts: set[str]) -> str | None:
    """Return the checked address to connect to, None for an allowed host; raise Refused."""
    host = check_url(url)
    if host in allowed_hosts:
        return None
    parts = urlsplit(url)
    addresses = await resolve(host, parts.port or (443 if parts.scheme == "https" else 80))
    for address in addresses:
        reason = refused_reason(address)
        if reason is not None:
            raise Refused(f"{host}: {reason} (an admin can allow this host)")
    return addresses[0]


async def post(url: str, body: bytes, headers: dict[str, str], address: str | None) -> Answer:
    """POST the body to the URL (through the checked address); never raises on HTTP errors."""
    parts = urlsplit(url)
    target, extensions = url, {}
    if address is not None:
        host = f"[{address}]" if ":" in address else address
        netloc = f"{host}:{parts.port}" if parts.port else host
        target = urlunsplit(parts._replace(netloc=netloc))
        headers = {**headers, "Host": parts.netloc.rsplit("@", 1)[-1]}
        extensions = {"sni_hostname": parts.hostname or ""}
    started = time.monotonic()
    try:
        async with outbound_client(timeout=TIMEOUT_SECONDS, follow_redirects=False) as client:
            response = await client.post(target, content=body, headers=headers,
                                         extensions=extensions)
    except httpx.HTTPError as exc:
        return Answer(0, _ms(started), f"{type(exc).__name__}: {exc}"[:300])
    return Answer(response.status_code, _ms(started),
                  None if response.is_success else f"HTTP {response.status_code}",
                  _retry_after(response.headers.get("retry-after")))


def _ms(started: float) -> int:
    return int((time.monotonic() - started) * 1000)


def _retry_after(value: str | None) -> float | None:
    try:
        return min(float(value), 3600.0) if value else None
    except ValueError:
        return None
