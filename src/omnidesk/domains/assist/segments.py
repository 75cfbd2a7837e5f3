"""Rule-based customer segments over a customer's facts (tier, RFM, contact history, behaviour).

A segment is `{"key", "name_ko", "name_en", "match": "all"|"any", "rules": [{"field", "op",
"value"}]}`, configured per workspace in `settings["segments"]` (DEFAULT_SEGMENTS otherwise).
Rules are data, never code: fields and operators come from fixed tables, so a segment cannot run
anything. Each segment gets a readable description generated from its rules, in Korean and English.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from omnidesk.core.errors import InvalidInput


@dataclass
class CustomerFacts:
    """What segments and personas look at, gathered for one customer."""

    customer_id: int
    tier: str = "basic"
    spent: Decimal = Decimal(0)
    orders: int = 0
    recency_days: int | None = None  # days since the last order
    contacts: int = 0  # conversations on any channel
    open_issues: int = 0
    last_contact_days: int | None = None
    avg_csat: float | None = None
    installation_items: int = 0
    items: int = 0
    channels: list[str] = field(default_factory=list)
    views_30d: int = 0
    carts_30d: int = 0
    tags: list[str] = field(default_factory=list)
    attributes: dict[str, Any] = field(default_factory=dict)

    def rfm(self) -> tuple[int, int, int]:
        """Score recency, frequency and monetary value 1–5 (5 is best)."""
        return (_score_recency(self.recency_days), _score(self.orders, (2, 3, 5, 10)),
                _score(float(self.spent), (300_000, 600_000, 1_000_000, 2_000_000)))

    def value(self, name: str) -> Any:
        """Return a field's value for rule matching (attribute.x reads customer attributes)."""
        if name.startswith("attribute."):
            return self.attributes.get(name.removeprefix("attribute."))
        r, f, m = self.rfm()
        derived = {"r": r, "f": f, "m": m, "tag": self.tags, "channel": self.channels}
        return derived[name] if name in derived else getattr(self, name)


def _score(value: float, cuts: tuple[float, ...]) -> int:
    return 1 + sum(value >= cut for cut in cuts)


def _score_recency(days: int | None) -> int:
    if days is None:
        return 1
    return 5 - sum(days > cut for cut in (30, 90, 180, 365))


FIELDS: dict[str, tuple[str, str]] = {
    "tier": ("등급", "tier"), "spent": ("누적 구매액", "total spent"),
    "orders": ("주문 수", "orders"), "recency_days": ("마지막 구매 후 일수", "days since last order"),
    "contacts": ("문의 수", "conversations"), "open_issues": ("진행 중 문의", "open issues"),
    "last_contact_days": ("마지막 문의 후 일수", "days since last contact"),
    "avg_csat": ("평균 만족도", "average CSAT"), "installation_items": ("설치 상품 수",
                                                                    "installed items"),
    "r": ("최근성 점수", "recency score"), "f": ("빈도 점수", "frequency score"),
    "m": ("금액 점수", "monetary score"), "channel": ("채널", "channel"), "tag": ("태그", "tag"),
    "views_30d": ("30일 조회 수", "views in 30 days"), "carts_30d": ("30일 장바구니", "carts in 30 days"),
}
OPS: dict[str, Callable[[Any, Any], bool]] = {
    "=": operator.eq, "!=": operator.ne, ">": operator.gt, ">=": operator.ge, "<": operator.lt,
    "<=": operator.le, "in": lambda a, b: a in b, "contains": lambda a, b: b in (a or []),
    "exists": lambda a, b: (a is not None) == bool(b),
}
DEFAULT_SEGMENTS: list[dict[str, Any]] = [
    {"key": "vip", "name_ko": "VIP 고객", "name_en": "VIP customers",
     "rules": [{"field": "tier", "op": "=", "value": "vip"}]},
    {"key": "champions", "name_ko": "충성 고객", "name_en": "Champions",
     "rules": [{"field": "r", "op": ">=", "value": 4}, {"field": "f", "op": ">=", "value": 3},
               {"field": "m", "op": ">=", "value": 3}]},
    {"key": "at_risk", "name_ko": "이탈 위험", "name_en": "At risk",
     "rules": [{"field": "recency_days", "op": ">", "value": 120},
               {"field": "orders", "op": ">=", "value": 2}]},
    {"key": "new", "name_ko": "신규 고객", "name_en": "New customers",
     "rules": [{"field": "orders", "op": "<=", "value": 1},
               {"field": "recency_days", "op": "<=", "value": 30}]},
    {"key": "frequent_contact", "name_ko": "문의가 잦은 고객", "name_en": "Frequent contacts",
     "rules": [{"field": "contacts", "op": ">=", "value": 3}]},
    {"key": "unhappy", "name_ko": "불만 경험 고객", "name_en": "Recently unhappy",
     "rules": [{"field": "avg_csat", "op": "<=", "value": 2.5}]},
    {"key": "cart_abandoner", "name_ko": "장바구니 이탈", "name_en": "Cart abandoners",
     "rules": [{"field": "carts_30d", "op": ">=", "value": 1},
               {"field": "recency_days", "op": ">", "value": 30}]},
]


