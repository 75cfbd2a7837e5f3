"""The demo shoppers' site behaviour over the 90 days: browsing, and what preceded each contact.

Every customer browses now and then (noise). Before most conversations the customer did
something that fits its reason — a delayed delivery before "배송 지연", a declined card before
"결제 오류", visits to the returns page before "반품" — but not always, not only that, and
sometimes what fits another reason: the contact-reason model has a signal to learn, not a rule.
Rows go straight into the table (as it happened), so no campaign fires on old history.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.demo.dataset import DemoDataset
from omnidesk.domains.commerce.models import BehaviourEvent
from omnidesk.domains.customers.models import Customer

SITE = "https://hanbit.example"
# (probability, kind, url or None, properties); "{order}" is the contact's order number.
Step = tuple[float, str, str | None, dict[str, Any]]
ORDER_PAGE: Step = (0.6, "page", "/orders/{order}", {})
TRACKING: Step = (0.5, "page", "/orders/{order}/tracking", {})
RETURNS: Step = (0.7, "page", "/returns", {})
INSTALL: Step = (0.6, "page", "/installation", {})
POINTS: Step = (0.6, "page", "/mypage/points", {})
WARRANTY: Step = (0.5, "page", "/support/warranty", {})
SHIPPED: Step = (0.5, "order_shipped", None, {"carrier": "한빛택배"})
STEPS: dict[str, list[Step]] = {
    "order_status": [ORDER_PAGE, TRACKING, SHIPPED],
    "delivery_tracking": [TRACKING, TRACKING, SHIPPED],
    "delivery_delay": [(0.7, "delivery_delayed", None, {"reason": "물량 증가", "days": 2}),
                       TRACKING],
    "delivery_missing": [(0.7, "order_shipped", None, {"carrier": "한빛택배"}), TRACKING,
                         TRACKING],
    "payment_error": [(0.7, "checkout", "/checkout/payment", {"step": "payment",
                                                             "status": "declined"}),
                      (0.4, "payment_failed", None, {"code": "card_declined"}),
                      (0.3, "error", "/checkout/payment", {"code": "pg_timeout"})],
    "payment_question": [(0.5, "page", "/help/payment", {}),
                         (0.5, "checkout", "/checkout/payment", {"step": "payment"})],
    "cancel_order": [ORDER_PAGE, (0.5, "page", "/orders/{order}/cancel", {})],
    "return": [RETURNS, RETURNS, ORDER_PAGE],
    "exchange": [RETURNS, (0.4, "page", "/returns/exchange", {})],
    "refund_request": [RETURNS, ORDER_PAGE],
    "refund_status": [(0.5, "page", "/orders/{order}/refund", {}), RETURNS],
    "installation_booking": [INSTALL, ORDER_PAGE],
    "installation_no_show": [INSTALL, TRACKING],
    "installation_defect": [INSTALL, WARRANTY],
    "product_question": [(0.8, "view", "/products/{sku}", {}), (0.5, "search", "/search", {}),
                         (0.3, "cart", "/cart", {"items": 1})],
    "stock": [(0.8, "view", "/products/{sku}", {}), (0.4, "wishlist", "/products/{sku}", {})],
    "order_request": [(0.6, "cart", "/cart", {"items": 2}), (0.5, "view", "/products/{sku}", {})],
    "coupon": [(0.6, "cart", "/cart", {"items": 1}),
               (0.5, "checkout", "/checkout/coupon", {"step": "coupon"}),
               (0.4, "page", "/events", {})],
    "points": [POINTS, (0.4, "page", "/mypage", {})],
    "membership_tier": [(0.6, "page", "/mypage/grade", {}), (0.4, "page", "/mypage", {})],
    "account": [(0.5, "page", "/login", {}), (0.5, "error", "/login", {"code": "login_failed"})],
    "receipt": [(0.5, "page", "/orders/{order}/receipt", {}), ORDER_PAGE],
    "tax_invoice": [(0.5, "page", "/orders/{order}/receipt", {}),
                    (0.4, "page", "/help/tax-invoice", {})],
    "repair": [WARRANTY, (0.4, "page", "/support", {})],
    "warranty": [WARRANTY, ORDER_PAGE],
    "address_change": [ORDER_PAGE, (0.4, "page", "/mypage/address", {})],
    "product_issue": [(0.4, "page", "/support", {}), ORDER_PAGE],
    "complaint": [(0.3, "page", "/orders", {})],
    "follow_up": [(0.3, "page", "/orders", {})],
    "thanks": [],
}
BROWSE: list[tuple[str, str]] = [("page", "/"), ("page", "/category/kitchen"),
                                 ("page", "/category/living"), ("view", "/products/{sku}"),
                                 ("search", "/search"), ("page", "/events")]
NO_TRAIL = 0.15  # share of contacts with nothing on the site before them
OTHER_TRAIL = 0.2  # share whose trail fits another reason (a confused or multi-issue shopper)
QUIET_DAYS = 3  # no generated carts in the last days: the idle-cart campaign ignores history


def behaviour_rows(data: DemoDataset, now: dt.datetime, *,
                   seed: int = 7) -> list[dict[str, Any]]:
    """Generate the behaviour events of the demo history, as plain dicts (oldest first)."""
    rng = random.Random(seed * 7919 + 18)
    skus = [p.sku for p in data.products] or ["SKU"]
    rows: list[dict[str, Any]] = []
    for customer in data.customers:
        for _ in range(rng.randint(2, 8)):
            rows += _browse(rng, customer.key, _moment(rng, now), skus)
    for conv in data.conversations:
        if rng.random() < NO_TRAIL:
            continue
        intent = conv.intent
        if rng.random() < OTHER_TRAIL:
            intent = rng.choice(sorted(STEPS))
        rows += _trail(rng, conv.customer_key, conv.started_at, STEPS.get(intent, []),
                       conv.order_number or "", skus)
    quiet = now - dt.timedelta(days=QUIET_DAYS)
    rows = [r for r in rows if r["occurred_at"] < now and not (
        r["kind"] == "cart" and r["occurred_at"] > quiet)]
    return sorted(rows, key=lambda r: r["occurred_at"])


def _moment(rng: random.Random, now: dt.datetime) -> dt.datetime:
    return now - dt.timedelta(days=rng.uniform(0, 90), minutes=rng.uniform(0, 600))


def _browse(rng: random.Random, key: str, start: dt.datetime,
            skus: list[str]) -> list[dict[str, Any]]:
    """A few page and product views in one sitting."""
    rows = []
    for n in range(rng.randint(1, 4)):
        kind, path = rng.choice(BROWSE)
        rows.append(_row(key, kind, path.format(sku=rng.choice(skus)), {},
                         start + dt.timedelta(minutes=3 * n)))
    return rows


def _trail(rng: random.Random, key: str, contact_at: dt.datetime, steps: list[Step],
           order: str, skus: list[str]) -> list[dict[str, Any]]:
    """What the customer did in the hours (business events: the days) before contacting."""
    rows = []
    minutes = rng.uniform(2, 90)
    for probability, kind, path, properties in steps:
        if rng.random() >= probability:
            continue
        if kind in ("order_shipped", "delivery_delayed", "payment_failed"):
            at = contact_at - dt.timedelta(hours=rng.uniform(1, 72 if kind != "order_shipped"
                                                             else 140))
            url = None
            properties = {**properties, "order_number": order} if order else properties
        else:
            minutes += rng.uniform(1, 30)
            at = contact_at - dt.timedelta(minutes=minutes)
            url = path.format(order=order or "0", sku=rng.choice(skus)) if path else None
        rows.append(_row(key, kind, url, dict(properties), at))
    return rows


def _row(key: str, kind: str, path: str | None, properties: dict[str, Any],
         at: dt.datetime) -> dict[str, Any]:
    return {"customer_key": key, "kind": kind, "url": f"{SITE}{path}" if path else None,
            "data": properties, "occurred_at": at.replace(microsecond=0),
            "source": "server" if path is None else "widget"}


async def load_behaviour_history(session: AsyncSession, ws_id: int, data: DemoDataset,
                                 customers: dict[str, Customer], now: dt.datetime, *,
                                 seed: int = 7) -> int:
    """Store the generated behaviour events of the demo's customers; return how many."""
    rows = behaviour_rows(data, now, seed=seed)
    session.add_all(BehaviourEvent(workspace_id=ws_id, customer_id=customers[r["customer_key"]].id,
                                   kind=r["kind"], source=r["source"], url=r["url"],
                                   data=r["data"], occurred_at=r["occurred_at"])
                    for r in rows if r["customer_key"] in customers)
    await session.flush()
    return len(rows)
