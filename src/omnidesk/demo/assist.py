"""Demo content for assist: the 한빛리빙 canned responses, English shop name and personas."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.core.context import system_actor
from omnidesk.domains.assist.actions import do_assign_personas, do_create_canned_response
from omnidesk.domains.assist.recognition_actions import do_update_recognition_settings
from omnidesk.domains.assist.schemas import CannedResponseCreate, RecognitionSettings
from omnidesk.domains.assist.service import list_canned_responses

# (shortcut, locale, title, body); bodies use the recognition variables ({order_number}, …).
DEMO_CANNED: tuple[tuple[str, str, str, str], ...] = (
    ("배송", "ko", "배송 조회 안내",
     ("주문하신 {open_order_product} 건({order_number})은 현재 {order_status} 상태입니다. "
     "출고되면 카카오톡으로 송장번호를 보내 드리며, 보통 출고 후 1~2일 안에 받아보실 수 있습니다.")),
    ("배송지연", "ko", "배송 지연 사과",
     ("배송이 늦어져 정말 죄송합니다. 주문 {order_number} 건은 택배사에 바로 확인을 요청했고, "
     "확인되는 대로 오늘 안에 다시 연락드리겠습니다.")),
    ("취소", "ko", "주문 취소 안내",
     ("주문 {order_number} 건은 아직 출고 전이라 바로 취소해 드릴 수 있습니다. 취소 사유(단순 변심 또는 "
     "잘못 주문)를 알려 주시면 처리 후 결제하신 수단으로 3~5영업일 안에 환불됩니다.")),
    ("환불", "ko", "환불 일정 안내",
     ("환불은 상품 회수 확인 후 카드 결제는 3~5영업일, 계좌이체는 1~2영업일 안에 처리됩니다. "
     "주문 {order_number} 건 진행 상황은 제가 계속 확인해 안내드리겠습니다.")),
    ("반품", "ko", "반품 접수 안내",
     ("배송완료 후 7일 안에는 반품을 접수하실 수 있습니다. 원래 포장 그대로 보관해 주시면 "
     "기사님이 1~3일 안에 방문 회수합니다. 단순 변심의 경우 왕복 배송비가 차감됩니다.")),
    ("설치", "ko", "설치 일정 안내",
     ("설치 기사님이 방문 하루 전에 연락드려 시간을 확정합니다. 원하시는 날짜와 시간대(오전/오후)를 "
     "알려 주시면 일정을 잡아 드리겠습니다.")),
    ("등급", "ko", "회원 등급 안내",
     ("현재 {tier} 등급이시며, 누적 구매 금액은 {spent}입니다. {next_tier} 등급까지 {remaining} "
     "남으셨어요. 등급은 매월 1일에 최근 12개월 구매 금액으로 갱신됩니다.")),
    ("마무리", "ko", "마무리 인사",
     "더 궁금하신 점이 있으시면 언제든 편하게 문의해 주세요. {workspace} 고객센터를 이용해 주셔서 감사합니다."),
    ("delivery", "en", "Where is my order",
     ("Your order {order_number} ({open_order_product}) is currently {order_status}. We'll send "
     "the tracking number as soon as it ships; delivery usually takes 1-2 days after that.")),
    ("delay", "en", "Delivery delay apology",
     ("I'm so sorry your order {order_number} is late. I've asked the courier to check it right "
     "away and will get back to you today.")),
    ("cancel", "en", "Cancel an order",
     ("Order {order_number} hasn't shipped yet, so I can cancel it for you now. Could you tell me "
     "the reason (no longer needed or ordered by mistake)? The refund goes back to your original "
     "payment method within 3-5 business days.")),
    ("refund", "en", "Refund timeline",
     ("Refunds are processed once we receive the item back: 3-5 business days for cards, 1-2 for "
     "bank transfers. I'll keep an eye on order {order_number} for you.")),
    ("return", "en", "Start a return",
     ("You can return a delivered item within 7 days. Please keep the original packaging; a "
     "courier will collect it within 1-3 days. For change-of-mind returns the shipping fee is "
     "deducted from the refund.")),
    ("install", "en", "Installation booking",
     ("Our technician will call you the day before the visit to confirm the time. Which date and "
     "time of day (morning or afternoon) would suit you?")),
    ("tier", "en", "Membership tier",
     ("You're a {tier} member with {spent} spent so far, just {remaining} away from {next_tier}. "
     "Tiers are updated on the 1st of each month from the last 12 months of purchases.")),
    ("thanks", "en", "Closing",
     "If there's anything else, just let us know. Thank you for choosing {workspace}!"),
)


async def load_assist_demo(session: AsyncSession, workspace_id: int) -> str:
    """Add the demo canned responses, the English shop name and personas (once); summarise."""
    actor = system_actor(workspace_id)
    if await list_canned_responses(session, actor=actor):
        return ""
    for shortcut, locale, title, body in DEMO_CANNED:
        await do_create_canned_response(session, actor=actor, canned_in=CannedResponseCreate(
            shortcut=shortcut, title=title, body=body, locale=locale))
    await do_update_recognition_settings(session, actor=actor, settings_in=RecognitionSettings(
        workspace_name={"ko": "한빛리빙", "en": "Hanbit Living"}))
    personas = await do_assign_personas(session, actor=actor)
    return f", {len(DEMO_CANNED)} canned responses, {len(personas)} personas"
