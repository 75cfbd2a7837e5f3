"""Dialogue that never loops: free-text slots, choices after two misses, several requests in one
message, verification by a one-time code, and what the bot does while a person is awaited."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import re
from collections.abc import Iterator
from decimal import Decimal

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select, update

from omnidesk.channels.crypto import SettingsCipher
from omnidesk.channels.email.smtp_server import InboundSmtpHandler
from omnidesk.channels.inbox_port import do_connect_inbox
from omnidesk.channels.registry import build_registry as build_adapters
from omnidesk.config import Settings
from omnidesk.domains.commerce.models import Order, OrderItem
from omnidesk.domains.conversations.models import Conversation, Message
from tests.channels.fake_provider import free_port

from .conftest import PENDING, PHONE, Chat, Store, get_order, order_status

SECOND = "HB2026112000555"
HOME = {"recipient": "김민지", "phone": PHONE, "postal_code": "04036", "city": "서울특별시",
        "district": "마포구", "line1": "서울특별시 마포구 양화로 45", "line2": "3층",
        "home_type": "villa"}


async def _home_address(chat: Chat, store: Store, number: str = PENDING) -> None:
    async with chat.session_factory() as session:
        await session.execute(update(Order).where(
            Order.workspace_id == store.workspace_id, Order.external_id == number)
            .values(address=HOME))
        await session.commit()


async def _second_pending_order(chat: Chat, store: Store) -> None:
    async with chat.session_factory() as session:
        session.add(Order(
            workspace_id=store.workspace_id, external_id=SECOND, customer_id=store.customer_id,
            status="pending", total=Decimal(59000), currency="KRW", address=dict(HOME),
            payments=[{"method": "card", "transaction_type": "payment"}],
            placed_at=dt.datetime(2026, 11, 20, 9, tzinfo=dt.UTC),
            items=[OrderItem(workspace_id=store.workspace_id, name="전기 포트",
                             product_external_id="P-KET", item_external_id=f"{SECOND}-1",
                             price=Decimal(59000), quantity=1)]))
        await session.commit()


async def test_not_cancel_but_only_the_address_keeps_recipient_and_phone(
        signed_in: Chat, store: Store) -> None:
    await _home_address(signed_in, store)
    ask = await signed_in.say(f"{PENDING} 취소 말고 배송지만 바꿔주세요")
    assert "새 배송지" in ask and "취소" not in ask
    confirm = await signed_in.say("서울시 강남구 테헤란로 152 10층 우편번호 06236으로 바꿔주세요")
    assert "테헤란로 152, 10층 (06236)" in confirm and "받는 분(김민지)과 연락처는 그대로" in confirm
    assert "으)로" not in confirm and "을(를)" not in confirm  # particles chosen, not templated
    [message] = (await signed_in.bot_messages())[-1:]
    assert message.meta["quick_replies"] == ["네", "아니요"]
    assert "변경했어요" in await signed_in.say("네")
    order = await get_order(signed_in.session_factory, store.workspace_id, PENDING)
    assert order.status == "pending"
    assert order.address["line1"] == "서울시 강남구 테헤란로 152"
    assert order.address["line2"] == "10층" and order.address["postal_code"] == "06236"
    assert order.address["recipient"] == "김민지" and order.address["phone"] == PHONE
    assert "우편번호" not in str(order.address)
    print("\n".join(signed_in.transcript))


async def test_an_english_address_change_keeps_the_recipient(signed_in: Chat,
                                                             store: Store) -> None:
    await _home_address(signed_in, store)
    await signed_in.say(f"Please change the shipping address of order {PENDING}")
    confirm = await signed_in.say("123 Main St, Apt 4B, Springfield, IL 62704")
    assert "123 Main St, Apt 4B (62704)" in confirm and "recipient (김민지)" in confirm
    assert "changed" in await signed_in.say("yes")
    order = await get_order(signed_in.session_factory, store.workspace_id, PENDING)
    assert order.address["line1"] == "123 Main St" and order.address["recipient"] == "김민지"


async def test_an_address_without_postcode_asks_only_for_it_and_can_go_without(
        signed_in: Chat, store: Store) -> None:
    await _home_address(signed_in, store)
    await signed_in.say(f"{PENDING} 배송지 변경해 주세요")
    asked = await signed_in.say("서울 마포구 월드컵북로 400, 5층")
    assert "우편번호 5자리" in asked
    [message] = (await signed_in.bot_messages())[-1:]
    assert message.meta["quick_replies"] == ["우편번호 모름"]
    confirm = await signed_in.say("우편번호 모름")
    assert "월드컵북로 400, 5층 (우편번호 미입력)" in confirm
    await signed_in.say("네")
    order = await get_order(signed_in.session_factory, store.workspace_id, PENDING)
    assert order.address["line1"] == "서울 마포구 월드컵북로 400"
    assert order.address["postal_code"] == "" and order.address["phone"] == PHONE


async def test_a_cancel_reason_in_the_customers_own_words_is_taken(signed_in: Chat,
                                                                   store: Store) -> None:
    await signed_in.say(f"{PENDING} 주문 취소할게요")
    confirm = await signed_in.say("다른 쇼핑몰에서 더 싸게 팔아서요")
    assert "'다른 쇼핑몰에서 더 싸게 팔아서요' 사유로" in confirm
    assert "취소했어요" in await signed_in.say("네")
    [event] = await signed_in.events("bot_action")
    assert event.data["reason"] == "다른 쇼핑몰에서 더 싸게 팔아서요"


async def test_after_two_unclear_answers_the_bot_offers_choices_and_a_person(
        signed_in: Chat, store: Store) -> None:
    await signed_in.say(f"{PENDING} 주문 취소해 주세요")
    again = await signed_in.say("?")
    assert "이유" in again and "상담원 연결" not in again
    offered = await signed_in.say("음...")
    assert "골라 주시거나" in offered
    [message] = (await signed_in.bot_messages())[-1:]
    assert message.meta["quick_replies"] == ["더 이상 필요 없음", "실수로 주문", "상담원 연결"]
    assert "'실수로 주문' 사유로" in await signed_in.say("실수로 주문")


async def test_on_a_text_only_channel_choices_are_listed_and_a_number_picks_one(
        session_factory, store: Store) -> None:
    sms = Chat(session_factory, store.workspace_id, ("phone", PHONE, True), channel="sms")
    await sms.say(f"{PENDING} 주문 취소해 주세요 {PHONE}")
    await sms.say("?")
    listed = await sms.say("음...")
    assert "1. 더 이상 필요 없음\n2. 실수로 주문\n3. 상담원 연결" in listed
    assert "번호로 답해 주셔도" in listed
    assert "'실수로 주문' 사유로" in await sms.say("2")


async def test_a_message_with_two_requests_does_both_one_after_another(
        signed_in: Chat, store: Store) -> None:
    await _second_pending_order(signed_in, store)
    first = await signed_in.say(f"{PENDING} 취소하고 환불은 언제 돼요? 그리고 배송지도 바꾸고 싶어요")
    assert "2가지를 차례로" in first and "주문 취소, 배송지 변경" in first
    assert "취소하시는 이유" in first
    await signed_in.say("필요 없어졌어요")
    done = await signed_in.say("네")
    assert "취소했어요" in done and "5~7일" in done  # the refund question is answered here
    assert "이어서 배송지 변경을 도와드릴게요" in done
    [message] = (await signed_in.bot_messages())[-1:]
    assert any(SECOND in choice for choice in message.meta["quick_replies"])
    ask = await signed_in.say(next(c for c in message.meta["quick_replies"] if SECOND in c))
    assert "새 배송지" in ask
    await signed_in.say("서울시 강남구 테헤란로 152, 06236")
    assert "변경했어요" in await signed_in.say("네")
    assert await order_status(signed_in.session_factory, store.workspace_id, PENDING) == (
        "cancelled")
    second = await get_order(signed_in.session_factory, store.workspace_id, SECOND)
    assert second.address["line1"] == "서울시 강남구 테헤란로 152"
    actions = [e.data["action"] for e in await signed_in.events("bot_action")]
    assert actions == ["order_cancelled", "address_changed"]
    print("\n".join(signed_in.transcript))


async def test_an_english_message_with_two_requests(signed_in: Chat, store: Store) -> None:
    first = await signed_in.say(f"Cancel my order {PENDING} and also tell me my membership tier")
    assert "2 requests one at a time" in first and "cancel order" in first.lower()
    await signed_in.say("ordered by mistake")
    done = await signed_in.say("yes")
    assert "cancelled" in done and "Next, your membership." in done and "VIP" in done


class Mailbox:
    """What the local SMTP server accepted."""

    def __init__(self) -> None:
        self.mails: list[tuple[bytes, str, list[str]]] = []

    async def store(self, raw: bytes, mail_from: str, rcpt_tos: list[str]) -> None:
        self.mails.append((raw, mail_from, rcpt_tos))


@pytest.fixture
def smtp_server() -> Iterator[tuple[Mailbox, int]]:
    mailbox, port = Mailbox(), free_port()
    controller = Controller(InboundSmtpHandler(mailbox.store, {"example.com"}),
                            hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield mailbox, port
    finally:
        controller.stop()


async def _email_inbox(session, store: Store, port: int, settings: Settings) -> None:
    await do_connect_inbox(
        session, workspace_id=store.workspace_id, adapter=build_adapters()["email"],
        name="Support mail", cipher=SettingsCipher(settings.effective_secret_key),
        settings={"address": "help@acme.example", "display_name": "Acme",
                  "message_id_domain": "mail.acme.example",
                  "smtp": {"host": "127.0.0.1", "port": port, "security": "none",
                           "timeout_seconds": 5}})
    await session.commit()


def _code(mailbox: Mailbox) -> str:
    [(raw, _from, rcpt_tos)] = mailbox.mails
    assert rcpt_tos == ["minji.kim@example.com"]  # the address on file, not one typed in chat
    mail = email.message_from_bytes(raw, policy=email.policy.default)
    body = mail.get_body(preferencelist=("plain",)).get_content()  # type: ignore[union-attr]
    found = re.search(r"\b(\d{6})\b", body)
    assert found, body
    return found.group(1)


async def test_a_shopper_without_the_order_number_verifies_by_code_and_picks_an_order(
        session, visitor: Chat, store: Store, smtp_server: tuple[Mailbox, int]) -> None:
    mailbox, port = smtp_server
    visitor.settings = Settings(database_url="sqlite://")
    await _email_inbox(session, store, port, visitor.settings)
    ask = await visitor.say("주문 취소하고 싶은데 주문번호를 몰라요")
    assert "마이페이지 > 주문 내역" in ask and "인증번호" in ask
    sent = await visitor.say("minji.kim@example.com")
    assert "mi***@example.com" in sent and "인증번호 6자리" in sent
    code = _code(mailbox)
    assert code not in sent
    widget_view = await visitor.bot_messages()
    assert all(code not in m.text for m in widget_view)  # the code went by email only
    assert "맞지 않아요" in await visitor.say("000000" if code != "000000" else "111111")
    picked = await visitor.say(code)
    assert "본인 확인이 됐어요" in picked
    [message] = (await visitor.bot_messages())[-1:]
    choices = message.meta["quick_replies"]
    assert any(PENDING in c for c in choices) and len(choices) == 4
    reason = await visitor.say(next(c for c in choices if PENDING in c))
    assert "취소하시는 이유" in reason
    await visitor.say("실수로 주문했어요")
    assert "취소했어요" in await visitor.say("네")
    conv = await visitor.conversation()
    assert conv.attributes["bot"]["verified_by"] == "code_email"
    assert "digest" not in str(conv.attributes["bot"]) or conv.attributes["bot"]["code"] is None


async def test_an_unknown_contact_is_not_sent_a_code(visitor: Chat, store: Store) -> None:
    assert "one-time code" in await visitor.say("I want to cancel my order")
    reply = await visitor.say("My email is someone.else@example.com")
    assert "couldn't find orders for that contact" in reply


async def _agent_joins(chat: Chat) -> None:
    async with chat.session_factory() as session:
        await session.execute(update(Conversation).where(
            Conversation.id == chat.conversation_id).values(owner="agent"))
        await session.commit()


@pytest.fixture
async def kb_store(session, store: Store, tmp_path) -> Store:
    """The delivery-fee help article (ko + en) in the store's knowledge base."""
    import shutil

    from omnidesk.core.context import system_actor
    from omnidesk.demo import knowledge as kb_demo
    from omnidesk.domains.knowledge.io.importing import import_markdown_folder
    from omnidesk.domains.workspaces.models import Workspace

    for locale in ("ko", "en"):
        (tmp_path / locale).mkdir()
        shutil.copy(kb_demo.DEMO_FOLDER / locale / "delivery-fee.md", tmp_path / locale)
    await import_markdown_folder(session, actor=system_actor(store.workspace_id), folder=tmp_path)
    ws = await session.get(Workspace, store.workspace_id)
    ws.settings = {**ws.settings, "bot": {**ws.settings["bot"], "answer_min_score": 0.1}}
    await session.commit()
    return store


