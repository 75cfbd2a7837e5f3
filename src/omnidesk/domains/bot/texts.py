"""What the bot says, in Korean and English, from templates (no free-form generation here)."""

from __future__ import annotations

from typing import Any

TEXTS: dict[str, tuple[str, str]] = {
    "greeting": (
        ("안녕하세요, {workspace} 챗봇이에요. 주문 조회·취소·배송지 변경·반품/교환·환불·등급 "
        "안내를 도와드려요. 언제든 '상담원'이라고 입력하시면 사람 상담원에게 연결해 드려요."),
        ("Hi, I'm the {workspace} bot. I can check, cancel or re-address orders, start returns "
        "and exchanges, and tell you about refunds and your membership. Type 'agent' any time "
        "to reach a person.")),
    "thanks": ("도움이 되었다니 다행이에요. 더 필요하신 게 있으면 말씀해 주세요.",
               "Glad I could help. Anything else I can do for you?"),
    "clarify": (("죄송해요, 잘 이해하지 못했어요. 조금 다르게 말씀해 주시겠어요? "
                "'상담원'이라고 입력하시면 사람 상담원에게 연결해 드려요."),
                ("Sorry, I didn't quite get that. Could you put it another way? "
                "Type 'agent' to reach a person.")),
    "verify_ask": (("본인 확인이 필요해요. 주문번호와 주문하실 때 쓰신 휴대폰 번호나 이메일을 "
                   "알려 주세요."),
                   ("I need to verify it's you first. Please send your order number and the "
                   "phone number or email used for the order.")),
    "verify_partial": ("주문번호와 휴대폰 번호(또는 이메일)를 함께 알려 주세요.",
                       "Please send both the order number and the phone number (or email)."),
    "verify_failed": ("입력하신 정보가 주문 정보와 일치하지 않아요. 다시 한 번 확인해 주세요.",
                      ("That doesn't match our records for this order. Please check and try "
                      "again.")),
    "order_ask": ("어떤 주문인지 주문번호를 알려 주세요.{recent}",
                  "Which order is it? Please send the order number.{recent}"),
    "order_not_found": ("주문번호 {number}을(를) 찾을 수 없어요. 다시 확인해 주세요.",
                        "I can't find order {number}. Please check the number."),
    "order_status": ("주문 {number}({items})은 현재 '{status}' 상태예요. 주문일: {placed}.",
                     "Order {number} ({items}) is {status}. Placed on {placed}."),
    "cancel_reason": (("주문 {number}을(를) 취소하시는 이유를 알려 주세요: "
                      "'더 이상 필요 없음' 또는 '실수로 주문'."),
                      ("Why would you like to cancel order {number}: 'no longer needed' or "
                      "'ordered by mistake'?")),
    "cancel_confirm": (("주문 {number}({items}, {total})을(를) '{reason}' 사유로 취소할까요? "
                       "진행하시려면 '네', 그만두시려면 '아니요'라고 답해 주세요."),
                       ("Cancel order {number} ({items}, {total}) because it was {reason}? "
                       "Reply 'yes' to go ahead or 'no' to stop.")),
    "cancel_done": ("주문 {number}을(를) 취소했어요. {refund}",
                    "Order {number} is cancelled. {refund}"),
    "address_ask": ("주문 {number}의 새 배송지 주소를 우편번호와 함께 알려 주세요.",
                    "Please send the new delivery address for order {number}, with the postcode."),
    "address_confirm": (("주문 {number}의 배송지를 '{address}'(으)로 바꿀까요? '네' 또는 '아니요'로 "
                        "답해 주세요."),
                        ("Change the delivery address of order {number} to '{address}'? "
                        "Reply 'yes' or 'no'.")),
    "address_done": ("주문 {number}의 배송지를 변경했어요.",
                     "The delivery address of order {number} is changed."),
    "items_ask": ("어떤 상품인지 번호로 알려 주세요 (여러 개면 쉼표로): {choices}",
                  "Which items? Reply with their numbers (comma-separated): {choices}"),
    "return_confirm": (("주문 {number}의 {items}을(를) 반품 접수할까요? 환불은 원래 결제수단으로 "
                       "돌아가요. '네' 또는 '아니요'로 답해 주세요."),
                       ("Start a return of {items} from order {number}? The refund goes to the "
                       "original payment method. Reply 'yes' or 'no'.")),
    "return_done": (("주문 {number}의 반품을 접수했어요. 상품 회수 방법은 이메일로 안내해 드려요. "
                    "{refund}"),
                    ("Your return for order {number} is open. You'll get an email on how to "
                    "send the items back. {refund}")),
    "exchange_confirm": (("주문 {number}의 {items}을(를) {target}(으)로 교환 접수할까요? 교환할 "
                         "상품을 모두 말씀하셨는지 확인해 주세요. '네' 또는 '아니요'로 답해 주세요."),
                         ("Exchange {items} from order {number} for {target}? Please make sure "
                         "you listed every item to exchange. Reply 'yes' or 'no'.")),
    "exchange_same": ("같은 상품의 새 제품", "a new unit of the same item"),
    "exchange_done": ("주문 {number}의 교환을 접수했어요. 상품 회수 방법은 이메일로 안내해 드려요.",
                      ("Your exchange for order {number} is open. You'll get an email on how "
                      "to send the items back.")),
    "refund_none": ("주문 {number}에는 진행 중인 환불이 없어요.",
                    "There is no refund on order {number}."),
    "refund_requested": ("주문 {number}의 환불({amount})이 접수되어 처리 중이에요. {refund}",
                         "The refund of {amount} for order {number} is being processed. {refund}"),
    "refund_done": ("주문 {number}의 환불 {amount}이(가) 완료됐어요. {refund}",
                    "The refund of {amount} for order {number} has been issued. {refund}"),
    "refund_instant": ("기프트카드 환불은 즉시 반영돼요.",
                       "Gift card refunds arrive immediately."),
    "refund_days": ("{method} 환불은 영업일 기준 5~7일 안에 반영돼요.",
                    "Refunds to {method} arrive within 5 to 7 business days."),
    "membership": ("고객님의 등급은 {tier}이고, 적립 포인트는 {points}점이에요.{next}",
                   "Your membership tier is {tier} and you have {points} points.{next}"),
    "membership_next": (" {next_tier}까지 {remaining} 남았어요.",
                        " {remaining} more to reach {next_tier}."),
    "policy_cancel": (("주문 {number}은(는) '{status}' 상태라 취소할 수 없어요. 결제 완료(발송 전) "
                      "상태의 주문만 취소할 수 있어요."),
                      ("Order {number} is {status}, so it can't be cancelled: only pending "
                      "orders can.")),
    "policy_address": (("주문 {number}은(는) '{status}' 상태라 배송지를 바꿀 수 없어요. 발송 전 "
                       "주문만 변경할 수 있어요."),
                       ("Order {number} is {status}, so its address can't change: only pending "
                       "orders can be modified.")),
    "policy_return": (("주문 {number}은(는) '{status}' 상태예요. 반품과 교환은 배송 완료된 주문만 "
                      "가능해요."),
                      ("Order {number} is {status}. Returns and exchanges are only for "
                      "delivered orders.")),
    "declined": ("알겠어요, 진행하지 않았어요. 다른 도움이 필요하시면 말씀해 주세요.",
                 "OK, I haven't changed anything. Anything else I can help with?"),
    "yes_no": ("'네' 또는 '아니요'로 답해 주세요.", "Please reply 'yes' or 'no'."),
    "handoff": ("상담원에게 연결해 드릴게요. 지금까지의 내용을 전달해 두었으니 다시 설명하지 않으셔도 돼요.",
                ("I'm connecting you with an agent. They'll see our conversation, so you "
                "won't need to repeat yourself.")),
    "handoff_closed": (("지금은 상담 시간이 아니에요. 상담원이 {when}부터 답변드릴게요. "
                       "{email}전화 회신을 원하시면 연락처를 남겨 주세요."),
                       ("Our team is away right now; an agent will answer from {when}. "
                       "{email}If you'd like a call back, leave your phone number here.")),
    "handoff_email": ("이메일({email})로 문의하셔도 되고, ", "You can also email {email}. "),
    "hours": ("상담 시간은 {hours}이에요. {state}",
              "Our support hours are {hours}. {state}"),
    "hours_open": ("지금은 상담 가능한 시간이에요.", "We're open now."),
    "hours_closed": ("다음 상담 시작은 {when}이에요.", "We next open {when}."),
    "kb_source": ("자세히 보기: {title} {url}", "More: {title} {url}"),
    "flow_failed": ("지금은 이 요청을 처리할 수 없어요.", "I can't complete this request right now."),
}

