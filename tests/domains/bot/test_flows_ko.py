"""Korean conversations through the real dispatcher: cancel, address change, refund, tier."""

from __future__ import annotations

from omnidesk.domains.conversations.models import Message

from .conftest import (
    CANCELLED,
    DELIVERED,
    PENDING,
    PHONE,
    Chat,
    Store,
    order_status,
    window_greeting,
)


async def test_a_visitor_cancels_a_pending_order_after_verifying(visitor: Chat,
                                                                 store: Store) -> None:
    first = await visitor.say("주문 취소하고 싶어요")
    greeting = await window_greeting(visitor.session_factory, store.workspace_id, "ko")
    assert "챗봇" in greeting and "상담원" in greeting  # says it is a bot and how to reach a person
    assert "안녕하세요" not in first  # the chat window greets; the bot does not greet twice
    assert "주문번호" in first and "휴대폰" in first
    assert "취소하시는 이유" in await visitor.say(f"{PENDING} {PHONE}")
    confirm = await visitor.say("실수로 주문했어요")
    assert PENDING in confirm and "'네'" in confirm
    assert await order_status(visitor.session_factory, store.workspace_id, PENDING) == "pending"
    done = await visitor.say("네")
    assert "취소했어요" in done and "영업일 기준 5~7일" in done
    assert await order_status(visitor.session_factory, store.workspace_id, PENDING) == (
        "cancelled")
    actions = [e.data["action"] for e in await visitor.events("bot_action")]
    assert actions[-1] == "order_cancelled"
    print("\n".join(visitor.transcript))


async def test_every_bot_turn_carries_intent_confidence_and_source(visitor: Chat,
                                                                   store: Store) -> None:
    await visitor.say("주문 취소하고 싶어요")
    [message] = await visitor.bot_messages()
    assert isinstance(message, Message) and message.author_kind == "bot"
    meta = message.meta["bot"]
    assert meta["intent"] == "cancel_order" and meta["confidence"] > 0.5
    assert meta["source"] == "flow:verify" and meta["flow"] == "cancel_order"


async def test_a_wrong_phone_twice_hands_off_for_failed_verification(visitor: Chat,
                                                                     store: Store) -> None:
    await visitor.say("주문 취소해 주세요")
    assert "일치하지 않아요" in await visitor.say(f"{PENDING} 010-9999-0000")
    last = await visitor.say(f"{PENDING} 010-9999-1111")
    assert "상담원에게 연결" in last
    conv = await visitor.conversation()
    assert conv.owner == "queued"
    [handoff] = await visitor.events("bot_handoff")
    assert handoff.data["reason"] == "verification_failed"
    [note] = await visitor.bot_messages(private=True)
    assert "본인 확인 실패" in note.text and "9999" not in note.text  # phone masked
    assert await order_status(visitor.session_factory, store.workspace_id, PENDING) == "pending"


async def test_switching_from_cancel_to_address_change_midway(signed_in: Chat,
                                                              store: Store) -> None:
    assert "이유" in await signed_in.say(f"{PENDING} 주문 취소하고 싶어요")
    assert "새 배송지" in await signed_in.say("아니다, 그냥 배송지 주소 변경하고 싶어요")
    confirm = await signed_in.say("서울시 강남구 테헤란로 152, 06236")
    assert "테헤란로 152" in confirm and "06236" in confirm
    assert "변경했어요" in await signed_in.say("네 바꿔주세요")
    assert await order_status(signed_in.session_factory, store.workspace_id, PENDING) == "pending"
    assert [e.data["action"] for e in await signed_in.events("bot_action")] == ["address_changed"]


async def test_a_delivered_order_cannot_be_cancelled(signed_in: Chat, store: Store) -> None:
    reply = await signed_in.say(f"{DELIVERED} 주문 취소해 주세요")
    assert "취소할 수 없어요" in reply and "배송 완료" in reply
    assert await order_status(signed_in.session_factory, store.workspace_id, DELIVERED) == (
        "delivered")


async def test_refund_status_of_a_cancelled_kakaopay_order(signed_in: Chat,
                                                          store: Store) -> None:
    reply = await signed_in.say(f"{CANCELLED} 환불 언제 되나요?")
    assert "완료" in reply and "카카오페이" in reply and "5~7일" in reply


async def test_membership_tier_and_points(signed_in: Chat, store: Store) -> None:
    reply = await signed_in.say("제 회원 등급이랑 포인트 알려주세요")
    assert "VIP" in reply and "12,500" in reply


async def test_asking_for_a_person_hands_off_at_once(visitor: Chat, store: Store) -> None:
    reply = await visitor.say("상담원 연결해 주세요")
    assert "상담원에게 연결" in reply
    conversation = await visitor.conversation()
    assert conversation.owner == "queued"
    # the notice is not an answer: the customer waits for a person from the moment they asked
    assert conversation.waiting_since is not None
    assert "메시지 잘 받았어요" in await visitor.say("여보세요?")  # acknowledged once
    assert await visitor.say("여보세요??") == ""  # then quiet: the team will answer
