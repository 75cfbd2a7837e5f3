"""The bot settings page: admins change what the bot does and train its model; the bot then
behaves so; supervisors only look, agents are refused; typos come back as the form and nothing
stored changes."""

from __future__ import annotations

import re

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from omnidesk.core.audit import AuditEntry
from omnidesk.core.context import system_actor
from omnidesk.domains.agents.actions import do_create_user
from omnidesk.domains.agents.schemas import UserCreate
from omnidesk.domains.bot import actions as bot_actions
from omnidesk.domains.bot.policy import BotSettings
from omnidesk.domains.bot.service import get_bot_settings
from omnidesk.domains.nlu.schemas import TrainingError
from omnidesk.domains.nlu.service import get_active_model_row, list_model_versions
from omnidesk.web.bot_forms import settings_values
from tests.conftest import Persona
from tests.domains.bot.conftest import PENDING, Chat, make_store, window_greeting
from tests.web.test_supervisor import log_in

PAGE = "/settings/bot"
ADMIN = "admin@acme.example"
HX = {"HX-Request": "true"}
GREETING = "안녕하십니까, 아크미 고객센터 자동 상담입니다."
GROUPS = ("channels", "intents", "tone")


async def stored(session: AsyncSession, workspace_id: int) -> BotSettings:
    """Read the workspace's bot settings afresh."""
    session.expire_all()
    return await get_bot_settings(session, workspace_id=workspace_id)


async def the_form(session: AsyncSession, workspace_id: int, **changes: str | None
                   ) -> dict[str, str]:
    """Return the form as the page fills it from the stored settings, with changes (None = untick)."""
    values = settings_values(await stored(session, workspace_id))
    for name, value in changes.items():
        if value is None:
            values.pop(name, None)
        else:
            values[name] = value
    return values


