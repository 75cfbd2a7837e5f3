"""The bot opens with the contact reason predicted from behaviour ("결제 오류 문의이신가요?"),
with buttons to confirm it or say something else; the answer steers the first turn."""

from __future__ import annotations

import datetime as dt

import httpx
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from omnidesk.core.db import utcnow
from omnidesk.core.security import hmac_sha256_hex
from omnidesk.domains.bot.opening import OTHER, opening_for, read_opening_answer
from omnidesk.domains.bot.service import build_opening
from omnidesk.domains.bot.texts import TONES
from omnidesk.domains.commerce.models import BehaviourEvent
from omnidesk.domains.engagement.actions import do_train_contact_reason_model
from omnidesk.domains.engagement.prediction import Prediction
from omnidesk.domains.workspaces.models import Workspace
from tests.domains.bot.conftest import Chat, Store
from tests.domains.engagement.test_prediction import hand_built_history


async def declined_card(session: AsyncSession, store: Store) -> None:
    """Train the store's contact-reason model; the store's customer's card was just declined."""
    await hand_built_history(session, store.workspace_id)
    await do_train_contact_reason_model(session, workspace_id=store.workspace_id)
    session.add(BehaviourEvent(
        workspace_id=store.workspace_id, customer_id=store.customer_id, kind="checkout",
        url="https://shop.example/checkout/payment", source="widget",
        data={"step": "payment", "status": "declined"},
        occurred_at=utcnow() - dt.timedelta(minutes=5)))
    await session.commit()


async def test_the_bot_asks_about_the_predicted_reason_in_the_customers_language(
        session: AsyncSession, store: Store) -> None:
    await declined_card(session, store)
    ws = await session.get(Workspace, store.workspace_id)
    assert ws is not None
    ko = await build_opening(session, workspace=ws, customer_id=store.customer_id,
                             channel="web", lang="ko")
    assert ko is not None and ko.intent == "payment_error" and ko.confidence >= 0.5
    assert ko.text == "혹시 결제 오류 문의이신가요?"
    assert ko.choices == ["네, 결제 오류 문의예요", "아니요, 다른 문의예요"]
    en = await build_opening(session, workspace=ws, customer_id=store.customer_id,
                             channel="web", lang="en")
    assert en is not None and en.text == "Are you getting in touch about payment error?"
    assert en.choices == ["Yes, payment error", "No, something else"]
    # Email draws no buttons: no opening there; nor when the bot does not serve the channel.
    assert await build_opening(session, workspace=ws, customer_id=store.customer_id,
                               channel="email", lang="ko") is None
    ws.settings = {**ws.settings, "bot": {**ws.settings["bot"], "enabled": False}}
    assert await build_opening(session, workspace=ws, customer_id=store.customer_id,
                               channel="web", lang="ko") is None


def test_the_answers_are_read_back_in_both_tones_and_languages() -> None:
    assert read_opening_answer("네, 결제 오류 문의예요") == "payment_error"
    assert read_opening_answer("네, 배송 지연 문의입니다") == "delivery_delay"
    assert read_opening_answer("Yes, payment error") == "payment_error"
    assert read_opening_answer("아니요, 다른 문의예요") == OTHER
    assert read_opening_answer("No, something else") == OTHER
    assert read_opening_answer("네, 아무거나 문의예요") is None  # not a reason we know
    assert read_opening_answer("결제가 안 돼요") is None


async def test_confirming_the_guess_makes_it_the_conversations_reason(
        session: AsyncSession, store: Store, signed_in: Chat) -> None:
    await declined_card(session, store)
    reply = await signed_in.say("네, 결제 오류 문의예요")
    assert reply  # the bot answers (or says a person will take over) on the confirmed topic
    conv = await signed_in.conversation()
    assert conv.intent == "payment_error" or (conv.owner == "queued" and any(
        e.data.get("intent") == "payment_error" for e in await signed_in.events("bot_handoff")))


async def test_something_else_asks_the_customer_to_say_it_in_their_words(
        session: AsyncSession, store: Store, signed_in: Chat) -> None:
    await declined_card(session, store)
    reply = await signed_in.say("아니요, 다른 문의예요")
    assert reply == "알겠어요. 어떤 점이 궁금하신지 편하게 적어 주세요."
    conv = await signed_in.conversation()
    assert conv.owner == "bot" and conv.intent is None


async def test_the_widget_fetches_the_opening_only_before_the_chat_starts(
        client: httpx.AsyncClient, session: AsyncSession, store: Store,
        session_factory: async_sessionmaker[AsyncSession]) -> None:
    await declined_card(session, store)
    ws = await session.get(Workspace, store.workspace_id)
    assert ws is not None
    started = await client.post("/widget/api/sessions", json={
        "workspace": store.slug, "user_id": "u-minji", "locale": "ko",
        "signature": hmac_sha256_hex(ws.secret, "u-minji")})
    assert started.status_code == 200, started.text
    headers = {"X-Widget-Workspace": store.slug, "X-Widget-Token": started.json()["token"]}
    opening = (await client.get("/widget/api/opening?locale=ko", headers=headers)).json()
    assert opening["text"] == "혹시 결제 오류 문의이신가요?" and opening["intent"] == "payment_error"
    assert opening["choices"][0] == "네, 결제 오류 문의예요" and opening["version"] == 1
    sent = await client.post("/widget/api/messages", headers=headers, json={
        "text": opening["choices"][0], "client_message_id": "opening-yes-1"})
    assert sent.status_code == 201, sent.text
    assert (await client.get("/widget/api/opening", headers=headers)).json() == {}
    anonymous = await client.post("/widget/api/sessions", json={"workspace": store.slug})
    stranger = {"X-Widget-Workspace": store.slug, "X-Widget-Token": anonymous.json()["token"]}
    assert (await client.get("/widget/api/opening", headers=stranger)).json() == {}
    assert (await client.get("/widget/api/opening", headers={
        "X-Widget-Workspace": store.slug, "X-Widget-Token": "nope"})).status_code == 401


def test_a_reason_whose_name_ends_in_an_inquiry_is_not_asked_about_twice() -> None:
    """A reason named "환불 문의" is asked as "환불 문의이신가요?", not "환불 문의 문의이신가요?" (nor
    "환불 문의 관련 문의이십니까?"), and the confirming button still reads back as the reason."""
    guess = Prediction(intent="refund_status", confidence=0.9, top=[("refund_status", 0.9)])
    for tone in TONES:
        opening = opening_for(guess, lang="ko", tone=tone, channel="web")
        assert opening is not None and "환불" in opening.text, opening
        assert opening.text.count("문의") == opening.choices[0].count("문의") == 1, opening
        assert read_opening_answer(opening.choices[0]) == "refund_status"
