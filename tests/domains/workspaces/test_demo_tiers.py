"""One tier computation: the demo's stored tier is the one assist.tiers computes from spend."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from omnidesk.demo.dataset import generate_demo_dataset
from omnidesk.demo.loader import DEMO_SETTINGS
from omnidesk.domains.assist.tiers import tier_progress, tiers_from_settings


def test_every_demo_customer_has_the_tier_their_spend_reaches() -> None:
    data = generate_demo_dataset(seed=7, now=dt.datetime(2026, 12, 5, 9, tzinfo=dt.UTC))
    ladder = tiers_from_settings(DEMO_SETTINGS)
    spent: dict[str, Decimal] = {}
    for order in data.orders:
        if order.status != "cancelled":
            spent[order.customer_key] = spent.get(order.customer_key, Decimal(0)) + sum(
                (Decimal(i.price) * i.quantity for i in order.items), Decimal(0))
    tiers = {c.key: c.attributes["tier"] for c in data.customers}
    assert tiers and all(
        tier_progress(spent.get(key, Decimal(0)), ladder).current.key == tier
        for key, tier in tiers.items())
    vips = [c for c in data.customers if c.attributes["tier"] == "vip"]
    assert vips and all("vip" in c.tags for c in vips)
