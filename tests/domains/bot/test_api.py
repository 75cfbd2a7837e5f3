"""The bot over the API: settings, training a model version, and the API channel."""

from __future__ import annotations

from sqlalchemy import select

from omnidesk.app.subscribers import build_registry
from omnidesk.core.dispatcher import Dispatcher, DispatcherConfig
from omnidesk.core.events import EventDelivery
from omnidesk.domains.nlu.service import get_active_model_row

from .conftest import PENDING, make_store

SMALL_TRAINING = [{"text": t, "intent": i} for i, texts in {
    "order_status": ("where is my order", "order status please", "has my order shipped",
                     "track my package", "주문 배송 조회", "내 주문 어디쯤"),
    "cancel_order": ("cancel my order", "i want to cancel", "please cancel the order",
                     "주문 취소해 주세요", "주문 취소하고 싶어요", "취소 부탁"),
    "talk_to_agent": ("human please", "talk to an agent", "real person", "상담원 연결",
                      "사람이랑 얘기", "상담사 바꿔줘"),
}.items() for t in texts]


async def test_admins_change_bot_settings_and_agents_cannot(client, owner) -> None:
    got = await client.get("/api/v1/bot/settings", headers=owner.headers)
    assert got.status_code == 200 and got.json()["enabled"] is False
    changed = await client.patch("/api/v1/bot/settings", headers=owner.headers, json={
        "enabled": True, "channels": ["web", "api"], "greeting": {"ko": "안녕하세요, 봇입니다."},
        "intents": ["order_status"]})
    assert changed.status_code == 200, changed.text
    assert changed.json()["channels"] == ["web", "api"]
    bad = await client.patch("/api/v1/bot/settings", headers=owner.headers,
                             json={"intents": ["launch_rockets"]})
    assert bad.status_code == 422
    login = await client.post("/api/v1/auth/token", json={
        "email": owner.agent_email, "password": owner.password})
    if login.status_code == 200:
        agent = {"Authorization": f"Bearer {login.json()['access_token']}"}
        assert (await client.patch("/api/v1/bot/settings", headers=agent,
                                   json={"enabled": False})).status_code == 403


async def test_training_stores_a_new_active_version(client, owner, session) -> None:
    first = await client.post("/api/v1/bot/train", headers=owner.headers,
                              json={"rows": SMALL_TRAINING})
    second = await client.post("/api/v1/bot/train", headers=owner.headers,
                               json={"rows": SMALL_TRAINING})
    assert first.status_code == 201, first.text
    assert (first.json()["version"], second.json()["version"]) == (1, 2)
    active = await get_active_model_row(session, workspace_id=owner.workspace_id)
    assert active is not None and active.version == 2 and "cancel_order" in active.labels
    listed = (await client.get("/api/v1/bot/models", headers=owner.headers)).json()
    assert [m["is_active"] for m in listed] == [True, False]


async def test_the_bot_answers_on_the_api_channel(client, owner, session, settings) -> None:
    store = await make_store(session, owner.workspace_id)
    created = await client.post("/api/v1/conversations", headers=owner.headers, json={
        "customer_id": store.customer_id, "channel": "api"})
    assert created.status_code == 201, created.text
    conv_id = created.json()["id"]
    posted = await client.post(f"/api/v1/conversations/{conv_id}/messages", headers=owner.headers,
                               json={"text": f"Where is my order {PENDING}?",
                                     "author_kind": "customer"})
    assert posted.status_code == 201, posted.text
    await Dispatcher(client.app.state.session_factory, build_registry(settings),
                     DispatcherConfig(backoff_base_seconds=0)).drain()
    messages = (await client.get(f"/api/v1/conversations/{conv_id}/messages",
                                 headers=owner.headers)).json()
    items = messages["items"] if isinstance(messages, dict) else messages
    bot = [m for m in items if m["author_kind"] == "bot"]
    assert bot and "pending (not shipped yet)" in bot[-1]["text"]  # a signed-in store customer
    failed = (await session.scalars(select(EventDelivery.subscriber).where(
        EventDelivery.status != "done"))).all()
    assert "bot.answer" not in failed