async def test_while_waiting_the_bot_answers_a_kb_question_and_stays_quiet_for_the_agent(
        visitor: Chat, kb_store: Store) -> None:
    assert "상담원에게 연결" in await visitor.say("상담원 연결해 주세요")
    ack = await visitor.say("빨리 좀 부탁드려요")
    assert "메시지 잘 받았어요" in ack and "상담원" in ack
    assert await visitor.say("아직인가요") == ""  # acknowledged once
    answer = await visitor.say("배송비는 얼마인가요?")
    assert "배송" in answer and "상담원 연결은 그대로" in answer
    conv = await visitor.conversation()
    assert conv.owner == "queued" and conv.waiting_since is not None  # still waiting
    await _agent_joins(visitor)
    assert await visitor.say("배송비는 얼마인가요?") == ""  # an agent has it now
    async with visitor.session_factory() as session:  # the agent sees everything the bot said
        said = (await session.scalars(select(Message.text).where(
            Message.conversation_id == visitor.conversation_id,
            Message.author_kind == "bot", Message.is_private.is_(False)))).all()
    assert any("메시지 잘 받았어요" in t for t in said) and any("배송" in t for t in said)


async def test_waiting_out_of_hours_tells_when_the_team_opens(session_factory, session,
                                                              store: Store) -> None:
    from omnidesk.domains.workspaces.models import Workspace

    ws = await session.get(Workspace, store.workspace_id)
    ws.business_hours = {"timezone": "Asia/Seoul", "holidays": [], "weekly": {}}
    ws.business_hours = {"timezone": "Asia/Seoul", "holidays": [],
                         "weekly": {"mon": [["09:00", "09:01"]]}}
    await session.commit()
    chat = Chat(session_factory, store.workspace_id, ("web_visitor", "v-night", False))
    await chat.say("talk to an agent please")
    ack = await chat.say("hello, anyone there?")
    assert "An agent will answer from" in ack