@dataclass(frozen=True)
class Segment:
    """A validated segment definition."""

    key: str
    name_ko: str
    name_en: str
    rules: tuple[dict[str, Any], ...]
    match: str = "all"

    def name(self, locale: str) -> str:
        """Return the segment's name in the locale."""
        return self.name_ko if locale == "ko" else self.name_en

    def describe(self, locale: str) -> str:
        """Say in words which customers the segment holds."""
        parts = [_describe_rule(rule, locale) for rule in self.rules]
        joiner = (" 그리고 " if self.match == "all" else " 또는 ") if locale == "ko" else (
            " and " if self.match == "all" else " or ")
        return joiner.join(parts)

    def matches(self, facts: CustomerFacts) -> bool:
        """Tell whether a customer's facts satisfy the segment's rules."""
        results = (_rule_holds(rule, facts) for rule in self.rules)
        return all(results) if self.match == "all" else any(results)


WORDY_OPS = {"contains": ("포함", "includes"), "in": ("중 하나", "is one of")}


def _describe_rule(rule: dict[str, Any], locale: str) -> str:
    idx, name = (0 if locale == "ko" else 1), rule["field"]
    if name.startswith("attribute."):
        label = ("속성 ", "attribute ")[idx] + name.removeprefix("attribute.")
    else:
        label = FIELDS.get(name, (name, name))[idx]
    value, op = rule.get("value"), rule["op"]
    if op == "exists":
        return f"{label} " + (("있음", "is set") if value else ("없음", "is not set"))[idx]
    shown = ", ".join(map(str, value)) if isinstance(value, list) else str(value)
    return f"{label} {WORDY_OPS[op][idx] if op in WORDY_OPS else op} {shown}"


def _rule_holds(rule: dict[str, Any], facts: CustomerFacts) -> bool:
    actual = facts.value(rule["field"])
    if rule["op"] != "exists" and actual is None:
        return False
    expected = rule.get("value")
    if isinstance(actual, Decimal) and isinstance(expected, int | float):
        expected = Decimal(str(expected))
    try:
        return bool(OPS[rule["op"]](actual, expected))
    except TypeError:
        return False


def parse_segment(raw: dict[str, Any]) -> Segment:
    """Validate one segment definition (known fields and operators only)."""
    rules = raw.get("rules") or []
    if not raw.get("key") or not rules:
        raise InvalidInput("a segment needs a key and at least one rule", field="segments")
    for rule in rules:
        known = rule.get("field") in FIELDS or str(rule.get("field", "")).startswith("attribute.")
        if not known or rule.get("op") not in OPS:
            raise InvalidInput(f"unknown segment rule {rule}", field="segments")
    return Segment(key=str(raw["key"]), name_ko=str(raw.get("name_ko") or raw["key"]),
                   name_en=str(raw.get("name_en") or raw["key"]), rules=tuple(rules),
                   match="any" if raw.get("match") == "any" else "all")


def segments_from_settings(settings: dict[str, Any] | None) -> list[Segment]:
    """Return the workspace's segments, or the defaults when none are configured."""
    return [parse_segment(raw) for raw in (settings or {}).get("segments") or DEFAULT_SEGMENTS]


def segments_for(facts: CustomerFacts, segments: list[Segment]) -> list[Segment]:
    """Return the segments a customer belongs to."""
    return [segment for segment in segments if segment.matches(facts)]
