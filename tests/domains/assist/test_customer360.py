"""Customer 360 profile, tier arithmetic, recognition templates, masking and the reveal log."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.core.errors import NotFound
from omnidesk.domains.assist import recognition
from omnidesk.domains.assist.contact_actions import do_reveal_pii
from omnidesk.domains.assist.customer360 import build_profile
from omnidesk.domains.assist.service import recognition_messages
from omnidesk.domains.assist.tiers import tier_progress, tiers_from_settings
from omnidesk.domains.privacy.models import PiiAccess
from tests.conftest import Persona
from tests.domains.assist.conftest import Returning, seed_returning

DEMO_TIERS = {"tiers": [{"key": "basic", "threshold": 0}, {"key": "silver", "threshold": 300000},
                        {"key": "gold", "threshold": 600000}, {"key": "vip", "threshold": 1000000}]}


@pytest.mark.parametrize(("spent", "tier", "remaining"), [
    (0, "basic", 300000), (299999, "basic", 1), (300000, "silver", 300000),
    (880000, "gold", 120000), (1000000, "vip", 0), (5000000, "vip", 0),
])
def test_tier_arithmetic_places_spend_on_thresholds(spent: int, tier: str,
                                                     remaining: int) -> None:
    progress = tier_progress(spent, tiers_from_settings(DEMO_TIERS))
    assert progress.current.key == tier
    assert progress.remaining == Decimal(remaining)


async def test_profile_joins_orders_and_conversations_across_channels(
        session: AsyncSession, owner: Persona, returning: Returning) -> None:
    profile = await build_profile(session, actor=owner.agent, customer_id=returning.customer_id,
                                  conversation_id=returning.current_id)
    assert profile.lifetime_value == Decimal(880000)
    assert (profile.tier.key, profile.tier.next_key, profile.tier.remaining) == (
        "gold", "vip", Decimal(120000))
    assert {c.channel for c in profile.conversations} == {"kakao", "web"}
    assert profile.last_issue.intent == "delivery_delay"
    assert profile.last_issue.product == "C 설치 상품"
    assert profile.open_order.external_id == "HB2"
    assert [o.external_id for o in profile.orders][:2] == ["HB2", "HB1"]
    assert profile.csat_history[0]["score"] == 2


async def test_profile_masks_personal_data_by_default(
        session: AsyncSession, owner: Persona, returning: Returning) -> None:
    profile = await build_profile(session, actor=owner.agent, customer_id=returning.customer_id)
    dumped = profile.model_dump_json()
    assert "minji@" not in dumped and "1234-5678" not in dumped
    assert "kakao-998877" not in dumped and "강남구 1" not in dumped
    # the name is shown in clear, as in the inbox list and the greeting (customers.contact)
    assert profile.contact.name == "김민지" and profile.contact.phone == "010-****-5678"


async def test_reveal_unmasks_and_writes_the_access_log(
        session: AsyncSession, owner: Persona, returning: Returning) -> None:
    contact = await do_reveal_pii(session, actor=owner.agent, customer_id=returning.customer_id,
                                  fields=["phone", "address"], reason="배송 확인")
    await session.commit()
    assert contact.phone == "010-1234-5678" and "강남구 1" in (contact.address or "")
    assert contact.email != "minji@example.com"
    rows = (await session.scalars(select(PiiAccess))).all()
    assert len(rows) == 1 and rows[0].actor_id == owner.agent.user_id
    assert (rows[0].action, rows[0].fields, rows[0].reason) == ("reveal", ["address", "phone"], "배송 확인")
    assert rows[0].customer_id == returning.customer_id


async def test_an_outsider_cannot_see_or_reveal_the_profile(
        session: AsyncSession, outsider: Persona, returning: Returning) -> None:
    with pytest.raises(NotFound):
        await build_profile(session, actor=outsider.agent, customer_id=returning.customer_id)
    with pytest.raises(NotFound):
        await do_reveal_pii(session, actor=outsider.agent, customer_id=returning.customer_id)


async def test_greeting_and_closing_recognize_the_customer_in_korean(
        session: AsyncSession, owner: Persona, returning: Returning) -> None:
    greeting, closing = await recognition_messages(session, actor=owner.agent,
                                                   conversation_id=returning.current_id)
    assert "지난번 C 설치 상품 배송 지연 문제로 불편을 드렸는데 잘 사용하고 계신가요?" in greeting
    assert closing.startswith("현재까지 구매하신 금액은 ₩880,000으로 VIP 등급까지 ₩120,000 남으셨습니다.")


async def test_greeting_and_closing_in_english(session: AsyncSession, owner: Persona) -> None:
    seeded = await seed_returning(session, owner, locale="en")
    greeting, closing = await recognition_messages(session, actor=owner.agent,
                                                   conversation_id=seeded.current_id)
    assert "delivery delay with your C 설치 상품 last time" in greeting
    assert "₩880,000" in closing and "₩120,000 away from VIP" in closing


async def test_templates_with_missing_data_fall_back(session: AsyncSession,
                                                     owner: Persona, returning: Returning
                                                     ) -> None:
    profile = await build_profile(session, actor=owner.agent, customer_id=returning.customer_id,
                                  conversation_id=returning.current_id)
    bare = profile.model_copy(update={"last_issue": None, "open_order": None, "orders": [],
                                      "conversations": []})
    text = recognition.pick_message("greeting", bare, "한빛리빙", {})
    assert text == "안녕하세요, 한빛리빙입니다. 무엇을 도와드릴까요?"
    custom = {"recognition": {"greeting": [
        {"locale": "ko", "when": [], "text": "{unknown_var} 안녕하세요"},
        {"locale": "ko", "when": [], "text": "{tier} 고객님 반갑습니다 {__class__}"},
        {"locale": "ko", "when": [], "text": "{tier} 고객님 반갑습니다"}]}}
    assert recognition.pick_message("greeting", bare, "한빛리빙", custom) == "골드 고객님 반갑습니다"
