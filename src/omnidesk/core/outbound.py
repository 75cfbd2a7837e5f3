"""Outbound HTTP clients (providers, webhooks, LLM endpoints, store connectors): one owner.

Every client verifies TLS with one certificate context per process. Building a context reads
the CA bundle (~60 ms of CPU); a new ``httpx.AsyncClient()`` builds one, and each provider send,
webhook call and connection check made a new client, so a bot reply on a provider channel cost
more CPU in TLS set-up than the rest of its delivery.
"""

from __future__ import annotations

import ssl
from functools import cache
from typing import Any

import httpx


@cache
def tls_context() -> ssl.SSLContext:
    """Return the process's certificate context for outbound HTTPS (httpx's defaults)."""
    return httpx.create_ssl_context()


def outbound_client(**options: Any) -> httpx.AsyncClient:
    """Return a new async HTTP client with the shared TLS context (options as httpx takes)."""
    return httpx.AsyncClient(verify=tls_context(), **options)
