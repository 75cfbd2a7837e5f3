"""Recognizing the customer (알아주기): greeting and closing templates with variables and conditions.

Templates are configured per workspace in `settings["recognition"] = {"greeting": [...],
"closing": [...]}`, each `{"locale": "ko"|"en", "when": [condition, ...], "text": "..."}`; the
first template of the locale whose conditions hold and whose variables all have values wins.
Substitution only replaces `{name}` with a value from a fixed table: no attribute access, no
format specs, no code. The customer's name is never a variable: it is masked personal data.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from omnidesk.domains.assist.labels import intent_label, status_label
from omnidesk.domains.assist.schemas import CustomerProfile

VARIABLE = re.compile(r"\{(\w+)\}")
RECENT_ISSUE_DAYS = 90
NEAR_TIER_SHARE = 0.25  # "near the next tier" when at most a quarter of the step is left

DEFAULT_TEMPLATES: dict[str, list[dict[str, Any]]] = {
    "greeting": [
        {"locale": "ko", "when": ["recent_issue"],
         "text": "안녕하세요, {workspace}입니다. 지난번 {last_product} {last_intent} 문제로 불편을 "
                 "드렸는데 잘 사용하고 계신가요?"},
        {"locale": "ko", "when": ["recent_issue"],
         "text": "안녕하세요, {workspace}입니다. 지난번 {last_intent} 문의 이후 불편한 점은 없으셨나요? "
                 "무엇을 도와드릴까요?"},
        {"locale": "ko", "when": ["open_order"],
         "text": "안녕하세요, {workspace}입니다. 주문하신 {open_order_product} 건({order_number})은 "
                 "현재 {order_status} 상태입니다. 무엇을 도와드릴까요?"},
        {"locale": "ko", "when": ["returning"],
         "text": "안녕하세요, {workspace}입니다. 다시 찾아주셔서 감사합니다. 무엇을 도와드릴까요?"},
        {"locale": "ko", "when": [], "text": "안녕하세요, {workspace}입니다. 무엇을 도와드릴까요?"},
        {"locale": "en", "when": ["recent_issue"],
         "text": "Hello, this is {workspace}. We're sorry again about the {last_intent} with your "
                 "{last_product} last time. Is everything working well now?"},
        {"locale": "en", "when": ["recent_issue"],
         "text": "Hello, this is {workspace}. Thanks for coming back after your {last_intent} "
                 "question last time. How can I help?"},
        {"locale": "en", "when": ["open_order"],
         "text": "Hello, this is {workspace}. Your order {order_number} ({open_order_product}) is "
                 "currently {order_status}. How can I help?"},
        {"locale": "en", "when": ["returning"],
         "text": "Hello, this is {workspace}. Welcome back! How can I help you today?"},
        {"locale": "en", "when": [], "text": "Hello, this is {workspace}. How can I help you?"},
    ],
    "closing": [
        {"locale": "ko", "when": ["has_next_tier", "has_spend"],
         "text": "현재까지 구매하신 금액은 {spent}으로 {next_tier} 등급까지 {remaining} "
                 "남으셨습니다. 오늘도 이용해 주셔서 감사합니다."},
        {"locale": "ko", "when": ["top_tier"],
         "text": "{tier} 고객님, 언제나 이용해 주셔서 감사합니다. 좋은 하루 보내세요."},
        {"locale": "ko", "when": [],
         "text": "더 궁금하신 점이 있으시면 언제든 문의해 주세요. 감사합니다."},
        {"locale": "en", "when": ["has_next_tier", "has_spend"],
         "text": "You have spent {spent} with us so far, just {remaining} away from {next_tier}. "
                 "Thank you for shopping with us!"},
        {"locale": "en", "when": ["top_tier"],
         "text": "Thank you for being a {tier} member. Have a great day!"},
        {"locale": "en", "when": [],
         "text": "If there's anything else, just let us know. Thank you!"},
    ],
}


VARIABLES = ("workspace", "tier", "spent", "next_tier", "remaining", "last_intent", "days_since",
             "last_product", "order_number", "order_status", "open_order_product")
CONDITIONS = ("recent_issue", "open_order", "returning", "has_next_tier", "top_tier",
              "has_spend", "near_next_tier", "birthday_month", "first_purchase")
# What the editor shows for each condition and variable (ko, en); the keys are what is stored.
CONDITION_NAMES: dict[str, tuple[str, str]] = {
    "recent_issue": ("최근 문의가 있었던 고객 (90일 이내)", "Had an issue recently (90 days)"),
    "open_order": ("진행 중인 주문이 있는 고객", "Has an order in progress"),
    "returning": ("다시 찾은 고객", "Returning customer"),
    "has_next_tier": ("다음 등급이 있는 고객 (VIP 진행 중)", "Working towards the next tier"),
    "near_next_tier": ("다음 등급까지 25% 이내", "Within 25% of the next tier"),
    "top_tier": ("최고 등급 고객", "In the top tier"),
    "has_spend": ("구매 이력이 있는 고객", "Has bought something"),
    "birthday_month": ("이번 달이 생일인 고객", "Birthday this month"),
    "first_purchase": ("첫 구매 고객 (주문 1건)", "First purchase (one order)"),
}
VARIABLE_NAMES: dict[str, tuple[str, str]] = {
    "workspace": ("상호", "business name"), "tier": ("등급", "tier"),
    "spent": ("누적 구매액", "total spent"), "next_tier": ("다음 등급", "next tier"),
    "remaining": ("다음 등급까지 남은 금액", "left to the next tier"),
    "last_intent": ("지난 문의 유형", "last issue"), "days_since": ("지난 문의 후 일수", "days since"),
    "last_product": ("지난 문의 상품", "last issue's product"),
    "order_number": ("주문 번호", "order number"), "order_status": ("주문 상태", "order status"),
    "open_order_product": ("진행 중 주문 상품", "product in the open order"),
}


def _product(profile: CustomerProfile, name: str) -> str:
    return profile.product_names_en.get(name, name) if profile.locale == "en" else name


def template_variables(profile: CustomerProfile, workspace_name: str) -> dict[str, str]:
    """Collect the values templates may use; missing data is simply absent."""
    lang, values = profile.locale, {"workspace": workspace_name, "tier": profile.tier.name}
    if profile.tier.spent > 0:
        values["spent"] = profile.tier.spent_text
    if profile.tier.next_name:
        values.update(next_tier=profile.tier.next_name, remaining=profile.tier.remaining_text)
    issue = profile.last_issue
    if issue is not None:
        values.update(last_intent=intent_label(issue.intent, lang), days_since=str(issue.days_ago))
        if issue.product:
            values["last_product"] = _product(profile, issue.product)
    order = profile.open_order
    if order is not None:
        values.update(order_number=order.external_id,
                      order_status=status_label(order.status, lang))
        if order.items:
            values["open_order_product"] = _product(profile, order.items[0].name)
    return {k: v for k, v in values.items() if v}


def local_today(timezone: str) -> dt.date:
    """Return today's date in the workspace's time zone (a birthday month turns at midnight there)."""
    return dt.datetime.now(ZoneInfo(timezone or "UTC")).date()


def _birth_month(profile: CustomerProfile) -> int | None:
    """Read the customer attribute `birth_month` (1–12); anything else is no birthday."""
    value = profile.attributes.get("birth_month")
    try:
        month = int(value) if value is not None and not isinstance(value, bool) else None
    except (TypeError, ValueError):
        return None
    return month if month is not None and 1 <= month <= 12 else None


def condition_holds(condition: str, profile: CustomerProfile,
                    today: dt.date | None = None) -> bool:
    """Evaluate one named template condition against the profile (`today` in the workspace)."""
    issue, tier = profile.last_issue, profile.tier
    today = today or dt.datetime.now(dt.UTC).date()
    checks = {
        "recent_issue": issue is not None and issue.days_ago <= RECENT_ISSUE_DAYS,
        "open_order": profile.open_order is not None,
        "returning": any(not c.is_current for c in profile.conversations) or bool(profile.orders),
        "has_next_tier": tier.next_key is not None,
        "top_tier": tier.next_key is None,
        "has_spend": tier.spent > Decimal(0),
        "near_next_tier": tier.next_key is not None and tier.progress >= 1 - NEAR_TIER_SHARE,
        "birthday_month": _birth_month(profile) == today.month,
        "first_purchase": len(profile.orders) == 1,
    }
    if condition.startswith("tier:"):
        return tier.key in condition.removeprefix("tier:").split(",")
    return checks.get(condition, False)


def render(text: str, variables: dict[str, str]) -> str | None:
    """Fill `{variable}` placeholders; None when any value is missing."""
    missing = [name for name in VARIABLE.findall(text) if name not in variables]
    if missing:
        return None
    return VARIABLE.sub(lambda m: variables[m.group(1)], text)


def display_name(workspace_name: str, settings: dict[str, Any], locale: str) -> str:
    """Return the business's name for messages in a locale (settings may translate it)."""
    names = (settings.get("recognition") or {}).get("workspace_name") or {}
    return str(names.get(locale) or workspace_name)


