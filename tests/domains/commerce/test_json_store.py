"""The JSON connector syncs a store export and acts through the store's API over real HTTP."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from fastapi import FastAPI, Header, HTTPException
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.domains.commerce.models import Order
from omnidesk.domains.customers.models import Customer
from omnidesk.domains.workspaces.models import Workspace
from tests.conftest import Persona
from tests.domains.assist.live_server import live_server
from tests.domains.commerce.conftest import tau_export

API_KEY = "store-key"


def store_app(export: dict[str, dict[str, Any]]) -> FastAPI:
    """A store that serves its export and cancels pending orders (its own policy)."""
    app = FastAPI()

    def _auth(authorization: str | None) -> None:
        if authorization != f"Bearer {API_KEY}":
            raise HTTPException(401)

    @app.get("/export.json")
    def export_json(authorization: str | None = Header(None)) -> dict[str, Any]:
        _auth(authorization)
        return export

    @app.post("/orders/{number}/cancel")
    def cancel(number: str, body: dict[str, Any],
               authorization: str | None = Header(None)) -> dict[str, Any]:
        _auth(authorization)
        order = export["orders"][number]
        if order["status"] != "pending":
            raise HTTPException(409, "only pending orders can be cancelled")
        order["status"] = "cancelled"
        total = round(sum(i["price"] for i in order["items"]), 2)
        order["payment_history"].append({"transaction_type": "refund", "amount": total,
                                         "reason": body["reason"]})
        return order

    return app


@pytest.fixture
def store() -> Iterator[tuple[str, dict[str, Any]]]:
    """The store's base URL and its (mutable) data."""
    export = copy.deepcopy(tau_export(users=3))
    with live_server(store_app(export)) as url:
        yield url, export


async def _use_json_store(session: AsyncSession, persona: Persona, url: str) -> None:
    workspace = await session.get(Workspace, persona.workspace_id)
    workspace.settings = {**workspace.settings, "commerce": {
        "connector": "json", "export_url": f"{url}/export.json", "api_url": url,
        "api_key": API_KEY}}
    await session.commit()


async def test_sync_pulls_the_export_and_running_it_again_updates_in_place(
        client: httpx.AsyncClient, session: AsyncSession, owner: Persona,
        store: tuple[str, dict[str, Any]]) -> None:
    url, export = store
    await _use_json_store(session, owner, url)
    first = await client.post("/api/v1/commerce/sync", headers=owner.headers)
    assert first.status_code == 200, first.text
    assert first.json() == {"customers": 3, "orders": len(export["orders"]),
                            "products": len(export["products"])}
    again = await client.post("/api/v1/commerce/sync", headers=owner.headers)
    assert again.json() == first.json()
    assert await session.scalar(select(func.count(Order.id)).where(
        Order.workspace_id == owner.workspace_id)) == len(export["orders"])
    assert await session.scalar(select(func.count(Customer.id)).where(
        Customer.workspace_id == owner.workspace_id)) == 3


async def test_a_cancel_goes_to_the_store_and_its_answer_is_applied_locally(
        client: httpx.AsyncClient, session: AsyncSession, owner: Persona,
        store: tuple[str, dict[str, Any]]) -> None:
    url, export = store
    await _use_json_store(session, owner, url)
    assert (await client.post("/api/v1/commerce/sync", headers=owner.headers)).status_code == 200
    pending = next(n for n, o in export["orders"].items() if o["status"] == "pending")
    done = next(n for n, o in export["orders"].items() if o["status"] != "pending")
    quoted = httpx.URL(f"/api/v1/commerce/orders/{pending.replace('#', '%23')}/cancel")
    cancelled = await client.post(quoted, headers=owner.headers,
                                  json={"reason": "no longer needed"})
    assert cancelled.status_code == 200, cancelled.text
    assert cancelled.json()["status"] == "cancelled"
    refund = await client.get(f"/api/v1/commerce/orders/{pending.replace('#', '%23')}/refund",
                              headers=owner.headers)
    assert refund.json()["status"] == "refunded"
    refused = await client.post(f"/api/v1/commerce/orders/{done.replace('#', '%23')}/cancel",
                                headers=owner.headers, json={"reason": "no longer needed"})
    assert refused.status_code == 409 and "pending" in refused.json()["message"]


async def test_a_store_that_is_down_or_refuses_the_key_is_a_clear_error(
        client: httpx.AsyncClient, session: AsyncSession, owner: Persona,
        store: tuple[str, dict[str, Any]]) -> None:
    url, _ = store
    await _use_json_store(session, owner, "http://127.0.0.1:9")
    down = await client.post("/api/v1/commerce/sync", headers=owner.headers)
    assert down.status_code == 502 and down.json()["error"] == "store_unavailable"
    workspace = await session.get(Workspace, owner.workspace_id)
    await session.refresh(workspace)
    workspace.settings = {"commerce": {"connector": "json", "export_url": f"{url}/export.json"}}
    await session.commit()
    refused = await client.post("/api/v1/commerce/sync", headers=owner.headers)
    assert refused.status_code == 502 and "401" in refused.json()["message"]