STATUS_NAMES = {
    "pending": ("결제 완료(발송 전)", "pending (not shipped yet)"),
    "processed": ("발송 준비/배송 중", "processed (shipping)"),
    "delivered": ("배송 완료", "delivered"),
    "cancelled": ("취소됨", "cancelled"),
    "return_requested": ("반품 접수", "return requested"),
    "exchange_requested": ("교환 접수", "exchange requested"),
    "returned": ("반품 완료", "returned"),
    "exchanged": ("교환 완료", "exchanged"),
}
REASONS = {"no longer needed": ("더 이상 필요 없음", "no longer needed"),
           "ordered by mistake": ("실수로 주문", "ordered by mistake")}
PAYMENT_NAMES = {"card": ("신용카드", "credit card"), "kakaopay": ("카카오페이", "KakaoPay"),
                 "naverpay": ("네이버페이", "Naver Pay"), "tosspay": ("토스페이", "Toss Pay"),
                 "bank_transfer": ("계좌이체", "bank transfer"),
                 "gift_card": ("기프트카드", "gift card"), "paypal": ("페이팔", "PayPal"),
                 "credit_card": ("신용카드", "credit card")}


def _pick(pair: tuple[str, str], lang: str) -> str:
    return pair[0] if lang == "ko" else pair[1]


def say(key: str, lang: str, **values: Any) -> str:
    """Render one message in the language ('ko' or anything else for English)."""
    return _pick(TEXTS[key], lang).format(**values)


def status_name(status: str, lang: str) -> str:
    """Name an order status for customers."""
    return _pick(STATUS_NAMES.get(status, (status, status)), lang)


def reason_name(reason: str, lang: str) -> str:
    """Name a cancellation reason for customers."""
    return _pick(REASONS.get(reason, (reason, reason)), lang)


def payment_name(method: str, lang: str) -> str:
    """Name a payment method for customers."""
    key = next((k for k in PAYMENT_NAMES if method.startswith(k)), method)
    return _pick(PAYMENT_NAMES.get(key, (method, method)), lang)
