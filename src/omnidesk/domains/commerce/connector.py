"""The commerce connector: one interface to the business's store, whatever runs it.

`DatabaseConnector` works over the synced Product/Order tables (the demo store, imports).
`JsonStoreConnector` keeps those tables current from a store's REST/JSON export and order
webhooks, and performs actions through the store's REST API, applying the answer locally so the
customer 360 profile shows the new state at once. Pick one per workspace with
`settings["commerce"] = {"connector": "database" | "json", "export_url", "api_url", "api_key"}`.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Protocol
from urllib.parse import quote

import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.core.context import Actor
from omnidesk.core.errors import Conflict, DomainError, InvalidInput, NotFound
from omnidesk.domains.commerce import actions
from omnidesk.domains.commerce.import_actions import ImportReport, do_import_store
from omnidesk.domains.commerce.schemas import (
    OrderRead,
    ProductRead,
    RefundStatusRead,
    StoreCustomerRead,
)
from omnidesk.domains.commerce.service import (
    list_orders_for_customer,
    list_products,
    order_stats_by_customer,
)
from omnidesk.domains.customers.service import get_customer


class StoreUnavailable(DomainError):
    """The store's API could not be reached or failed (retry later)."""

    status = 502
    code = "store_unavailable"


async def _request(http: httpx.AsyncClient, method: str, url: str, **kwargs: Any
                   ) -> httpx.Response:
    """Call the store; transport failures and 5xx answers become StoreUnavailable."""
    try:
        response = await http.request(method, url, **kwargs)
    except httpx.HTTPError as exc:
        raise StoreUnavailable(f"the store did not answer ({type(exc).__name__})") from exc
    if response.status_code >= 500 or response.status_code in {401, 403, 404}:
        raise StoreUnavailable(f"the store answered {response.status_code}")
    return response


class CommerceConnector(Protocol):
    """What omnidesk needs from a store: customers, orders, products and order actions."""

    async def get_customer(self, customer_id: int) -> StoreCustomerRead: ...
    async def list_orders(self, customer_id: int) -> list[OrderRead]: ...
    async def get_order(self, number: str) -> OrderRead: ...
    async def list_products(self) -> list[ProductRead]: ...
    async def cancel_order(self, number: str, *, reason: str) -> OrderRead: ...
    async def change_address(self, number: str, *, address: dict[str, Any]) -> OrderRead: ...
    async def start_return(self, number: str, *, item_ids: list[str],
                           reason: str = "change_of_mind") -> OrderRead: ...
    async def start_exchange(self, number: str, *, item_ids: list[str],
                             new_item_ids: list[str], payment_method: str | None = None,
                             reason: str = "change_of_mind") -> OrderRead: ...
    async def refund_status(self, number: str) -> RefundStatusRead: ...


def refund_status_of(order: Any) -> RefundStatusRead:
    """Summarise an order's refunds from its payment history."""
    entries = [p for p in order.payments if p.get("transaction_type") == "refund"]
    amount = sum((Decimal(str(p.get("amount", 0))) for p in entries), Decimal(0))
    if entries:
        status = "refunded"
    elif order.status in {"cancelled", "return_requested", "returned"}:
        status = "requested"
    else:
        status = "none"
    return RefundStatusRead(order_number=order.external_id, status=status, amount=amount,
                            currency=order.currency, entries=entries)


class DatabaseConnector:
    """The reference connector over omnidesk's own commerce tables."""

    def __init__(self, session: AsyncSession, actor: Actor) -> None:
        self.session, self.actor = session, actor

    async def get_customer(self, customer_id: int) -> StoreCustomerRead:
        """Return the store's view of a customer."""
        customer = await get_customer(self.session, workspace_id=self.actor.workspace_id,
                                      customer_id=customer_id)
        stats = (await order_stats_by_customer(self.session, workspace_id=customer.workspace_id,
                                               customer_ids={customer.id})).get(customer.id)
        return StoreCustomerRead(customer_id=customer.id, external_id=customer.external_id,
                                 orders=stats.orders if stats else 0,
                                 spent=stats.spent if stats else Decimal(0))

    async def list_orders(self, customer_id: int) -> list[OrderRead]:
        """List a customer's orders, newest first."""
        rows = await list_orders_for_customer(self.session, workspace_id=self.actor.workspace_id,
                                              customer_id=customer_id)
        return [OrderRead.model_validate(o) for o in rows]

    async def get_order(self, number: str) -> OrderRead:
        """Return one order by number."""
        order = await actions.access_order(self.session, actor=self.actor, number=number)
        return OrderRead.model_validate(order)

    async def list_products(self) -> list[ProductRead]:
        """List the catalogue."""
        rows = await list_products(self.session, workspace_id=self.actor.workspace_id)
        return [ProductRead.model_validate(p) for p in rows]

    async def cancel_order(self, number: str, *, reason: str) -> OrderRead:
        """Cancel a pending order."""
        order = await actions.do_cancel_order(self.session, actor=self.actor, number=number,
                                              reason=reason)
        return OrderRead.model_validate(order)

    async def change_address(self, number: str, *, address: dict[str, Any]) -> OrderRead:
        """Change a pending order's address."""
        order = await actions.do_change_address(self.session, actor=self.actor, number=number,
                                                address=address)
        return OrderRead.model_validate(order)

    async def start_return(self, number: str, *, item_ids: list[str],
                           reason: str = "change_of_mind") -> OrderRead:
        """Start a return of delivered items (inside the reason's window)."""
        order = await actions.do_start_return(self.session, actor=self.actor, number=number,
                                              item_ids=item_ids, reason=reason)
        return OrderRead.model_validate(order)

    async def start_exchange(self, number: str, *, item_ids: list[str],
                             new_item_ids: list[str], payment_method: str | None = None,
                             reason: str = "change_of_mind") -> OrderRead:
        """Start an exchange of delivered items; the payment method settles the difference."""
        order = await actions.do_start_exchange(self.session, actor=self.actor, number=number,
                                                item_ids=item_ids, new_item_ids=new_item_ids,
                                                payment_method=payment_method, reason=reason)
        return OrderRead.model_validate(order)

    async def refund_status(self, number: str) -> RefundStatusRead:
        """Tell where an order's refund stands."""
        return refund_status_of(await actions.access_order(self.session, actor=self.actor,
                                                           number=number))


