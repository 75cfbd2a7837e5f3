"""What the bot did in a conversation, as lines an agent reads in their own language.

Read from the conversation's ``bot_action`` log (every action the bot records), so the handoff
note and summary list each one: "주문 HB… 취소, 환불 ₩648,000 요청".
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.domains.conversations.models import Conversation, ConversationEvent

LINES: dict[str, tuple[str, str]] = {
    "order_cancelled": ("주문 {n} 취소, 환불 {amount} 요청",
                        "Cancelled order {n}, refund of {amount} requested"),
    "return_requested": ("주문 {n} 반품 접수({reason}), 환불 {amount} 예정",
                         "Return of order {n} opened ({reason}), refund of {amount} due"),
    "exchange_requested": ("주문 {n} 교환 접수", "Exchange of order {n} opened"),
    "address_changed": ("주문 {n} 배송지 변경", "Changed the address of order {n}"),
    "order_looked_up": ("주문 {n} 상태 안내", "Told the status of order {n}"),
    "refund_looked_up": ("주문 {n} 환불 상태 안내", "Told the refund status of order {n}"),
    "membership_looked_up": ("회원 등급 안내", "Told the membership tier"),
    "verification_failed": ("본인 확인 실패", "Verification failed"),
    "customer_verified": ("본인 확인 완료(고객 #{customer_id}, {by})",
                          "Verified the customer (#{customer_id}, by {by})"),
    "refused": ("주문 {n} {what} 거절: 정책({rule})", "Refused to {what} order {n}: policy ({rule})"),
    "declined": ("주문 {n} {what}: 고객이 취소", "{what} of order {n}: the customer declined"),
}
WHAT = {"cancel": ("취소", "cancel"), "return": ("반품", "return"), "exchange": ("교환", "exchange"),
        "change_address": ("배송지 변경", "change the address of"),
        "address_change": ("배송지 변경", "change the address of")}
REASON = {"change_of_mind": ("단순 변심", "change of mind"), "defect": ("불량", "defect")}


def _money(value: Any) -> str:
    try:
        return f"₩{int(float(value)):,}"
    except (TypeError, ValueError):
        return "-"


def action_line(data: dict[str, Any], locale: str) -> str:
    """Describe one recorded bot action in the agent's language."""
    side = 0 if locale == "ko" else 1
    kind = str(data.get("action", ""))
    values = {"n": data.get("order_number") or "-", "amount": _money(data.get("amount")),
              "reason": REASON.get(str(data.get("reason")), ("-", "-"))[side],
              "rule": data.get("rule") or data.get("status") or "-",
              "customer_id": data.get("customer_id", "-"), "by": data.get("by", "-")}
    for suffix in ("refused", "declined"):
        if kind.endswith("_" + suffix):
            what = WHAT.get(kind.removesuffix("_" + suffix), (kind, kind))[side]
            return LINES[suffix][side].format(what=what, **values)
    template = LINES.get(kind)
    return template[side].format(**values) if template else kind


async def bot_work(session: AsyncSession, *, conv: Conversation, locale: str) -> list[str]:
    """List every action the bot took in the conversation, oldest first."""
    rows = await session.scalars(select(ConversationEvent).where(
        ConversationEvent.workspace_id == conv.workspace_id,
        ConversationEvent.conversation_id == conv.id,
        ConversationEvent.kind == "bot_action").order_by(ConversationEvent.id))
    return [action_line(dict(row.data or {}), locale) for row in rows.all()]
