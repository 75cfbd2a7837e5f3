"""Store orders in every status, and a slice of the tau-bench retail export."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.core.db import utcnow
from omnidesk.domains.commerce.models import Order, OrderItem, Product
from omnidesk.domains.customers.models import Customer
from tests.conftest import SHARED_DATA, Persona

STATUSES = ("pending", "processed", "delivered", "cancelled")
VARIANTS = {"v-blue-m": {"item_id": "v-blue-m", "available": True, "price": 50},
            "v-red-m": {"item_id": "v-red-m", "available": True, "price": 50},
            "v-black-m": {"item_id": "v-black-m", "available": False, "price": 50},
            "v-green-l": {"item_id": "v-green-l", "available": True, "price": 54.5,
                          "options": {"color": "green", "size": "L"}}}


@pytest.fixture
async def orders(session: AsyncSession, owner: Persona) -> dict[str, str]:
    """One order per status (numbers O-pending, O-delivered, …) for one customer."""
    ws = owner.workspace_id
    customer = Customer(workspace_id=ws, name="Noah Brown", email="noah@example.com")
    session.add_all([customer, Product(workspace_id=ws, external_id="tee", name="T-Shirt",
                                       price=Decimal(50), attributes={"variants": VARIANTS})])
    await session.flush()
    for status in STATUSES:
        session.add(Order(
            workspace_id=ws, external_id=f"O-{status}", customer_id=customer.id, status=status,
            total=Decimal(50), currency="USD", address={"address1": "1 Main St"},
            payments=[{"transaction_type": "payment", "amount": 50}],
            fulfillments=[{"type": "delivery", "delivered_at": utcnow().isoformat()}]
            if status == "delivered" else [],
            items=[OrderItem(workspace_id=ws, name="T-Shirt", product_external_id="tee",
                             item_external_id="v-blue-m", price=Decimal(50))]))
    await session.commit()
    return {status: f"O-{status}" for status in STATUSES}


def tau_export(users: int = 3) -> dict[str, dict[str, Any]]:
    """Return a few tau-bench users with their orders and the products those orders hold."""
    folder = SHARED_DATA / "tau_retail"
    if not folder.exists():
        pytest.skip(f"{folder} is absent (the shared data folder is not checked out here)")
    all_users = json.loads((folder / "users.json").read_text(encoding="utf-8"))
    all_orders = json.loads((folder / "orders.json").read_text(encoding="utf-8"))
    all_products = json.loads((folder / "products.json").read_text(encoding="utf-8"))
    picked = dict(list(all_users.items())[:users])
    orders = {n: all_orders[n] for u in picked.values() for n in u["orders"] if n in all_orders}
    product_ids = {i["product_id"] for o in orders.values() for i in o["items"]}
    return {"users": picked, "orders": orders,
            "products": {k: v for k, v in all_products.items() if k in product_ids}}
