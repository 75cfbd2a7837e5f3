"""The store's policy as workspace data, and the one check every order action asks first.

A workspace keeps its policy in ``settings["store_policy"]`` (edited at /settings/store-policy or
``PATCH /api/v1/commerce/policy``): which statuses may be cancelled or have their address
changed, the return and exchange windows per reason counted from delivery, the customer's return
fee per reason, refund times per payment method, who (the bot, agents) may do each action, and
the help-center article that states each rule. `check_order_action` answers whether one action
on one order is allowed now, and if not, why, which article says so and what is allowed instead.
The bot's flows ask it before they offer an action; the commerce actions ask it again before they
perform one, so nothing outside the policy happens whichever way the action arrives.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, Field, field_validator

from omnidesk.core.errors import Conflict
from omnidesk.domains.commerce.models import ORDER_STATUSES, Order

ACTIONS = ("cancel", "change_address", "return", "exchange")
REASONS = ("change_of_mind", "defect")
ACTORS = ("bot", "agent")
REFUND_DAYS = re.compile(r"\d{1,3}(~\d{1,3})?")


class ReturnWindow(BaseModel):
    """How long after delivery a reason allows a return or exchange, and what the customer pays."""

    days: int = Field(ge=0, le=3650, description="Days after delivery, delivery day excluded")
    fee: Decimal = Field(Decimal(0), ge=0, description="Return shipping the customer pays")


class StorePolicy(BaseModel):
    """The rules a store's orders are handled by (the demo store's are the defaults)."""

    cancellable_statuses: list[str] = Field(default_factory=lambda: ["pending"])
    address_change_statuses: list[str] = Field(default_factory=lambda: ["pending"])
    returnable_statuses: list[str] = Field(default_factory=lambda: ["delivered"])
    windows: dict[str, ReturnWindow] = Field(default_factory=lambda: {
        "change_of_mind": ReturnWindow(days=7, fee=Decimal(6000)),
        "defect": ReturnWindow(days=30, fee=Decimal(0))})
    refund_days: dict[str, str] = Field(default_factory=lambda: {
        "gift_card": "0", "points": "0", "card": "5~7", "kakaopay": "5~7", "naverpay": "5~7",
        "tosspay": "5~7", "bank_transfer": "5~7"},
        description="Business days per payment method ('0' = at once)")
    allowed: dict[str, list[str]] = Field(default_factory=lambda: {
        "cancel": ["bot", "agent"], "change_address": ["bot", "agent"],
        "return": ["bot", "agent"], "exchange": ["bot", "agent"]},
        description="Who may perform each action: bot, agent (admins always may)")
    articles: dict[str, str] = Field(default_factory=lambda: {
        "cancel": "order-cancel", "change_address": "delivery-address-change",
        "return": "returns-policy", "exchange": "returns-policy",
        "refund": "refund-timeline", "returns": "returns-policy",
        "how_to_return": "returns-how-to", "how_to_exchange": "exchange-how-to",
        "membership": "membership-tiers", "order_status": "order-status"},
        description="Help-center article (slug) that states each rule")

    @field_validator("cancellable_statuses", "address_change_statuses", "returnable_statuses")
    @classmethod
    def _known_statuses(cls, value: list[str]) -> list[str]:
        unknown = sorted(set(value) - set(ORDER_STATUSES))
        if unknown:
            raise ValueError(f"unknown order statuses: {', '.join(unknown)}")
        return list(dict.fromkeys(value))

    @field_validator("windows")
    @classmethod
    def _known_reasons(cls, value: dict[str, ReturnWindow]) -> dict[str, ReturnWindow]:
        if unknown := sorted(set(value) - set(REASONS)):
            raise ValueError(f"unknown return reasons: {', '.join(unknown)} "
                             f"({', '.join(REASONS)})")
        return value

    @field_validator("refund_days")
    @classmethod
    def _refund_days(cls, value: dict[str, str]) -> dict[str, str]:
        for method, days in value.items():
            if not method.strip():
                raise ValueError("name the payment method")
            if not REFUND_DAYS.fullmatch(days.strip()):
                raise ValueError(f"{method}: write business days as 3 or 5~7")
        return {method.strip(): days.strip() for method, days in value.items()}

    @field_validator("allowed")
    @classmethod
    def _known_actors(cls, value: dict[str, list[str]]) -> dict[str, list[str]]:
        if unknown := sorted(set(value) - set(ACTIONS)):
            raise ValueError(f"unknown actions: {', '.join(unknown)} ({', '.join(ACTIONS)})")
        for actors in value.values():
            if unknown := sorted(set(actors) - set(ACTORS)):
                raise ValueError(f"unknown actors: {', '.join(unknown)} (bot, agent)")
        return value

    def refund_time(self, method: str) -> str | None:
        """Return the business days a refund to this payment method takes ('0': at once)."""
        key = next((k for k in sorted(self.refund_days, key=len, reverse=True)
                    if method.startswith(k)), None)
        return self.refund_days[key] if key else None


def store_policy(workspace_settings: dict[str, Any] | None) -> StorePolicy:
    """Parse the workspace's store policy, defaults filled in."""
    return StorePolicy.model_validate((workspace_settings or {}).get("store_policy") or {})


