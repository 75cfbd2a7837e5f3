"""Next best action: rules over the profile and the conversation's intent."""

from __future__ import annotations

from omnidesk.domains.assist.schemas import CustomerProfile, NextAction
from omnidesk.domains.commerce.schemas import OrderRead

MESSAGES = {
    "offer_cancel": ("주문 {n}이(가) 아직 결제완료 상태입니다: 취소를 안내하세요.",
                     "Order {n} is still pending: offer cancellation."),
    "offer_address": ("주문 {n}은(는) 출고 전이라 배송지를 바꿀 수 있습니다.",
                      "Order {n} has not shipped: the address can still be changed."),
    "offer_return": ("주문 {n}은(는) 배송완료 상태입니다: 반품·교환을 접수할 수 있습니다.",
                     "Order {n} was delivered: start a return or exchange."),
    "check_refund": ("주문 {n}의 환불 진행 상황을 확인해 안내하세요.",
                     "Check and share the refund status of order {n}."),
    "share_tracking": ("주문 {n}은(는) 배송중입니다: 배송 조회를 안내하세요.",
                       "Order {n} has shipped: share its tracking."),
    "apologise": ("지난 상담 만족도가 낮았습니다: 먼저 불편에 사과하세요.",
                  "Their last rating was low: start with an apology."),
    "mention_tier": ("다음 등급까지 {r} 남았습니다: 등급 혜택을 안내해 보세요.",
                     "Only {r} to the next tier: mention the tier benefits."),
    "review_last": ("재문의입니다: {d}일 전 상담 #{c}({i})에서 안내한 내용을 먼저 확인하세요.",
                    "A follow-up: first check what was promised in #{c} ({i}), {d} days ago."),
    "follow_open": ("처리 중인 다른 문의가 {c}건 있습니다: 함께 확인하세요.",
                    "{c} other open issue(s): check them too."),
}
# Both vocabularies: the generic intent names and the demo store's trained model.
ADDRESS_INTENTS = {"change_address", "address_change"}
CANCEL_INTENTS = {"cancel_order", "order_status", "delivery_delay", None} | ADDRESS_INTENTS
TRACKING_INTENTS = {"order_status", "delivery_delay", "delivery_tracking", None}
RETURN_INTENTS = {"return_request", "exchange_request", "product_defect", "return", "exchange",
                  "installation_defect", "product_issue", "refund_request"}
FOLLOW_UP_INTENTS = {"follow_up", "complaint", "installation_no_show"}
REFUND_INTENTS = {"refund_status", "refund_request", "cancel_order", "return_request", "return"}


def _message(code: str, locale: str, **values: object) -> str:
    template = MESSAGES[code][0 if locale == "ko" else 1]
    return template.format(**values)


def _order_actions(order: OrderRead, intent: str | None, locale: str) -> list[NextAction]:
    n = order.external_id
    if order.status == "pending" and intent in CANCEL_INTENTS:
        address = intent in ADDRESS_INTENTS
        code = "offer_address" if address else "offer_cancel"
        action = "change_address" if address else "cancel_order"
        return [NextAction(code=code, message=_message(code, locale, n=n), action=action,
                           order_number=n)]
    if order.status == "processed" and intent in TRACKING_INTENTS:
        return [NextAction(code="share_tracking", message=_message("share_tracking", locale, n=n),
                           order_number=n)]
    if order.status == "delivered" and intent in RETURN_INTENTS:
        return [NextAction(code="offer_return", message=_message("offer_return", locale, n=n),
                           action="start_return", order_number=n)]
    if order.status in {"cancelled", "return_requested", "returned"} and intent in REFUND_INTENTS:
        return [NextAction(code="check_refund", message=_message("check_refund", locale, n=n),
                           action="refund_status", order_number=n)]
    return []


def next_actions(profile: CustomerProfile, *, intent: str | None,
                 order_number: str | None = None) -> list[NextAction]:
    """Suggest what the agent could do next, most specific first."""
    lang = profile.locale
    orders = profile.orders
    focus = [o for o in orders if o.external_id == order_number] or orders[:1]
    found: list[NextAction] = []
    for order in focus:
        found += _order_actions(order, intent, lang)
    issue = profile.last_issue
    if issue is not None and (intent in FOLLOW_UP_INTENTS or issue.days_ago <= 14):
        found.append(NextAction(code="review_last", message=_message(
            "review_last", lang, d=issue.days_ago, c=issue.conversation_id,
            i=issue.intent_label)))
    history = [c for c in profile.csat_history if c["score"] is not None]
    if history and history[0]["score"] <= 2:
        found.append(NextAction(code="apologise", message=_message("apologise", lang)))
    if profile.open_issues:
        found.append(NextAction(code="follow_open", message=_message(
            "follow_open", lang, c=len(profile.open_issues))))
    if profile.tier.next_key and profile.tier.progress >= 0.75:
        found.append(NextAction(code="mention_tier", message=_message(
            "mention_tier", lang, r=profile.tier.remaining_text)))
    return found
