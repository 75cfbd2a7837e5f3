"""The store policy: one check every order action asks, edited by admins, never stepped over.

The property test draws random orders (status, delivery date or none), days, reasons and actors
and compares `check_order_action` with the demo store's written rules (the help-center articles:
cancel and change the address only while pending; return or exchange a delivered order within 7
days of delivery for a change of mind, 30 days for a defect; no delivery date, no return).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.core.errors import InvalidInput, PermissionDenied
from omnidesk.domains.commerce.connector import DatabaseConnector
from omnidesk.domains.commerce.models import ORDER_STATUSES, Order
from omnidesk.domains.commerce.policy import (
    ACTIONS,
    PolicyRefused,
    StorePolicy,
    check_order_action,
)
from omnidesk.domains.commerce.policy_actions import check_update_store_policy
from omnidesk.domains.commerce.service import get_order_by_number
from tests.conftest import Persona

TODAY = dt.date(2026, 12, 5)
WINDOWS = {"change_of_mind": 7, "defect": 30}


def _order(status: str, delivered: dt.date | None) -> Order:
    entries = [{"type": "delivery", "delivered_at": delivered.isoformat()}] if delivered else []
    return Order(external_id="HB1", status=status, fulfillments=entries, items=[])


def _written_rule(status: str, delivered: dt.date | None, action: str, reason: str,
                  today: dt.date, actor: str) -> bool:
    """The demo store's rules as its articles state them (an independent oracle)."""
    if actor not in ("bot", "agent", "admin"):
        return False
    if action in ("cancel", "change_address"):
        return status == "pending"
    if status != "delivered" or delivered is None:
        return False
    return (today - delivered).days <= WINDOWS[reason]


@settings(max_examples=600, deadline=None)
@given(status=st.sampled_from(ORDER_STATUSES),
       delivered_ago=st.one_of(st.none(), st.integers(min_value=-3, max_value=400)),
       action=st.sampled_from(ACTIONS), reason=st.sampled_from(sorted(WINDOWS)),
       today=st.dates(min_value=dt.date(2025, 1, 1), max_value=dt.date(2028, 12, 31)),
       actor=st.sampled_from(["bot", "agent", "admin"]))
def test_no_action_is_allowed_outside_the_written_policy(
        status: str, delivered_ago: int | None, action: str, reason: str, today: dt.date,
        actor: str) -> None:
    delivered = None if delivered_ago is None else today - dt.timedelta(days=delivered_ago)
    verdict = check_order_action(StorePolicy(), _order(status, delivered), action,
                                 today=today, reason=reason, actor=actor)
    assert verdict.allowed == _written_rule(status, delivered, action, reason, today, actor)
    if not verdict.allowed:
        assert verdict.rule and verdict.article and verdict.alternative  # why, where, instead
    if verdict.allowed and action in ("return", "exchange"):
        assert verdict.deadline is not None and today <= verdict.deadline


@settings(max_examples=200, deadline=None)
@given(days=st.integers(min_value=0, max_value=60), ago=st.integers(min_value=0, max_value=90),
       bot_may=st.booleans())
def test_an_edited_policy_is_the_one_enforced(days: int, ago: int, bot_may: bool) -> None:
    policy = StorePolicy.model_validate({
        "windows": {"change_of_mind": {"days": days, "fee": 0}, "defect": {"days": days}},
        "allowed": {"return": ["bot", "agent"] if bot_may else ["agent"]}})
    order = _order("delivered", TODAY - dt.timedelta(days=ago))
    bot = check_order_action(policy, order, "return", today=TODAY, actor="bot")
    agent = check_order_action(policy, order, "return", today=TODAY, actor="agent")
    assert bot.allowed == (bot_may and ago <= days)
    assert agent.allowed == (ago <= days)


def test_past_the_change_of_mind_window_a_defect_return_is_the_alternative() -> None:
    order = _order("delivered", TODAY - dt.timedelta(days=12))
    verdict = check_order_action(StorePolicy(), order, "return", today=TODAY,
                                 reason="change_of_mind")
    assert not verdict.allowed and verdict.rule == "window"
    assert verdict.alternative == "defect_return" and verdict.deadline == TODAY - dt.timedelta(5)
    assert verdict.article == "returns-policy"
    defect = check_order_action(StorePolicy(), order, "return", today=TODAY, reason="defect")
    assert defect.allowed and defect.fee == 0
    fresh = check_order_action(StorePolicy(), _order("delivered", TODAY), "exchange",
                               today=TODAY, reason="change_of_mind")
    assert fresh.allowed and fresh.fee == Decimal(6000)


def _with_delivery(order: Order, ago: int) -> None:
    when = dt.datetime.now(dt.UTC) - dt.timedelta(days=ago)
    order.fulfillments = [{"type": "delivery", "delivered_at": when.isoformat()}]


async def test_the_order_actions_refuse_a_return_outside_the_window(
        session: AsyncSession, owner: Persona, orders: dict[str, str]) -> None:
    row = await get_order_by_number(session, workspace_id=owner.workspace_id,
                                    number=orders["delivered"])
    assert row is not None
    _with_delivery(row, 100)
    await session.flush()
    store = DatabaseConnector(session, owner.agent)
    for reason in ("change_of_mind", "defect"):
        with pytest.raises(PolicyRefused, match="window closed"):
            await store.start_return(orders["delivered"], item_ids=["v-blue-m"], reason=reason)
    _with_delivery(row, 20)
    await session.flush()
    with pytest.raises(PolicyRefused):
        await store.start_return(orders["delivered"], item_ids=["v-blue-m"])
    order = await store.start_return(orders["delivered"], item_ids=["v-blue-m"], reason="defect")
    assert order.status == "return_requested"


async def test_admins_edit_the_policy_and_agents_may_not(
        session: AsyncSession, owner: Persona) -> None:
    with pytest.raises(PermissionDenied):
        await check_update_store_policy(session, actor=owner.agent, changes={})
    with pytest.raises(InvalidInput, match="unknown order statuses"):
        await check_update_store_policy(session, actor=owner.admin,
                                        changes={"cancellable_statuses": ["shipped?"]})
    with pytest.raises(InvalidInput, match="unknown policy fields"):
        await check_update_store_policy(session, actor=owner.admin, changes={"nope": 1})
    policy = await check_update_store_policy(
        session, actor=owner.admin, changes={"windows": {"change_of_mind": {"days": 14}}})
    assert policy.windows["change_of_mind"].days == 14
    assert policy.windows["change_of_mind"].fee == Decimal(6000)  # merge patch keeps the rest
    assert policy.windows["defect"].days == 30


async def test_the_policy_api_reads_and_patches(client: httpx.AsyncClient,
                                                owner: Persona, orders: dict[str, str]) -> None:
    read = await client.get("/api/v1/commerce/policy", headers=owner.headers)
    assert read.status_code == 200 and read.json()["windows"]["defect"]["days"] == 30
    bad = await client.patch("/api/v1/commerce/policy", headers=owner.headers,
                             json={"windows": {"defect": {"days": -1}}})
    assert bad.status_code == 422 and "windows.defect.days" in bad.json()["message"]
    patched = await client.patch("/api/v1/commerce/policy", headers=owner.headers,
                                 json={"returnable_statuses": ["processed"]})
    assert patched.status_code == 200
    refused = await client.post(f"/api/v1/commerce/orders/{orders['delivered']}/return",
                                headers=owner.headers, json={"item_ids": ["v-blue-m"]})
    assert refused.status_code == 409 and "only processed" in refused.json()["message"]
