"""What widget tests share: starting a visitor session and the visitor's headers."""

from __future__ import annotations

import httpx


async def start_session(client: httpx.AsyncClient, slug: str, **extra: str) -> dict:
    """Start (or restore) a widget visitor session and return its JSON."""
    response = await client.post("/widget/api/sessions", json={"workspace": slug, **extra})
    assert response.status_code == 200, response.text
    return response.json()


def widget_headers(slug: str, token: str) -> dict[str, str]:
    """Return the headers that authenticate a visitor's widget API calls."""
    return {"X-Widget-Workspace": slug, "X-Widget-Token": token}