@dataclass(frozen=True)
class Verdict:
    """Whether an action is allowed on an order now; if not, why and what is allowed instead."""

    allowed: bool
    action: str
    rule: str | None = None  # status | window | delivery_unknown | actor
    article: str | None = None  # slug of the help-center article that states the rule
    alternative: str | None = None  # defect_return | return | agent
    deadline: dt.date | None = None  # last day of the window
    fee: Decimal | None = None
    expected: tuple[str, ...] = ()  # the statuses the action needs (rule "status")

    def explain(self, status: str = "") -> str:
        """Say why in one line for logs, API errors and agents."""
        verb = {"change_address": "change the address of"}.get(self.action, self.action)
        if self.allowed:
            return f"may {verb} the order"
        only = f"only {', '.join(self.expected)}; " if self.expected else ""
        why = {"status": f"an order that is {status}",
               "window": f"this order: its window closed on {self.deadline}",
               "delivery_unknown": "this order: its delivery date is unknown",
               "actor": "orders: not allowed to you"}.get(self.rule or "", "this order")
        return f"cannot {verb} {why} ({only}store policy, see {self.article})"


def _day(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and value:
        try:
            return dt.date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None


def order_dates(order: Order) -> dict[str, Any]:
    """Return the dates an order's fulfilments record: shipped, delivered, installation slot.

    Stores send them in the order's ``fulfillments`` (``{"shipped_at"}``, ``{"delivered_at"}``,
    ``{"installation": {"date", "time_slot", "status"}}``); the last value of each wins.
    """
    found: dict[str, Any] = {"shipped": None, "delivered": None, "installation": None}
    for entry in order.fulfillments or []:
        if not isinstance(entry, dict):
            continue
        found["shipped"] = _day(entry.get("shipped_at")) or found["shipped"]
        found["delivered"] = _day(entry.get("delivered_at")) or found["delivered"]
        if isinstance(entry.get("installation"), dict):
            found["installation"] = entry["installation"]
    return found


def return_deadline(policy: StorePolicy, order: Order, reason: str) -> dt.date | None:
    """Return the last day a return or exchange for this reason may be asked for."""
    delivered = order_dates(order)["delivered"]
    window = policy.windows.get(reason)
    if delivered is None or window is None:
        return None
    return delivered + dt.timedelta(days=window.days)


def check_order_action(policy: StorePolicy, order: Order, action: str, *, today: dt.date,
                       reason: str | None = None, actor: str = "bot") -> Verdict:
    """Decide whether ``actor`` (bot | agent | admin) may perform ``action`` on ``order`` today."""
    article = policy.articles.get(action)
    if action not in ACTIONS:
        raise ValueError(f"unknown order action {action!r}")
    if actor != "admin" and actor not in policy.allowed.get(action, []):
        return Verdict(False, action, "actor", article, "agent")
    if action in ("cancel", "change_address"):
        statuses = (policy.cancellable_statuses if action == "cancel"
                    else policy.address_change_statuses)
        if order.status in statuses:
            return Verdict(True, action, article=article)
        alternative = "return" if order.status in policy.returnable_statuses else "agent"
        return Verdict(False, action, "status", article, alternative, expected=tuple(statuses))
    if order.status not in policy.returnable_statuses:
        return Verdict(False, action, "status", article, "agent",
                       expected=tuple(policy.returnable_statuses))
    reason = reason or "change_of_mind"
    window = policy.windows.get(reason)
    deadline = return_deadline(policy, order, reason)
    if window is None or deadline is None:
        return Verdict(False, action, "delivery_unknown", article, "agent")
    if today > deadline:
        other = policy.windows.get("defect")
        defect_open = (reason != "defect" and other is not None
                       and today <= deadline - dt.timedelta(days=window.days - other.days))
        return Verdict(False, action, "window", article,
                       "defect_return" if defect_open else "agent", deadline)
    return Verdict(True, action, article=article, deadline=deadline, fee=window.fee)


class PolicyRefused(Conflict):
    """An order action the store policy does not allow (the API answers 409 with the rule)."""

    code = "policy_refused"

    def __init__(self, verdict: Verdict, status: str = "") -> None:
        super().__init__(verdict.explain(status), field=verdict.rule)
        self.verdict = verdict


def actor_role(kind: str, role: str) -> str:
    """Name who acts for the policy: the bot (system actor), an admin, or an agent."""
    if kind == "system":
        return "bot"
    return "admin" if role == "admin" else "agent"
