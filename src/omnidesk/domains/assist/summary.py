"""Extractive conversation summary for transfers and handoffs, in the agent's language."""

from __future__ import annotations

from omnidesk.core.pii import mask_text
from omnidesk.domains.assist.labels import intent_label, status_label
from omnidesk.domains.assist.schemas import CustomerProfile

MAX_QUOTE = 160


def _clip(text: str) -> str:
    text = " ".join(mask_text(text).split())
    return text if len(text) <= MAX_QUOTE else text[: MAX_QUOTE - 1] + "…"


def summarize(messages: list[tuple[str, str]], *, intent: str | None, status: str,
              profile: CustomerProfile | None, order_number: str | None, locale: str) -> list[str]:
    """Return a few lines: the request, the customer's key words, what was done, where it stands."""
    ko = locale == "ko"
    lines = [("문의: " if ko else "Request: ") + intent_label(intent, locale)]
    orders = {o.external_id: o for o in profile.orders} if profile else {}
    if order_number:
        order = orders.get(order_number)
        state = f" ({status_label(order.status, locale)})" if order else ""
        lines[0] += f" · {'주문' if ko else 'order'} {order_number}{state}"
    said = [t for kind, t in messages if kind == "customer" and t.strip()]
    if said:
        lines.append(("고객: " if ko else "Customer: ") + _clip(said[0]))
        if len(said) > 1:
            lines.append(("최근: " if ko else "Latest: ") + _clip(said[-1]))
    done = [t for kind, t in messages if kind in {"agent", "bot"} and t.strip()]
    if done:
        lines.append(("마지막 응대: " if ko else "Last reply: ") + _clip(done[-1]))
    lines.append(("상태: " if ko else "Status: ") + status + (
        f", {'메시지' if ko else 'messages'} {len(messages)}"))
    if profile is not None:
        lines.append(("고객 등급: " if ko else "Tier: ") + profile.tier.name + (
            f", {'미해결' if ko else 'open issues'} {len(profile.open_issues)}"))
    return lines
