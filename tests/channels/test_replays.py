"""Byte-identical replays on channels without event ids store nothing new and answer 2xx."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from omnidesk.channels.crypto import SettingsCipher
from omnidesk.channels.inbox_port import do_connect_inbox
from omnidesk.channels.registry import build_registry
from omnidesk.channels.replay import REPLAY_WINDOW_SECONDS
from omnidesk.channels.tasks import ChannelJobs
from omnidesk.channels.twilio import signature
from omnidesk.channels.webhooks import handle
from omnidesk.core.dispatcher import Dispatcher
from omnidesk.core.events import SubscriberRegistry
from omnidesk.domains.conversations.models import InboundEvent, Message
from omnidesk.domains.inboxes.service import first_inbox
from tests.channels.conftest import RECEIVED_AT, fixture_bytes, raw_request
from tests.conftest import Persona

ADAPTERS = build_registry()
TWILIO_SID, TWILIO_TOKEN = "AC" + "0" * 31 + "1", "twilio_token_test"
SETTINGS = {
    "kakao": {"skill": {"bot_id": "bot001", "path_token": "kakao-path"}},
    "naver": {"authorization_key": "k", "path_token": "naver-path"},
    "voice": {"account_sid": TWILIO_SID, "auth_token": TWILIO_TOKEN,
              "from_number": "+15005550006", "public_webhook_base": "http://testserver",
              "webhook_path": "/channels/voice/acme/webhook",
              "deflection_link": "https://acme.example/chat",
              "menu": {"prompts": {"ko": "1번", "en": "1"},
                       "options": [{"digit": "1", "action": "queue", "target": "support"}]}},
}
REQUESTS = {
    "kakao": ("?token=kakao-path", fixture_bytes("kakao", "skill_request.json")),
    "naver": ("?token=naver-path", fixture_bytes("naver", "send_text.json")),
}


async def connect(client: httpx.AsyncClient, session: AsyncSession, owner: Persona,
                  kind: str) -> SettingsCipher:
    """Connect the channel with the app's cipher, and return that cipher."""
    cipher = SettingsCipher(client.app.state.settings.effective_secret_key)  # type: ignore[attr-defined]
    await do_connect_inbox(session, workspace_id=owner.workspace_id, adapter=ADAPTERS[kind],
                             name=kind, settings=SETTINGS[kind], cipher=cipher)
    await session.commit()
    return cipher


async def stored(session: AsyncSession, session_factory: async_sessionmaker[AsyncSession],
                 cipher: SettingsCipher) -> tuple[int, int]:
    """Process what was stored; return the number of raw events and of messages."""
    registry = SubscriberRegistry()
    ChannelJobs(ADAPTERS, cipher).register(registry)
    await Dispatcher(session_factory, registry).drain()
    events = await session.scalar(select(func.count()).select_from(InboundEvent))
    messages = await session.scalar(select(func.count()).select_from(Message))
    return int(events or 0), int(messages or 0)


@pytest.mark.parametrize("kind", ["kakao", "naver"])
async def test_a_byte_identical_replay_stores_nothing_new_and_answers_2xx(
        kind: str, client: httpx.AsyncClient, session: AsyncSession, owner: Persona,
        session_factory: async_sessionmaker[AsyncSession]) -> None:
    cipher, (query, body) = await connect(client, session, owner, kind), REQUESTS[kind]
    for _ in range(3):
        answer = await client.post(f"/channels/{kind}/{owner.slug}/webhook{query}",
                                   content=body, headers={"Content-Type": "application/json"})
        assert answer.status_code == 200, answer.text
    assert await stored(session, session_factory, cipher) == (1, 1)


@pytest.mark.parametrize("kind", ["kakao", "naver"])
async def test_the_same_words_after_the_replay_window_are_a_new_message(
        kind: str, client: httpx.AsyncClient, session: AsyncSession, owner: Persona,
        session_factory: async_sessionmaker[AsyncSession]) -> None:
    cipher, (query, body) = await connect(client, session, owner, kind), REQUESTS[kind]
    url = f"http://testserver/channels/{kind}/{owner.slug}/webhook{query}"
    window = dt.timedelta(seconds=REPLAY_WINDOW_SECONDS)
    inbox = await first_inbox(session, workspace_id=owner.workspace_id, kind=kind)
    for at in (RECEIVED_AT, RECEIVED_AT + window * 0.5, RECEIVED_AT + window * 0.95,
               RECEIVED_AT + window * 4):
        answer = await handle(session, ADAPTERS[kind], inbox,
                              raw_request(url, body, received_at=at), cipher)
        assert answer.status_code == 200
    # the original, two replays within the window (in its bucket or the next), a later repeat
    assert await stored(session, session_factory, cipher) == (2, 2)


async def test_a_replayed_call_start_stores_one_call_message(
        client: httpx.AsyncClient, session: AsyncSession, owner: Persona,
        session_factory: async_sessionmaker[AsyncSession]) -> None:
    cipher = await connect(client, session, owner, "voice")
    hook = f"/channels/voice/{owner.slug}/webhook"
    params = {"CallSid": "CA" + "7" * 32, "From": "+821012345678", "To": "+15005550006",
              "AccountSid": TWILIO_SID, "CallStatus": "ringing"}
    headers = {"X-Twilio-Signature": signature(TWILIO_TOKEN, f"http://testserver{hook}",
                                               sorted(params.items())),
               "Content-Type": "application/x-www-form-urlencoded"}
    for _ in range(2):
        answer = await client.post(hook, content=urlencode(params), headers=headers)
        assert answer.status_code == 200 and "<Gather" in answer.text
        assert await stored(session, session_factory, cipher) == (1, 1)
