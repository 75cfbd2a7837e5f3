"""Import a store export (users, orders, products JSON in the tau-bench retail shape).

Idempotent: rows are matched by the store's ids, so running the import twice updates in place.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.core.errors import InvalidInput
from omnidesk.core.events import emit
from omnidesk.domains.commerce.events import StoreImported
from omnidesk.domains.commerce.models import Order, OrderItem, Product
from omnidesk.domains.customers.actions import do_resolve_identity
from omnidesk.domains.customers.models import Customer

FILES = ("users.json", "orders.json", "products.json")


@dataclass
class ImportReport:
    """Counts of what an import created or updated."""

    customers: int = 0
    products: int = 0
    orders: int = 0


def read_store_export(path: Path) -> dict[str, dict[str, Any]]:
    """Read and validate the three JSON files of a store export folder."""
    if not path.is_dir():
        raise InvalidInput(f"{path} is not a folder")
    data: dict[str, dict[str, Any]] = {}
    for name in FILES:
        file = path / name
        if not file.exists():
            raise InvalidInput(f"{file} is missing (expected {', '.join(FILES)})")
        try:
            loaded = json.loads(file.read_text(encoding="utf-8"))
        except json.JSONDecodeError as exc:
            raise InvalidInput(f"{file} is not valid JSON: {exc}") from exc
        except (OSError, UnicodeDecodeError) as exc:
            raise InvalidInput(f"{file} cannot be read: {exc}") from exc
        if not isinstance(loaded, dict):
            raise InvalidInput(f"{file} must hold an object keyed by id")
        data[name.removesuffix(".json")] = loaded
    return data


async def do_import_store(
    session: AsyncSession, *, workspace_id: int, data: dict[str, dict[str, Any]],
    progress: Any = None,
) -> ImportReport:
    """Upsert customers, products and orders from a store export."""
    report = ImportReport()
    customers = await _import_users(session, workspace_id, data["users"], report, progress)
    await _import_products(session, workspace_id, data["products"], report)
    await _import_orders(session, workspace_id, data["orders"], customers, report, progress)
    emit(session, StoreImported(customers=report.customers, orders=report.orders,
                                products=report.products), workspace_id=workspace_id)
    return report


async def _import_users(session: AsyncSession, workspace_id: int, users: dict[str, Any],
                        report: ImportReport, progress: Any) -> dict[str, Customer]:
    by_user_id: dict[str, Customer] = {}
    for user_id, user in users.items():
        name = " ".join(filter(None, [user.get("name", {}).get("first_name"),
                                      user.get("name", {}).get("last_name")])) or None
        email = (user.get("email") or "").lower() or None
        if email:  # first, so the user_id below matches this customer by its email identity
            await do_resolve_identity(session, workspace_id=workspace_id, kind="email",
                                      value=email, verified=True, name=name, email=email)
        # The store's own export vouches for its users' emails (an admin imports it).
        customer = await do_resolve_identity(session, workspace_id=workspace_id, kind="user_id",
                                             value=user_id, verified=True, name=name,
                                             email=email, email_verified=True)
        customer.external_id = user_id
        customer.locale = customer.locale or "en"
        customer.attributes = {**customer.attributes, "address": user.get("address", {}),
                               "payment_methods": list(user.get("payment_methods", {}).values())}
        by_user_id[user_id] = customer
        report.customers += 1
        if progress:
            progress()
    return by_user_id


async def _import_products(session: AsyncSession, workspace_id: int, products: dict[str, Any],
                           report: ImportReport) -> None:
    existing = {p.external_id: p for p in (await session.scalars(
        select(Product).where(Product.workspace_id == workspace_id))).all()}
    for product_id, product in products.items():
        variants = product.get("variants", {})
        prices = [Decimal(str(v.get("price", 0))) for v in variants.values()] or [Decimal(0)]
        row = existing.get(product_id) or Product(workspace_id=workspace_id,
                                                  external_id=product_id)
        row.name = product.get("name", product_id)
        row.price, row.currency = min(prices), "USD"
        row.attributes = {"variants": variants}
        row.available = any(v.get("available") for v in variants.values())
        session.add(row)
        report.products += 1
    await session.flush()


async def _import_orders(session: AsyncSession, workspace_id: int, orders: dict[str, Any],
                         customers: dict[str, Customer], report: ImportReport,
                         progress: Any) -> None:
    existing = {o.external_id: o for o in (await session.scalars(
        select(Order).where(Order.workspace_id == workspace_id))).all()}
    for number, order in orders.items():
        row = existing.get(number) or Order(workspace_id=workspace_id, external_id=number)
        customer = customers.get(order.get("user_id", ""))
        row.customer_id = customer.id if customer else None
        row.status = order.get("status", "pending")
        row.address, row.currency = order.get("address", {}), "USD"
        row.payments = order.get("payment_history", [])
        row.fulfillments = order.get("fulfillments", [])
        row.items = [
            OrderItem(workspace_id=workspace_id, name=item.get("name", ""),
                      product_external_id=item.get("product_id"),
                      item_external_id=item.get("item_id"),
                      price=Decimal(str(item.get("price", 0))), quantity=1,
                      options=item.get("options", {}))
            for item in order.get("items", [])
        ]
        row.total = sum((i.price * i.quantity for i in row.items), Decimal(0))
        session.add(row)
        report.orders += 1
        if progress:
            progress()
    await session.flush()
