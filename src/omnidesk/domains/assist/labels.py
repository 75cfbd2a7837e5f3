"""Display names of intents and order statuses in Korean and English."""

from __future__ import annotations

from collections.abc import Callable

from omnidesk.channels.manifests import MANIFESTS

INTENTS: dict[str, tuple[str, str]] = {
    "order_status": ("주문 조회", "order status"), "delivery_delay": ("배송 지연", "delivery delay"),
    "cancel_order": ("주문 취소", "order cancellation"),
    "change_address": ("배송지 변경", "address change"), "return_request": ("반품", "return"),
    "exchange_request": ("교환", "exchange"), "refund_status": ("환불 문의", "refund"),
    "payment_issue": ("결제 문제", "payment problem"),
    "receipt_invoice": ("영수증·계산서", "receipt or invoice"),
    "installation_schedule": ("설치 일정", "installation visit"),
    "product_defect": ("상품 불량", "defective product"),
    "warranty_repair": ("A/S 수리", "repair"), "product_inquiry": ("상품 문의", "product question"),
    "membership_tier": ("회원 등급", "membership tier"),
    "points_coupons": ("포인트·쿠폰", "points and coupons"),
    "account_login": ("로그인", "login"), "update_account": ("회원 정보 변경", "account update"),
    "delete_account": ("회원 탈퇴", "account closure"),
    "privacy_request": ("개인정보 요청", "privacy request"),
    "authenticity_check": ("정품 확인", "authenticity"), "complaint": ("불만", "complaint"),
    "talk_to_agent": ("상담원 연결", "agent request"),
    "business_hours": ("운영 시간", "opening hours"), "greeting_thanks": ("인사", "greeting"),
    # The demo store's (and its trained model's) vocabulary.
    "follow_up": ("재문의", "follow-up"), "product_question": ("상품 문의", "product question"),
    "coupon": ("쿠폰", "coupon"), "points": ("포인트", "points"), "repair": ("A/S 수리", "repair"),
    "installation_booking": ("설치 예약", "installation booking"),
    "installation_defect": ("설치 불량", "installation problem"),
    "installation_no_show": ("설치 기사 미방문", "installer no-show"),
    "payment_error": ("결제 오류", "payment error"),
    "payment_question": ("결제 문의", "payment question"), "account": ("계정", "account"),
    "exchange": ("교환", "exchange"), "return": ("반품", "return"),
    "receipt": ("영수증", "receipt"), "tax_invoice": ("세금계산서", "tax invoice"),
    "stock": ("재고 문의", "stock question"), "refund_request": ("환불 요청", "refund request"),
    "thanks": ("감사 인사", "thanks"), "delivery_missing": ("배송 누락", "missing delivery"),
    "delivery_tracking": ("배송 조회", "delivery tracking"), "warranty": ("보증", "warranty"),
    "address_change": ("배송지 변경", "address change"), "order_request": ("주문 요청", "order"),
    "product_issue": ("상품 문제", "product problem"),
}
OUTCOMES: dict[str, tuple[str, str]] = {
    "resolved": ("해결", "resolved"), "reopened_resolved": ("재문의 후 해결", "resolved after reopening"),
    "open": ("진행 중", "open"), "pending": ("대기", "pending"), "snoozed": ("보류", "snoozed"),
}
CHANNELS: dict[str, tuple[str, str]] = {m.kind: (m.name_ko, m.name_en) for m in MANIFESTS}
SOURCES: dict[str, tuple[str, str]] = {
    "canned": ("상용구", "canned"), "conversation": ("지난 상담", "past reply"),
    "article": ("도움말", "article"), "llm": ("AI", "AI"),
}
BEHAVIOURS: dict[str, tuple[str, str]] = {
    "view": ("조회", "viewed"), "click": ("클릭", "clicked"), "search": ("검색", "searched"),
    "cart": ("장바구니", "added to cart"), "purchase": ("구매", "bought"),
    "wishlist": ("찜", "wishlisted"), "page": ("페이지 방문", "visited a page"),
    "checkout": ("결제 단계", "checkout step"), "error": ("사이트 오류", "site error"),
    "order_shipped": ("주문 발송", "order shipped"),
    "delivery_delayed": ("배송 지연", "delivery delayed"),
    "payment_failed": ("결제 실패", "payment failed"),
}
ORDER_STATUSES: dict[str, tuple[str, str]] = {
    "pending": ("결제완료", "pending"), "processed": ("배송중", "shipped"),
    "delivered": ("배송완료", "delivered"), "cancelled": ("취소됨", "cancelled"),
    "return_requested": ("반품 요청", "return requested"),
    "exchange_requested": ("교환 요청", "exchange requested"),
    "returned": ("반품 완료", "returned"), "exchanged": ("교환 완료", "exchanged"),
}


def intent_label(intent: str | None, locale: str) -> str:
    """Return an intent's display name, or the key itself when unknown."""
    if not intent:
        return "문의" if locale == "ko" else "enquiry"
    names = INTENTS.get(intent)
    return (names[0] if locale == "ko" else names[1]) if names else intent.replace("_", " ")


def intent_named(name: str, locale: str) -> str | None:
    """Return the intent whose display name this is (the reverse of `intent_label`), or None."""
    index = 0 if locale == "ko" else 1
    return next((key for key, names in INTENTS.items() if names[index] == name), None)


def status_label(status: str, locale: str) -> str:
    """Return an order status's display name."""
    names = ORDER_STATUSES.get(status)
    return (names[0] if locale == "ko" else names[1]) if names else status


def label(table: dict[str, tuple[str, str]], key: str | None, locale: str) -> str:
    """Return a key's display name from one of the tables above, or the key itself."""
    names = table.get(key or "")
    return (names[0] if locale == "ko" else names[1]) if names else (key or "")


def labeller(locale: str) -> Callable[[str, str | None], str]:
    """Return `label(kind, key)` for templates: kind is order, outcome, channel, behaviour, source."""
    tables = {"outcome": OUTCOMES, "channel": CHANNELS, "behaviour": BEHAVIOURS,
              "source": SOURCES, "order": ORDER_STATUSES}

    def label_of(kind: str, key: str | None) -> str:
        return label(tables[kind], key, locale)

    return label_of