async def test_an_admin_changes_tone_greeting_channels_and_tasks_and_the_bot_follows(
    client: httpx.AsyncClient, session: AsyncSession, owner: Persona,
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    ws = owner.workspace_id
    await make_store(session, ws)
    csrf = await log_in(client, ADMIN, owner.password)
    page = await client.get(PAGE)
    assert page.status_code == 200 and "챗봇 설정" in page.text
    assert 'class="active">챗봇<' in page.text and 'id="bot-form"' in page.text
    assert 'name="channels.sms" checked' in page.text and "주문 취소" in page.text
    assert ('name="min_confidence" type="number" value="0.5" step="any" required min="0" max="1"'
            in page.text)
    assert "0 – 1" in page.text and "친근하게 (해요체)" in page.text

    form = await the_form(session, ws, tone="formal", greeting_ko=GREETING,
                          **{"channels.sms": None, "intents.membership_tier": None})
    saved = await client.post(PAGE, headers=HX, data={"csrf": csrf, **form})
    assert saved.status_code == 200, saved.text
    assert "저장했습니다" in saved.text and 'value="formal" checked' in saved.text
    settings = await stored(session, ws)
    assert (settings.tone, settings.greeting) == ("formal", {"ko": GREETING})
    assert "sms" not in settings.channels and "web" in settings.channels
    assert "membership_tier" not in settings.intents and "cancel_order" in settings.intents
    audited = await session.scalars(select(AuditEntry.actor_id).where(
        AuditEntry.action == "bot.settings_updated", AuditEntry.workspace_id == ws))
    assert audited.all() == [owner.admin.user_id]

    web = Chat(session_factory, ws, ("user_id", "u-minji", True))
    first = await web.say(f"{PENDING} 주문 취소해 주세요")
    # the chat window shows the greeting (one greeting); the reply keeps the formal tone
    assert await window_greeting(session_factory, ws, "ko") == GREETING
    assert not first.startswith(GREETING) and "취소하시는 사유를 말씀해 주십시오" in first

    asking = Chat(session_factory, ws, ("web_visitor", "v-tier", False))
    await asking.say("제 회원 등급이랑 포인트 알려주세요")
    [handoff] = await asking.events("bot_handoff")
    assert handoff.data["reason"] == "intent_not_enabled"

    texting = Chat(session_factory, ws, ("phone", "010-9876-5432", False), channel="sms")
    assert await texting.say("주문 취소하고 싶어요") == ""
    assert (await texting.conversation()).owner == "queued"


async def test_agents_are_refused_and_supervisors_see_the_bot_settings_read_only(
    client: httpx.AsyncClient, session: AsyncSession, owner: Persona
) -> None:
    ws = owner.workspace_id
    await do_create_user(session, actor=system_actor(ws), user_in=UserCreate(
        email="lead@acme.example", name="Lead", password=owner.password, role="supervisor"))
    await session.commit()
    before = await stored(session, ws)

    agent_csrf = await log_in(client, owner.agent_email, owner.password)
    assert 'href="/settings/bot"' not in (await client.get("/settings/security")).text
    assert (await client.get(PAGE)).status_code == 403
    form = {"csrf": agent_csrf, **settings_values(before), "tone": "formal"}
    assert (await client.post(PAGE, data=form)).status_code == 403
    assert (await client.post(f"{PAGE}/train", data={"csrf": agent_csrf})).status_code == 403
    client.cookies.clear()

    lead_csrf = await log_in(client, "lead@acme.example", owner.password)
    assert 'href="/settings/bot"' in (await client.get("/settings/security")).text
    page = await client.get(PAGE)
    assert page.status_code == 200 and "읽기 전용" in page.text
    assert "<fieldset class=\"plain\" disabled>" in page.text
    assert f'action="{PAGE}"' not in page.text and "/train" not in page.text
    assert 'name="csrf"' not in page.text.split("</header>", 1)[1]  # only the top bar's forms
    form["csrf"] = lead_csrf
    assert (await client.post(PAGE, headers=HX, data=form)).status_code == 403
    assert (await client.post(f"{PAGE}/train", data={"csrf": lead_csrf})).status_code == 403
    client.cookies.clear()

    assert (await client.get(PAGE)).status_code == 303  # logged out: to the login page
    assert await stored(session, ws) == before
    assert await list_model_versions(session, workspace_id=ws) == []


async def test_posts_without_a_valid_csrf_token_are_refused(
    client: httpx.AsyncClient, session: AsyncSession, owner: Persona
) -> None:
    ws = owner.workspace_id
    before = await stored(session, ws)
    await log_in(client, ADMIN, owner.password)
    form = {**settings_values(before), "enabled": "on", "tone": "formal"}
    assert (await client.post(PAGE, data=form)).status_code == 403
    assert (await client.post(PAGE, data={**form, "csrf": "forged"})).status_code == 403
    assert (await client.post(f"{PAGE}/train")).status_code == 403
    assert await stored(session, ws) == before
    assert await list_model_versions(session, workspace_id=ws) == []


async def test_bad_values_come_back_as_the_form_with_a_message_and_nothing_changes(
    client: httpx.AsyncClient, session: AsyncSession, owner: Persona
) -> None:
    ws = owner.workspace_id
    await make_store(session, ws, bot={"greeting": {"en": "Hello from Acme."}})
    before = await stored(session, ws)
    csrf = await log_in(client, ADMIN, owner.password)

    async def refused(changes: dict[str, str | None], *words: str, field: str) -> str:
        form = await the_form(session, ws, **changes)
        response = await client.post(PAGE, headers=HX, data={"csrf": csrf, **form})
        assert response.status_code == 422, (changes, response.text)
        for word in words:
            assert word in response.text, (word, response.text)
        assert 'role="alert"' in response.text and "HX-Reswap" in response.headers
        if field in GROUPS:  # a group of boxes is marked as a whole
            assert re.search(r'<fieldset class="grid invalid"[^>]*aria-invalid="true"', response.text)
        else:
            assert re.search(rf'name="{field}"[^>]*aria-invalid="true"', response.text)
        return response.text

    text = await refused({"min_confidence": "1.5", "tone": "formal"}, "최소 확신도:",
                         "less than or equal to 1", field="min_confidence")
    assert 'value="1.5"' in text and 'aria-invalid="true"' in text
    assert 'value="formal" checked' in text  # what the admin typed is kept
    await refused({"max_misses": "abc"}, "숫자를 입력하세요", field="max_misses")
    await refused({"max_misses": "2.5"}, "이해 못 한 메시지 한도:", field="max_misses")
    await refused({"negative_sentiment_threshold": "0.3"}, "부정 감정 기준:",
                  field="negative_sentiment_threshold")
    await refused({"answer_min_score": ""}, "숫자를 입력하세요", field="answer_min_score")
    await refused({"channels.fax": "on"}, "unknown channels: fax", field="channels")
    await refused({"intents.launch_rockets": "on"}, "intents must be among", field="intents")
    await refused({"tone": "shouty"}, "말투:", field="tone")
    await refused({"support_email": "x" * 255}, "고객 지원 이메일:", field="support_email")
    assert await stored(session, ws) == before

    api = await client.patch("/api/v1/bot/settings", headers=owner.headers,
                             json={"channels": ["web", "fax"]})
    assert api.status_code == 422 and "unknown channels: fax" in api.text  # the same check
    english = await client.post("/profile/locale", data={"csrf": csrf, "locale": "en",
                                                         "back": PAGE})
    assert english.status_code == 303
    text = await refused({"max_verification_attempts": "9"}, "Verification attempts:",
                         field="max_verification_attempts")
    assert "Tasks the bot may carry out" in text and "Cancel an order" in text
    assert await stored(session, ws) == before


async def test_train_now_stores_and_activates_a_new_model_version(
    client: httpx.AsyncClient, session: AsyncSession, owner: Persona
) -> None:
    ws = owner.workspace_id
    csrf = await log_in(client, ADMIN, owner.password)
    page = await client.get(PAGE)
    assert "학습한 버전이 없습니다" in page.text
    assert 'hx-indicator="#train-busy"' in page.text and 'hx-disabled-elt="find button"' in page.text
    trained = await client.post(f"{PAGE}/train", headers=HX, data={"csrf": csrf})
    assert trained.status_code == 200, trained.text
    assert "버전 1을(를) 학습해" in trained.text and 'data-version="1" class="active"' in trained.text
    assert "기본 예문" in trained.text and re.search(r"\d+\.\d%", trained.text)
    session.expire_all()
    active = await get_active_model_row(session, workspace_id=ws)
    assert active is not None and (active.version, active.source) == (1, "shipped")
    assert active.metrics["n_train"] > 100 and "cancel_order" in active.labels


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
async def test_a_failed_training_shows_a_message_and_keeps_the_model(
    client: httpx.AsyncClient, session: AsyncSession, owner: Persona,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    csrf = await log_in(client, ADMIN, owner.password)

    def broken(_rows: object) -> None:
        raise TrainingError("need at least two different labels to train")

    monkeypatch.setattr(bot_actions, "train_intent_model_from_rows", broken)
    failed = await client.post(f"{PAGE}/train", headers=HX, data={"csrf": csrf})
    assert failed.status_code == 422 and 'role="alert"' in failed.text
    assert "need at least two different labels" in failed.text
    assert "사용 중인 모델은 그대로입니다" in failed.text

    def crashing(_rows: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(bot_actions, "train_intent_model_from_rows", crashing)
    crashed = await client.post(f"{PAGE}/train", headers=HX, data={"csrf": csrf})
    assert crashed.status_code == 503 and "학습하지 못했습니다" in crashed.text
    assert await list_model_versions(session, workspace_id=owner.workspace_id) == []
