"""The customer 360 panel dates things in the workspace's time zone, as the thread beside it."""

from __future__ import annotations

import datetime as dt

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.domains.conversations.models import Conversation
from tests.conftest import Persona
from tests.domains.assist.conftest import log_in, seed_returning

pytestmark = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)


async def test_a_conversation_started_after_midnight_in_seoul_shows_that_day(
        client: httpx.AsyncClient, session: AsyncSession, owner: Persona) -> None:
    returning = await seed_returning(session, owner)
    conversation = await session.get(Conversation, returning.current_id)
    assert conversation is not None
    conversation.created_at = dt.datetime(2026, 3, 1, 20, 30, tzinfo=dt.UTC)  # 05:30 on 2 March
    await session.commit()
    await log_in(client, owner.agent_email, owner.password)
    html = (await client.get(f"/conversations/{returning.current_id}/panel/customer360")).text
    assert "2026-03-02" in html and "2026-03-01" not in html


async def test_a_last_issue_from_today_says_today_not_zero_days_ago(
        client: httpx.AsyncClient, session: AsyncSession, owner: Persona,
        monkeypatch: pytest.MonkeyPatch) -> None:
    returning = await seed_returning(session, owner)
    past = await session.get(Conversation, returning.past_id)
    assert past is not None
    noon = dt.datetime(2026, 3, 2, 3, 0, tzinfo=dt.UTC)  # 12:00 in Seoul: an hour ago is today
    past.created_at = noon - dt.timedelta(hours=1)  # (with the real clock, at 00:00-00:59 in
    await session.commit()  # Seoul an hour ago was yesterday and the test failed)
    monkeypatch.setattr("omnidesk.domains.assist.customer360.utcnow", lambda: noon)
    await log_in(client, owner.agent_email, owner.password)
    html = (await client.get(f"/conversations/{returning.current_id}/panel/customer360")).text
    assert "오늘 ·" in html and "0일 전" not in html


async def test_last_night_is_yesterday_just_after_midnight_not_today(
        client: httpx.AsyncClient, session: AsyncSession, owner: Persona,
        monkeypatch: pytest.MonkeyPatch) -> None:
    returning = await seed_returning(session, owner)
    past = await session.get(Conversation, returning.past_id)
    assert past is not None
    past.created_at = dt.datetime(2026, 3, 1, 14, 30, tzinfo=dt.UTC)  # 23:30 on 1 March, Seoul
    await session.commit()
    just_after_midnight = dt.datetime(2026, 3, 1, 15, 30, tzinfo=dt.UTC)  # 00:30 on 2 March
    monkeypatch.setattr("omnidesk.domains.assist.customer360.utcnow",
                        lambda: just_after_midnight)
    await log_in(client, owner.agent_email, owner.password)
    html = (await client.get(f"/conversations/{returning.current_id}/panel/customer360")).text
    assert "어제 ·" in html and "오늘 ·" not in html