class JsonStoreConnector(DatabaseConnector):
    """A store reached over HTTP: sync from its JSON export, act through its REST API."""

    def __init__(self, session: AsyncSession, actor: Actor, *, config: dict[str, Any],
                 http: httpx.AsyncClient) -> None:
        super().__init__(session, actor)
        self.config, self.http = config, http

    def _headers(self) -> dict[str, str]:
        key = self.config.get("api_key")
        return {"Authorization": f"Bearer {key}"} if key else {}

    async def sync(self) -> ImportReport:
        """Fetch the store's export ({users, orders, products}) and upsert it."""
        url = self.config.get("export_url")
        if not url:
            raise InvalidInput("set settings.commerce.export_url first", field="export_url")
        response = await _request(self.http, "GET", url, headers=self._headers(), timeout=30)
        try:
            data = response.json()
        except ValueError as exc:
            raise InvalidInput("the export is not JSON") from exc
        if not isinstance(data, dict) or not all(isinstance(data.get(k), dict)
                                                 for k in ("users", "orders", "products")):
            raise InvalidInput("the export must hold users, orders and products objects")
        return await do_import_store(self.session, workspace_id=self.actor.workspace_id,
                                     data=data)

    async def _act(self, number: str, action: str, body: dict[str, Any],
                   policy_action: str, reason: str | None = None) -> OrderRead:
        base = self.config.get("api_url")
        if not base:
            raise InvalidInput("this store has no api_url for order actions", field="api_url")
        order = await actions.access_order(self.session, actor=self.actor, number=number)
        await actions.require_policy(self.session, self.actor, order, policy_action, reason)
        url = f"{base.rstrip('/')}/orders/{quote(number, safe='')}/{action}"
        response = await _request(self.http, "POST", url, json=body, headers=self._headers(),
                                  timeout=15)
        if response.status_code >= 400:
            raise Conflict(f"the store refused: {response.text[:200]}")
        try:
            order_in = response.json()
        except ValueError as exc:
            raise StoreUnavailable("the store answered something that is not JSON") from exc
        order = await actions.do_upsert_store_order(
            self.session, workspace_id=self.actor.workspace_id, order_in=order_in)
        return OrderRead.model_validate(order)

    async def cancel_order(self, number: str, *, reason: str) -> OrderRead:
        """Ask the store to cancel the order."""
        return await self._act(number, "cancel", {"reason": reason}, "cancel")

    async def change_address(self, number: str, *, address: dict[str, Any]) -> OrderRead:
        """Ask the store to change the address."""
        return await self._act(number, "address", {"address": address}, "change_address")

    async def start_return(self, number: str, *, item_ids: list[str],
                           reason: str = "change_of_mind") -> OrderRead:
        """Ask the store to open a return."""
        return await self._act(number, "return", {"item_ids": item_ids, "reason": reason},
                               "return", reason)

    async def start_exchange(self, number: str, *, item_ids: list[str],
                             new_item_ids: list[str], payment_method: str | None = None,
                             reason: str = "change_of_mind") -> OrderRead:
        """Ask the store to open an exchange (the payment method settles the difference)."""
        body: dict[str, Any] = {"item_ids": item_ids, "new_item_ids": new_item_ids,
                                "reason": reason}
        if payment_method:
            body["payment_method_id"] = payment_method
        return await self._act(number, "exchange", body, "exchange", reason)


def connector_for(session: AsyncSession, actor: Actor, settings: dict[str, Any],
                  http: httpx.AsyncClient | None = None) -> CommerceConnector:
    """Return the workspace's configured connector (database unless settings say json)."""
    config = settings.get("commerce") or {}
    kind = config.get("connector", "database")
    if kind == "database":
        return DatabaseConnector(session, actor)
    if kind == "json":
        if http is None:
            raise InvalidInput("the json connector needs an HTTP client")
        return JsonStoreConnector(session, actor, config=config, http=http)
    raise NotFound(f"unknown commerce connector {kind!r}")
