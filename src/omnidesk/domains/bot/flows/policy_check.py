"""Ask the store policy before a flow offers an action, and say a refusal the way a person would.

The rules live in ``commerce.policy`` (one owner); this module only reads them for the turn and
words a refusal: why, the policy article it follows (a titled link), and what is allowed instead
(a defect return still inside its window, a return instead of a cancel) or a person.
"""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from omnidesk.core.db import utcnow
from omnidesk.domains.bot.flows.base import Reply, Turn, money
from omnidesk.domains.bot.policy_texts import RETURN_REASONS
from omnidesk.domains.bot.texts import status_name
from omnidesk.domains.commerce.models import Order
from omnidesk.domains.commerce.service import (
    StorePolicy,
    Verdict,
    check_order_action,
    order_dates,
    store_policy,
)
from omnidesk.domains.knowledge.models import KbArticleVersion
from omnidesk.domains.knowledge.service import get_published

DEFECT = re.compile(r"불량|고장|파손|깨[져졌지]|하자|찢어|작동\s*(안|이\s*안)|안\s*돼요|오배송|잘못\s*(온|왔)"
                    r"|다른\s*(상품|제품)이\s*왔|defect|broken|damaged|faulty|doesn'?t work"
                    r"|not working|wrong item|cracked", re.IGNORECASE)
STATUS_KEYS = {"cancel": "policy_cancel", "change_address": "policy_address",
               "return": "policy_return", "exchange": "policy_return"}


def return_reason_in(text: str) -> str | None:
    """Return 'defect' when the customer describes a fault, else None (change of mind)."""
    return "defect" if DEFECT.search(text) else None


def turn_policy(turn: Turn) -> StorePolicy:
    """Return the workspace's store policy."""
    return store_policy(turn.workspace.settings)


def turn_today(turn: Turn) -> dt.date:
    """Return today's date in the workspace's time zone (windows count calendar days)."""
    try:
        zone = ZoneInfo(turn.workspace.timezone or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        zone = ZoneInfo("UTC")
    return utcnow().astimezone(zone).date()


def verdict(turn: Turn, order: Order, action: str, reason: str | None = None) -> Verdict:
    """Ask the store policy whether the bot may do this to the order today."""
    return check_order_action(turn_policy(turn), order, action, today=turn_today(turn),
                              reason=reason, actor="bot")


def fee_text(turn: Turn, order: Order, found: Verdict, reason: str) -> str:
    """Say the return or exchange fee the customer pays, if any."""
    if reason != "change_of_mind" or not found.fee:
        return ""
    key = "exchange_fee" if found.action == "exchange" else "return_fee"
    return turn.say(key, fee=money(found.fee, order.currency))


async def _article(turn: Turn, slug: str) -> tuple[KbArticleVersion, str] | None:
    """Return the published article in the customer's language (else the workspace's) and its
    help-center address."""
    for locale in dict.fromkeys((turn.lang, turn.workspace.default_locale or "ko")):
        found = await get_published(turn.session, workspace_id=turn.workspace.id, locale=locale,
                                    slug=slug)
        if found is not None:
            return found[1], (f"{turn.public_url.rstrip('/')}/help/{turn.workspace.slug}/"
                              f"{locale}/articles/{slug}")
    return None


async def citation(turn: Turn, slug: str | None) -> tuple[str, list[str]]:
    """Return the line that links the policy article in the customer's language, if published."""
    found = await _article(turn, slug) if slug else None
    if found is None or slug is None:
        return "", []
    return turn.say("policy_cite", title=found[0].title, url=found[1]), [slug]


async def policy_answer(turn: Turn, topic: str) -> Reply | None:
    """Answer a question about a rule with the article the store policy names for the topic."""
    slug = turn_policy(turn).articles.get(topic)
    found = await _article(turn, slug) if slug else None
    if found is None or slug is None:
        return None
    version, url = found
    text = "\n".join(part for part in (
        version.summary, turn.say("kb_source", title=version.title, url=url),
        turn.say("ask_offer")) if part)
    return Reply(text, "kb_policy", citations=[slug])


def day_text(day: dt.date | None, lang: str) -> str:
    """Write a date for customers (12월 5일 / Dec 5, 2026)."""
    if day is None:
        return "-"
    return f"{day.month}월 {day.day}일" if lang == "ko" else day.strftime("%b %-d, %Y")


async def refusal(turn: Turn, order: Order, found: Verdict, reason: str | None = None) -> Reply:
    """End the flow with why the policy refuses, its article, and what is allowed instead."""
    number, lang = order.external_id, turn.lang
    source = f"flow:{turn.state.flow}"
    handoff = None
    if found.rule == "window":
        shown = RETURN_REASONS.get(reason or "change_of_mind", (reason, reason))
        window = turn_policy(turn).windows[reason or "change_of_mind"]
        text = turn.say("policy_window", number=number, reason=shown[0 if lang == "ko" else 1],
                        days=window.days, deadline=day_text(found.deadline, lang),
                        delivered=day_text(order_dates(order)["delivered"], lang))
    elif found.rule == "status":
        text = turn.say(STATUS_KEYS[found.action], number=number,
                        status=status_name(order.status, lang))
    elif found.rule == "delivery_unknown":
        text, handoff = turn.say("policy_unknown", number=number), "policy_check"
    else:
        text, handoff = turn.say("policy_person"), "policy_person"
    if found.alternative == "defect_return":
        delivered = order_dates(order)["delivered"]
        days = turn_policy(turn).windows["defect"].days
        text += " " + turn.say("alt_defect", deadline=day_text(
            delivered + dt.timedelta(days=days) if delivered else None, lang))
        turn.state.step, turn.state.slots["reason_asked"] = "reason", True
    else:
        if found.alternative == "return":
            text += " " + turn.say("alt_return")
        if handoff is None:
            text += " " + turn.say("alt_agent")
        turn.state.finish()
    cite, cited = await citation(turn, found.article)
    action = {"action": f"{found.action}_refused", "order_number": number,
              "rule": found.rule, "status": order.status}
    if reason:
        action["reason"] = reason
    return Reply(f"{text}\n{cite}" if cite else text, source, handoff=handoff, action=action,
                 citations=cited)
