"""Download inbound provider files with a size limit, classifying failures like sends."""

from __future__ import annotations

import asyncio
import ipaddress
from collections.abc import Mapping
from typing import Any
from urllib.parse import unquote, urlsplit

import httpx

from omnidesk.channels.base import ChannelError, FetchedMedia
from omnidesk.channels.retry import error_from_response

CHUNK = 64 * 1024


def too_large(max_bytes: int) -> ChannelError:
    """Build the permanent error for a file over the limit."""
    return ChannelError(f"file is larger than the {max_bytes // (1024 * 1024)} MB limit",
                        permanent=True)


def ref(attachment: Mapping[str, Any], prefix: str) -> str | None:
    """Return the provider id stored as ``<prefix>:<id>`` in storage_key (or its source)."""
    for value in (attachment.get("source"), attachment.get("storage_key")):
        if isinstance(value, str) and value.startswith(prefix + ":"):
            return value.removeprefix(prefix + ":")
    return None


def source_url(attachment: Mapping[str, Any]) -> str | None:
    """Return the provider URL of an attachment (kept in ``source`` once downloaded)."""
    value = attachment.get("source") or attachment.get("url")
    return value if isinstance(value, str) and value.startswith(("https://", "http://")) \
        else None


def same_origin(url: str, base: str) -> bool:
    """Tell whether a URL has the scheme, host and port of a configured base URL."""
    a, b = urlsplit(url), urlsplit(base)
    return (a.scheme, a.hostname, a.port) == (b.scheme, b.hostname, b.port)


async def check_public_url(url: str, *, trusted_base: str) -> None:
    """Refuse a provider-given URL unless it is https on a public host or on our API base.

    The configured base is trusted as is (tests and self-hosted gateways point it at local
    servers); anything else must not reach our private network.
    """
    if same_origin(url, trusted_base):
        return
    parts = urlsplit(url)
    if parts.scheme != "https" or not parts.hostname:
        raise ChannelError("media URL must be https", permanent=True)
    try:
        infos = await asyncio.get_running_loop().getaddrinfo(parts.hostname, parts.port or 443)
    except OSError as exc:
        raise ChannelError("media host does not resolve", permanent=False) from exc
    if any(not ipaddress.ip_address(info[4][0]).is_global for info in infos):
        raise ChannelError("media host resolves to a non-public address", permanent=True)


async def download(client: httpx.AsyncClient, url: str, *, what: str, max_bytes: int,
                   follow_redirects: bool = False, trusted_base: str | None = None,
                   max_redirects: int = 5, **kwargs: Any) -> FetchedMedia:
    """GET a file, stopping as soon as it exceeds max_bytes; non-2xx answers are classified.

    With `trusted_base`, the URL is provider-given: it and every redirect hop must pass
    `check_public_url` before it is fetched (httpx's own redirect following would let a public
    URL bounce us into the private network).
    """
    for _ in range(max_redirects + 1):
        if trusted_base is not None:
            await check_public_url(url, trusted_base=trusted_base)
        try:
            async with client.stream("GET", url, follow_redirects=follow_redirects,
                                     **kwargs) as response:
                if trusted_base is not None and response.is_redirect:
                    url = str(response.url.join(response.headers["location"]))
                    continue
                return await _read(response, what, max_bytes)
        except httpx.TransportError as exc:
            raise ChannelError(f"{what}: network error {type(exc).__name__}",
                               permanent=False) from exc
    raise ChannelError(f"{what}: too many redirects", permanent=True)


async def _read(response: httpx.Response, what: str, max_bytes: int) -> FetchedMedia:
    if not response.is_success:
        await response.aread()
        raise error_from_response(response, what)
    if response.status_code == 202:  # LINE: audio/video still being prepared
        raise ChannelError(f"{what}: the file is not ready yet", permanent=False)
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise too_large(max_bytes)
    data = bytearray()
    async for chunk in response.aiter_bytes(CHUNK):
        data.extend(chunk)
        if len(data) > max_bytes:
            raise too_large(max_bytes)
    return FetchedMedia(bytes(data), response.headers.get("content-type"),
                        _disposition_name(response.headers.get("content-disposition")))


def _disposition_name(value: str | None) -> str | None:
    if not value:
        return None
    for part in value.split(";"):
        key, _, raw = part.strip().partition("=")
        if key.lower() == "filename*" and "''" in raw:
            return unquote(raw.split("''", 1)[1])
        if key.lower() == "filename":
            return raw.strip('"') or None
    return None
