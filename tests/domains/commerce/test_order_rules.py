"""Order actions follow the store policy: change pending orders, return or exchange delivered ones."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.core.audit import AuditEntry
from omnidesk.core.errors import Conflict, InvalidInput, NotFound
from omnidesk.core.events import OutboxEvent
from omnidesk.domains.commerce.connector import DatabaseConnector
from omnidesk.domains.commerce.service import get_order_by_number
from omnidesk.domains.customers.models import Customer
from tests.conftest import Persona


def _store(session: AsyncSession, persona: Persona) -> DatabaseConnector:
    return DatabaseConnector(session, persona.agent)


async def test_only_a_pending_order_can_be_cancelled_and_it_is_refunded(
        session: AsyncSession, owner: Persona, orders: dict[str, str]) -> None:
    store = _store(session, owner)
    for status in ("processed", "delivered", "cancelled"):
        with pytest.raises(Conflict, match=f"cannot cancel an order that is {status}"):
            await store.cancel_order(orders[status], reason="no longer needed")
    order = await store.cancel_order(orders["pending"], reason="ordered by mistake")
    await session.commit()
    assert order.status == "cancelled"
    refund = await store.refund_status(orders["pending"])
    assert refund.status == "refunded" and refund.amount == 50
    assert await session.scalar(select(func.count(AuditEntry.id)).where(
        AuditEntry.action == "order.cancelled")) == 1
    assert await session.scalar(select(func.count(OutboxEvent.id)).where(
        OutboxEvent.name == "commerce.order_updated")) == 1


async def test_only_a_pending_order_gets_a_new_address(
        session: AsyncSession, owner: Persona, orders: dict[str, str]) -> None:
    store = _store(session, owner)
    with pytest.raises(Conflict):
        await store.change_address(orders["processed"], address={"address1": "2 Oak Ave"})
    await store.change_address(orders["pending"], address={"address1": "2 Oak Ave"})


async def test_returns_and_exchanges_need_a_delivered_order(
        session: AsyncSession, owner: Persona, orders: dict[str, str]) -> None:
    store = _store(session, owner)
    for status in ("pending", "processed", "cancelled"):
        with pytest.raises(Conflict):
            await store.start_return(orders[status], item_ids=["v-blue-m"])
        with pytest.raises(Conflict):
            await store.start_exchange(orders[status], item_ids=["v-blue-m"],
                                       new_item_ids=["v-red-m"])
    with pytest.raises(InvalidInput, match="not in order"):
        await store.start_return(orders["delivered"], item_ids=["nope"])
    returned = await store.start_return(orders["delivered"], item_ids=["v-blue-m"])
    assert returned.status == "return_requested"
    assert (await store.refund_status(orders["delivered"])).status == "requested"


async def test_an_exchange_must_be_another_available_variant_of_the_same_product(
        session: AsyncSession, owner: Persona, orders: dict[str, str]) -> None:
    store = _store(session, owner)
    number = orders["delivered"]
    with pytest.raises(InvalidInput, match="not another variant"):
        await store.start_exchange(number, item_ids=["v-blue-m"], new_item_ids=["shoe-42"])
    with pytest.raises(InvalidInput, match="not another variant"):
        await store.start_exchange(number, item_ids=["v-blue-m"], new_item_ids=["v-blue-m"])
    with pytest.raises(Conflict, match="not available"):
        await store.start_exchange(number, item_ids=["v-blue-m"], new_item_ids=["v-black-m"])
    order = await store.start_exchange(number, item_ids=["v-blue-m"], new_item_ids=["v-red-m"])
    assert order.status == "exchange_requested"


async def test_an_exchange_records_the_price_difference_and_who_settles_it(
        session: AsyncSession, owner: Persona, orders: dict[str, str]) -> None:
    store = _store(session, owner)
    await store.start_exchange(orders["delivered"], item_ids=["v-blue-m"],
                               new_item_ids=["v-green-l"], payment_method="credit_card_1")
    await session.commit()
    order = await store.get_order(orders["delivered"])
    assert order.status == "exchange_requested"
    row = await get_order_by_number(session, workspace_id=owner.workspace_id,
                                    number=orders["delivered"])
    [exchange] = [f for f in row.fulfillments if f.get("type") == "exchange"]
    assert exchange["new_item_ids"] == ["v-green-l"]
    assert Decimal(exchange["price_difference"]) == Decimal("4.5")
    assert exchange["payment_method"] == "credit_card_1"
    entry = await session.scalar(select(AuditEntry).where(
        AuditEntry.action == "order.exchange_requested"))
    assert entry is not None and entry.data["new_item_ids"] == ["v-green-l"]
    [event] = (await session.scalars(select(OutboxEvent).where(
        OutboxEvent.name == "commerce.order_updated"))).all()
    assert event.payload["action"] == "exchange_requested"
    assert event.payload["status"] == "exchange_requested"


async def test_a_gift_card_must_cover_the_price_difference(
        session: AsyncSession, owner: Persona, orders: dict[str, str]) -> None:
    row = await get_order_by_number(session, workspace_id=owner.workspace_id,
                                    number=orders["delivered"])
    customer = await session.get(Customer, row.customer_id)
    customer.attributes = {"payment_methods": [
        {"id": "gift_card_1", "source": "gift_card", "balance": 3}]}
    await session.commit()
    store = _store(session, owner)
    with pytest.raises(Conflict, match="cannot cover"):
        await store.start_exchange(orders["delivered"], item_ids=["v-blue-m"],
                                   new_item_ids=["v-green-l"], payment_method="gift_card_1")
    order = await store.start_exchange(orders["delivered"], item_ids=["v-blue-m"],
                                       new_item_ids=["v-red-m"], payment_method="gift_card_1")
    assert order.status == "exchange_requested"  # same price: nothing to pay


async def test_another_workspace_cannot_see_or_touch_the_orders(
        session: AsyncSession, owner: Persona, outsider: Persona, orders: dict[str, str]) -> None:
    store = _store(session, outsider)
    with pytest.raises(NotFound):
        await store.get_order(orders["pending"])
    with pytest.raises(NotFound):
        await store.cancel_order(orders["pending"], reason="no longer needed")
