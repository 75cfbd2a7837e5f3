"""Scheduled publishing from the admin page: the kb_scheduled_publish job publishes on time."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from omnidesk.core.dispatcher import Dispatcher, DispatcherConfig
from omnidesk.core.events import OutboxEvent, SubscriberRegistry
from omnidesk.domains.knowledge import tasks
from omnidesk.web import help_center, kb_admin
from tests.conftest import Persona

SEOUL = dt.timezone(dt.timedelta(hours=9))
NOW = dt.datetime(2026, 12, 7, 9, 0, tzinfo=SEOUL)  # Monday 09:00 in Seoul


class Clock:
    """The time the knowledge domain and its job read, moved by the test."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.now = NOW.astimezone(dt.UTC)
        for module in ("omnidesk.core.scheduler", "omnidesk.domains.knowledge.tasks",
                       "omnidesk.domains.knowledge.schedule_actions"):
            monkeypatch.setattr(f"{module}.utcnow", lambda: self.now)


@pytest.fixture
async def admin(client: httpx.AsyncClient, owner: Persona) -> httpx.AsyncClient:
    app = client.app  # type: ignore[attr-defined]
    paths = {getattr(r, "path", "") for r in app.routes}
    for router in (help_center.router, kb_admin.router):
        if not any(getattr(r, "path", "") in paths for r in router.routes):
            app.include_router(router)
    login = await client.get("/login")
    token = re.search(r'name="csrf" value="([^"]+)"', login.text).group(1)
    await client.post("/login", data={"email": f"admin@{owner.slug}.example",
                                      "password": owner.password, "csrf": token})
    return client


async def _csrf(client: httpx.AsyncClient) -> str:
    page = await client.get("/kb-admin/new")
    return re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)


async def _publish_due(factory: async_sessionmaker[AsyncSession]) -> None:
    registry = SubscriberRegistry()
    tasks.register(registry)
    await Dispatcher(factory, registry, DispatcherConfig(backoff_base_seconds=0)).drain()


async def test_a_scheduled_article_publishes_itself_at_the_workspace_local_time(
        admin: httpx.AsyncClient, session: AsyncSession, tmp_path: Path,
        session_factory: async_sessionmaker[AsyncSession],
        monkeypatch: pytest.MonkeyPatch) -> None:
    clock = Clock(monkeypatch)
    csrf = await _csrf(admin)
    created = await admin.post("/kb-admin/articles", data={
        "csrf": csrf, "slug": "holiday-delivery", "title": "연휴 배송 안내", "locale": "ko",
        "body": "연휴에는 배송이 하루 늦어요."})
    editor_url = created.headers["location"]
    form = {"csrf": csrf, "title": "연휴 배송 안내", "body": "연휴에는 배송이 이틀 늦어요.",
            "action": "schedule"}
    past = await admin.post(editor_url, data={**form, "publish_at": "2026-12-07T08:59"})
    assert past.status_code == 422 and "future" in past.text
    garbled = await admin.post(editor_url, data={**form, "publish_at": "tomorrow"})
    assert garbled.status_code == 422
    scheduled = await admin.post(editor_url, data={**form, "publish_at": "2026-12-08T10:00"})
    assert scheduled.status_code == 303
    listing = await admin.get("/kb-admin")
    assert "예약 2026-12-08 10:00" in listing.text  # Seoul time, the workspace's zone
    editor = await admin.get(editor_url)
    assert "2026-12-08 10:00 (Asia/Seoul)에 자동으로 게시됩니다" in editor.text

    clock.now = dt.datetime(2026, 12, 8, 0, 59, tzinfo=dt.UTC)  # 09:59 in Seoul
    await _publish_due(session_factory)
    assert (await admin.get("/help/acme/ko/articles/holiday-delivery")).status_code == 404
    clock.now = dt.datetime(2026, 12, 8, 1, 0, 30, tzinfo=dt.UTC)  # the job's next run
    await _publish_due(session_factory)
    live = await admin.get("/help/acme/ko/articles/holiday-delivery")
    assert live.status_code == 200 and "이틀 늦어요" in live.text  # the version saved last
    names = (await session.scalars(select(OutboxEvent.name).where(
        OutboxEvent.name.like("kb_article.%")).order_by(OutboxEvent.id))).all()
    assert names[-2:] == ["kb_article.publish_scheduled", "kb_article.published"]
    assert "예약 2026-12-08" not in (await admin.get("/kb-admin")).text
    clock.now += dt.timedelta(minutes=5)
    await _publish_due(session_factory)  # nothing due: published once
    assert (await session.scalars(select(OutboxEvent.name).where(
        OutboxEvent.name == "kb_article.published"))).all() == ["kb_article.published"]


async def test_a_schedule_can_be_cancelled_and_agents_cannot_schedule(
        admin: httpx.AsyncClient, owner: Persona,
        session_factory: async_sessionmaker[AsyncSession],
        monkeypatch: pytest.MonkeyPatch) -> None:
    clock = Clock(monkeypatch)
    csrf = await _csrf(admin)
    created = await admin.post("/kb-admin/articles", data={
        "csrf": csrf, "slug": "gift-wrap", "title": "선물 포장", "locale": "ko"})
    url = created.headers["location"]
    form = {"csrf": csrf, "title": "선물 포장", "body": "네.", "publish_at": "2026-12-07T12:00"}
    await admin.post(url, data={**form, "action": "schedule"})
    assert "예약 2026-12-07 12:00" in (await admin.get("/kb-admin")).text
    cancelled = await admin.post(url, data={**form, "action": "cancel_schedule"})
    assert cancelled.status_code == 303 and "예약 2026" not in (await admin.get("/kb-admin")).text
    clock.now += dt.timedelta(days=1)
    await _publish_due(session_factory)
    assert (await admin.get("/help/acme/ko/articles/gift-wrap")).status_code == 404
    admin.cookies.clear()
    login = await admin.get("/login")
    token = re.search(r'name="csrf" value="([^"]+)"', login.text).group(1)
    await admin.post("/login", data={"email": owner.agent_email, "password": owner.password,
                                     "csrf": token})
    agent_csrf = re.search(r'name="csrf" value="([^"]+)"',
                           (await admin.get(url)).text).group(1)
    refused = await admin.post(url, data={**form, "csrf": agent_csrf, "action": "schedule",
                                          "publish_at": "2026-12-09T12:00"})
    assert refused.status_code == 403
