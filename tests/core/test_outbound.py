"""Outbound HTTP clients share one TLS certificate context per process (core.outbound)."""

from __future__ import annotations

import ssl

import httpx
import pytest

from omnidesk.core import outbound


def test_clients_share_one_verifying_tls_context(monkeypatch: pytest.MonkeyPatch) -> None:
    built: list[ssl.SSLContext] = []

    def counting() -> ssl.SSLContext:
        built.append(ssl.create_default_context())
        return built[-1]

    monkeypatch.setattr(httpx, "create_ssl_context", counting)
    outbound.tls_context.cache_clear()
    try:
        clients = [outbound.outbound_client(timeout=5) for _ in range(5)]
        assert len(built) == 1  # the CA bundle is read once, not per provider send
        assert built[0].verify_mode == ssl.CERT_REQUIRED and built[0].check_hostname
        assert all(c.timeout.connect == 5 for c in clients)
    finally:
        outbound.tls_context.cache_clear()
