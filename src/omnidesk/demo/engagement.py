"""The demo's proactive engagement: consents from the shoppers' sign-up choice, four campaigns,
and the contact-reason model trained on the generated history."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.domains.customers.models import Customer
from omnidesk.domains.engagement.actions import do_train_contact_reason_model
from omnidesk.domains.engagement.models import ANY_CHANNEL, Campaign, Consent
from omnidesk.domains.engagement.prediction import PredictionError

CAMPAIGNS: list[dict[str, Any]] = [
    {"name": "장바구니 리마인드", "purpose": "marketing",
     "trigger": {"kind": "cart_idle", "minutes": 20, "min_value": 500000},
     "action": {"kind": "widget", "text": "{name} 고객님, 장바구니에 담아 두신 {value}원 상품이 "
                                          "기다리고 있어요. 설치 일정이나 할부가 궁금하시면 물어보세요."}},
    {"name": "결제 오류 도움", "purpose": "service",
     "trigger": {"kind": "event", "event": "checkout", "only_errors": True},
     "action": {"kind": "widget", "text": "결제 중 문제가 있으셨나요? 카드 승인이나 할부 문제를 바로 "
                                          "도와드릴게요."}},
    {"name": "배송 지연 먼저 안내", "purpose": "service",
     "trigger": {"kind": "event", "event": "delivery_delayed"},
     "action": {"kind": "task", "text": "배송 지연 고객입니다. 새 배송 예정일을 먼저 안내해 주세요."}},
    {"name": "반품 페이지 3회 방문", "purpose": "service",
     "trigger": {"kind": "repeat_visit", "url_contains": "/returns", "count": 3},
     "action": {"kind": "widget", "text": "반품이나 교환을 알아보고 계신가요? 주문 번호를 알려 주시면 "
                                          "바로 접수해 드릴게요."}},
]


async def load_engagement_demo(session: AsyncSession, workspace_id: int) -> str:
    """Record the shoppers' marketing consent and add the demo campaigns; return a summary."""
    customers = (await session.scalars(select(Customer).where(
        Customer.workspace_id == workspace_id))).all()
    consented = [c for c in customers if (c.attributes or {}).get("marketing_opt_in")]
    session.add_all(Consent(workspace_id=workspace_id, customer_id=c.id, channel=ANY_CHANNEL,
                            marketing=True, night=False, source="signup") for c in consented)
    session.add_all(Campaign(workspace_id=workspace_id, enabled=True, audience={},
                             conversion_hours=24, **item) for item in CAMPAIGNS)
    await session.flush()
    summary = f", {len(CAMPAIGNS)} campaigns ({len(consented)} shoppers consented to marketing)"
    try:
        row = await do_train_contact_reason_model(session, workspace_id=workspace_id,
                                                  source="demo")
    except PredictionError:
        return summary  # a history too small to learn from (a trimmed test demo)
    return summary + f", contact-reason model v{row.version} ({len(row.labels)} reasons)"