@dataclass
class TemplatePreview:
    """One template tried on one customer: the line, or why it would not be offered."""

    text: str | None
    failing: list[str] = field(default_factory=list)  # conditions that do not hold
    missing: list[str] = field(default_factory=list)  # variables without a value

    @property
    def applies(self) -> bool:
        """Tell whether this template would be offered to the customer."""
        return bool(self.text) and not self.failing


def try_template(when: list[str], text: str, profile: CustomerProfile,
                 variables: dict[str, str], today: dt.date | None = None) -> TemplatePreview:
    """Try one template on a customer: the filled line, the conditions that fail, the gaps."""
    failing = [c for c in when if not condition_holds(c, profile, today)]
    missing = sorted({name for name in VARIABLE.findall(text) if name not in variables})
    return TemplatePreview(render(text, variables), failing, missing)


def profile_variables(profile: CustomerProfile, workspace_name: str,
                      settings: dict[str, Any]) -> dict[str, str]:
    """Return the variables of a profile with the business's name in the profile's language."""
    return template_variables(profile, display_name(workspace_name, settings, profile.locale))


def pick_message(kind: str, profile: CustomerProfile, workspace_name: str,
                 settings: dict[str, Any], today: dt.date | None = None) -> str | None:
    """Render the first applicable greeting or closing template for the profile's locale."""
    configured = (settings.get("recognition") or {}).get(kind)
    templates = configured or DEFAULT_TEMPLATES[kind]
    variables = profile_variables(profile, workspace_name, settings)
    for template in templates:
        if template.get("locale", profile.locale) != profile.locale:
            continue
        tried = try_template(list(template.get("when", [])), str(template.get("text", "")),
                             profile, variables, today)
        if tried.applies:
            return tried.text
    return None
