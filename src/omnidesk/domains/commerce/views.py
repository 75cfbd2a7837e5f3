"""Commerce API: orders through the connector, order actions, sync and order webhooks.

Behaviour and business events go to the engagement API (`/api/v1/engagement/events`).
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import APIRouter, Request

from omnidesk.core.api import ApiRoute
from omnidesk.core.body_limit import body_limit
from omnidesk.core.context import Actor
from omnidesk.core.errors import InvalidInput, NotAuthenticated, NotFound
from omnidesk.core.http import ActorDep, SessionDep
from omnidesk.core.outbound import outbound_client
from omnidesk.core.schemas import Id
from omnidesk.core.security import constant_time_equals, hmac_sha256_hex
from omnidesk.domains.commerce import actions
from omnidesk.domains.commerce.connector import CommerceConnector, JsonStoreConnector, connector_for
from omnidesk.domains.commerce.policy import StorePolicy
from omnidesk.domains.commerce.policy_actions import check_update_store_policy, get_store_policy
from omnidesk.domains.commerce.schemas import (
    AddressIn,
    CancelIn,
    ItemsIn,
    OrderRead,
    OrderWebhookIn,
    ProductRead,
    RefundStatusRead,
)
from omnidesk.domains.conversations.service import access_customer
from omnidesk.domains.workspaces.service import get_workspace, get_workspace_by_slug

router = APIRouter(prefix="/api/v1/commerce", tags=["commerce"], route_class=ApiRoute)
SIGNATURE_HEADER = "x-omnidesk-signature"


@asynccontextmanager
async def _connector(session: SessionDep, actor: Actor) -> AsyncIterator[CommerceConnector]:
    workspace = await get_workspace(session, workspace_id=actor.workspace_id)
    async with outbound_client() as http:
        yield connector_for(session, actor, workspace.settings or {}, http)


async def _visible_order(session: SessionDep, actor: Actor, store: CommerceConnector,
                         number: str) -> None:
    """Answer 404 for an order of a customer the actor may not see (limited staff)."""
    if actor.scope is None:
        return
    order = await store.get_order(number)
    if order.customer_id is None:
        raise NotFound("order not found")
    try:
        await access_customer(session, actor=actor, customer_id=order.customer_id)
    except NotFound as exc:
        raise NotFound("order not found") from exc


@router.get("/customers/{customer_id}/orders", response_model=list[OrderRead])
async def list_orders(customer_id: Id, actor: ActorDep, session: SessionDep) -> list[OrderRead]:
    """List a customer's orders with their lines."""
    await access_customer(session, actor=actor, customer_id=customer_id)
    async with _connector(session, actor) as store:
        return await store.list_orders(customer_id)


@router.get("/products", response_model=list[ProductRead])
async def list_products(actor: ActorDep, session: SessionDep) -> list[ProductRead]:
    """List the store's products."""
    async with _connector(session, actor) as store:
        return await store.list_products()


@router.get("/orders/{number}", response_model=OrderRead)
async def read_order(number: str, actor: ActorDep, session: SessionDep) -> OrderRead:
    """Return one order by its store number."""
    async with _connector(session, actor) as store:
        await _visible_order(session, actor, store, number)
        return await store.get_order(number)


@router.get("/orders/{number}/refund", response_model=RefundStatusRead)
async def refund_status(number: str, actor: ActorDep, session: SessionDep) -> RefundStatusRead:
    """Tell where an order's refund stands."""
    async with _connector(session, actor) as store:
        await _visible_order(session, actor, store, number)
        return await store.refund_status(number)


@router.post("/orders/{number}/cancel", response_model=OrderRead)
async def cancel_order(number: str, body: CancelIn, actor: ActorDep,
                       session: SessionDep) -> OrderRead:
    """Cancel a pending order."""
    async with _connector(session, actor) as store:
        await _visible_order(session, actor, store, number)
        order = await store.cancel_order(number, reason=body.reason)
    await session.commit()
    return order


@router.post("/orders/{number}/address", response_model=OrderRead)
async def change_address(number: str, body: AddressIn, actor: ActorDep,
                         session: SessionDep) -> OrderRead:
    """Change a pending order's delivery address."""
    async with _connector(session, actor) as store:
        await _visible_order(session, actor, store, number)
        order = await store.change_address(number, address=body.model_dump())
    await session.commit()
    return order


@router.post("/orders/{number}/return", response_model=OrderRead)
async def start_return(number: str, body: ItemsIn, actor: ActorDep,
                       session: SessionDep) -> OrderRead:
    """Start a return of delivered items."""
    async with _connector(session, actor) as store:
        await _visible_order(session, actor, store, number)
        order = await store.start_return(number, item_ids=body.item_ids, reason=body.reason)
    await session.commit()
    return order


@router.post("/orders/{number}/exchange", response_model=OrderRead)
async def start_exchange(number: str, body: ItemsIn, actor: ActorDep,
                         session: SessionDep) -> OrderRead:
    """Start an exchange of delivered items."""
    async with _connector(session, actor) as store:
        await _visible_order(session, actor, store, number)
        order = await store.start_exchange(number, item_ids=body.item_ids,
                                           new_item_ids=body.new_item_ids,
                                           payment_method=body.payment_method,
                                           reason=body.reason)
    await session.commit()
    return order


@router.get("/policy", response_model=StorePolicy)
async def read_store_policy(actor: ActorDep, session: SessionDep) -> StorePolicy:
    """Return the store policy the bot and order actions follow."""
    return await get_store_policy(session, workspace_id=actor.workspace_id)


@router.patch("/policy", response_model=StorePolicy)
async def update_store_policy(body: dict[str, Any], actor: ActorDep,
                              session: SessionDep) -> StorePolicy:
    """Change the store policy (JSON Merge Patch; admins)."""
    policy = await check_update_store_policy(session, actor=actor, changes=body)
    await session.commit()
    return policy


@router.post("/sync")
async def sync_store(actor: ActorDep, session: SessionDep) -> dict[str, int]:
    """Pull the store's JSON export now (json connector only; admins)."""
    actor.require("admin")
    async with _connector(session, actor) as store:
        if not isinstance(store, JsonStoreConnector):
            raise InvalidInput("this workspace's store is not synced from a JSON export")
        report = await store.sync()
    await session.commit()
    return {"customers": report.customers, "orders": report.orders, "products": report.products}


@router.post("/webhooks/{workspace_slug}/orders", status_code=202)
@body_limit("webhook")
async def order_webhook(workspace_slug: str, request: Request,
                        session: SessionDep) -> dict[str, str]:
    """Apply a store's signed order webhook (X-Omnidesk-Signature: sha256=<hex HMAC>)."""
    workspace = await get_workspace_by_slug(session, slug=workspace_slug)
    if workspace is None:
        raise NotFound("workspace not found")
    raw = await request.body()
    secret = ((workspace.settings or {}).get("commerce") or {}).get("webhook_secret")
    expected = "sha256=" + hmac_sha256_hex(secret or workspace.secret, raw)
    if not constant_time_equals(request.headers.get(SIGNATURE_HEADER, ""), expected):
        raise NotAuthenticated("bad or missing webhook signature")
    try:
        body = OrderWebhookIn.model_validate(json.loads(raw))
    except ValueError as exc:
        raise InvalidInput(f"not an order webhook: {exc}") from exc
    order = await actions.do_upsert_store_order(session, workspace_id=workspace.id,
                                                order_in=body.order)
    await session.commit()
    return {"order_number": order.external_id, "status": order.status}
