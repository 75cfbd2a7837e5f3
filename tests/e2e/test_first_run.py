"""In Chromium, from an empty database: the first-run page sets up the workspace and its admin,
who lands on the getting-started checklist; the page is gone afterwards (screenshots at
1440×900 and 390×844)."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from omnidesk.all_models import metadata
from omnidesk.core.db import create_engine
from tests.e2e.conftest import ARTIFACTS, LiveServer, free_port

SIZES = (("desktop", (1440, 900)), ("phone", (390, 844)))


async def _empty_database(url: str) -> None:
    engine = create_engine(url)
    async with engine.begin() as conn:
        await conn.run_sync(metadata.create_all)
    await engine.dispose()


@pytest.fixture
def empty_server(tmp_path: Path) -> Iterator[LiveServer]:
    """Serve omnidesk on a database with no workspace at all (no demo)."""
    url = f"sqlite+aiosqlite:///{tmp_path / 'empty.db'}"
    asyncio.run(_empty_database(url))
    env = {**os.environ, "OMNIDESK_DATABASE_URL": url, "OMNIDESK_SECRET_KEY": "e2e-secret",
           "OMNIDESK_UPLOAD_DIR": str(tmp_path / "uploads"), "OMNIDESK_LOG_LEVEL": "WARNING"}
    env.pop("OMNIDESK_REDIS_URL", None)
    server = LiveServer(free_port(), env, tmp_path / "server.log")
    server.start()
    yield server
    server.stop()


def _shoot(page: Any, name: str) -> None:
    for size, (width, height) in SIZES:
        page.set_viewport_size({"width": width, "height": height})
        page.screenshot(path=str(ARTIFACTS / f"first-run-{name}-{size}.png"), full_page=True)
    page.set_viewport_size({"width": 1440, "height": 900})


def test_a_new_owner_sets_up_the_workspace_from_the_browser(
    empty_server: LiveServer, browser: Any
) -> None:
    base = empty_server.url
    context = browser.new_context(locale="ko-KR", viewport={"width": 1440, "height": 900})
    page = context.new_page()
    page.goto(base + "/")
    page.wait_for_url(base + "/setup")
    _shoot(page, "setup")
    page.fill("input[name=name]", "모아상점")
    page.fill("input[name=slug]", "moa")
    page.check("input[name=languages][value=en]")
    page.fill("input[name=admin_name]", "김대표")
    page.fill("input[name=admin_email]", "boss@moa.example")
    page.fill("input[name=password]", "a long enough secret")
    page.fill("input[name=password_confirm]", "a different secret")
    page.click("button[type=submit]")
    assert page.locator("p.error[role=alert]").inner_text() == "두 비밀번호가 다릅니다."
    assert page.input_value("input[name=slug]") == "moa"
    page.fill("input[name=password]", "a long enough secret")
    page.fill("input[name=password_confirm]", "a long enough secret")
    page.click("button[type=submit]")
    page.wait_for_url(base + "/settings/getting-started")
    assert page.locator(".checklist li").count() == 5
    assert page.locator("#staff-topbar .ws").inner_text() == "모아상점"
    assert page.locator(".subnav a.active").inner_text() == "시작하기"
    _shoot(page, "checklist")
    page.click(".checklist li[data-step=articles] a")
    page.wait_for_url(base + "/kb-admin")

    # invite an agent from the team page (the checklist's first step links there)
    page.goto(base + "/settings/getting-started")
    page.click(".checklist li[data-step=team] a")
    page.wait_for_url(base + "/settings/team")
    page.fill("input[name=name]", "박상담")
    page.fill("input[name=invite_email]", "park@moa.example")
    page.click("form[action='/settings/team/invite'] button[type=submit]")
    link = page.locator("code[data-link]").inner_text().strip()
    assert "/join/" in link
    assert page.locator("tr[data-person='park@moa.example']").inner_text().count("초대됨") == 1
    _shoot(page, "team")

    # the invitee opens the link in their own browser, sets a password and is signed in
    invitee = browser.new_context(locale="ko-KR", viewport={"width": 390, "height": 844})
    phone = invitee.new_page()
    phone.goto(base + link[link.index("/join/"):])
    phone.screenshot(path=str(ARTIFACTS / "first-run-join-phone.png"), full_page=True)
    phone.fill("input[name=password]", "a fresh secret 123")
    phone.fill("input[name=password_confirm]", "a fresh secret 123")
    phone.click("button[type=submit]")
    phone.wait_for_url(base + "/inbox")
    keys = phone.locator(".topnav a").evaluate_all("links => links.map(a => a.dataset.nav)")
    assert "supervisor" not in keys
    phone.click("form[action='/logout'] button")
    phone.wait_for_url(base + "/login")
    phone.fill("input[name=email]", "park@moa.example")
    phone.fill("input[name=password]", "a fresh secret 123")
    phone.click("button[type=submit]")
    phone.wait_for_url(base + "/inbox")
    phone.screenshot(path=str(ARTIFACTS / "first-run-agent-inbox-phone.png"))
    assert phone.goto(base + "/settings/team").status == 403
    invitee.close()
    page.goto(base + "/settings/team")
    assert "활성" in page.locator("tr[data-person='park@moa.example']").inner_text()
    # the set-up page is closed now, even to a fresh browser
    other = browser.new_context().new_page()
    other.goto(base + "/setup")
    other.wait_for_url(base + "/login")
    assert other.locator("input[name=password]").count() == 1
    context.close()
