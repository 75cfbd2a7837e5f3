"""Membership tiers: which tier a spend reaches and how much is left to the next one.

Tiers are configured per workspace in `settings["tiers"]` as a list of
`{"key", "name_ko", "name_en", "threshold"}`; a workspace without them uses DEFAULT_TIERS.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

DEFAULT_TIERS: list[dict[str, Any]] = [
    {"key": "basic", "name_ko": "일반", "name_en": "Basic", "threshold": 0},
    {"key": "silver", "name_ko": "실버", "name_en": "Silver", "threshold": 300000},
    {"key": "gold", "name_ko": "골드", "name_en": "Gold", "threshold": 600000},
    {"key": "vip", "name_ko": "VIP", "name_en": "VIP", "threshold": 1000000},
]


@dataclass(frozen=True)
class Tier:
    """One tier and the spend that reaches it."""

    key: str
    name_ko: str
    name_en: str
    threshold: Decimal

    def name(self, locale: str) -> str:
        """Return the tier's display name in the locale ('ko' or 'en')."""
        return self.name_ko if locale == "ko" else self.name_en


@dataclass(frozen=True)
class TierProgress:
    """Where a customer stands: current tier, next tier, amount left and share of the way."""

    spent: Decimal
    current: Tier
    next: Tier | None
    remaining: Decimal
    progress: float  # 0..1 of the way from the current threshold to the next one


def tiers_from_settings(settings: dict[str, Any] | None) -> list[Tier]:
    """Parse a workspace's tier list, sorted by threshold; fall back to the defaults."""
    raw = (settings or {}).get("tiers") or DEFAULT_TIERS
    tiers = []
    for item in raw:
        key = str(item.get("key") or item.get("name_en") or item.get("name_ko"))
        tiers.append(Tier(key=key, name_ko=str(item.get("name_ko") or key),
                          name_en=str(item.get("name_en") or key),
                          threshold=Decimal(str(item.get("threshold", 0)))))
    tiers.sort(key=lambda t: t.threshold)
    if not tiers or tiers[0].threshold > 0:
        tiers.insert(0, Tier("basic", "일반", "Basic", Decimal(0)))
    return tiers


def tier_progress(spent: Decimal | float, tiers: list[Tier]) -> TierProgress:
    """Place a spend on the tier ladder (a spend exactly on a threshold reaches that tier)."""
    amount = max(Decimal(str(spent)), Decimal(0))
    current_index = max(i for i, t in enumerate(tiers) if t.threshold <= amount)
    current = tiers[current_index]
    nxt = tiers[current_index + 1] if current_index + 1 < len(tiers) else None
    if nxt is None:
        return TierProgress(amount, current, None, Decimal(0), 1.0)
    span = nxt.threshold - current.threshold
    progress = float((amount - current.threshold) / span) if span else 1.0
    return TierProgress(amount, current, nxt, nxt.threshold - amount, round(progress, 4))


def format_money(amount: Decimal | float, currency: str = "KRW") -> str:
    """Format an amount for people: ₩880,000 or $1,234.50."""
    value = Decimal(str(amount))
    if currency == "KRW":
        return f"₩{value.quantize(Decimal(1)):,}"
    symbol = {"USD": "$", "EUR": "€", "JPY": "¥"}.get(currency, f"{currency} ")
    return f"{symbol}{value.quantize(Decimal('0.01')):,}"
