"""In Chromium, from an empty database: the first-run page sets up the workspace and its admin,
who lands on the getting-started checklist, connects the support mailbox (the local SMTP
server) and invites an agent who follows the emailed link; the page is gone afterwards (screenshots at
1440×900 and 390×844)."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from email import message_from_bytes
from email.policy import default
from pathlib import Path
from typing import Any

import pytest

from omnidesk.all_models import metadata
from omnidesk.core.db import create_engine
from tests.channels.email.test_email_smtp_end_to_end import Mailbox, smtp_server  # noqa: F401
from tests.e2e.conftest import ARTIFACTS, LiveServer, free_port, run_async

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
    run_async(_empty_database(url))
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
    empty_server: LiveServer, browser: Any, smtp_server: tuple[Mailbox, int]  # noqa: F811
) -> None:
    base = empty_server.url
    mailbox, smtp_port = smtp_server
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

    # connect the support mailbox (the local SMTP server) so invitations go out by email
    page.goto(base + "/settings/inboxes/new/email")
    assert page.locator("input[name='imap.host']").is_disabled()  # IMAP is off: not required
    page.fill("input[name=name]", "고객센터 메일")
    page.fill("input[name=address]", "help@example.com")
    page.fill("input[name=message_id_domain]", "mail.example.com")
    page.check("input[name='use:smtp']")
    page.fill("input[name='smtp.host']", "127.0.0.1")
    page.fill("input[name='smtp.port']", str(smtp_port))
    page.select_option("select[name='smtp.security']", "none")
    page.click("form[action='/settings/inboxes/new/email'] button[type=submit]")
    page.wait_for_url(re.compile(r".*/settings/inboxes/\d+.*"))

    # invite an agent from the team page (the checklist's first step links there)
    page.goto(base + "/settings/getting-started")
    page.click(".checklist li[data-step=team] a")
    page.wait_for_url(base + "/settings/team")
    page.fill("input[name=name]", "박상담")
    page.fill("input[name=invite_email]", "park@example.com")
    page.click("form[action='/settings/team/invite'] button[type=submit]")
    assert "help@example.com" in page.locator("[data-mailed]").inner_text()
    shown = page.locator("code[data-link]").inner_text().strip()
    raw, _, rcpt = mailbox.mails[-1]  # the invitee follows the link from the mail
    assert rcpt == ["park@example.com"]
    found = re.search(r"https?://\S+/join/\S+", message_from_bytes(raw, policy=default)
                      .get_content())
    assert found and found.group(0) == shown
    link = found.group(0)
    assert page.locator("tr[data-person='park@example.com']").inner_text().count("초대됨") == 1
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
    phone.fill("input[name=email]", "park@example.com")
    phone.fill("input[name=password]", "a fresh secret 123")
    phone.click("button[type=submit]")
    phone.wait_for_url(base + "/inbox")
    phone.screenshot(path=str(ARTIFACTS / "first-run-agent-inbox-phone.png"))
    assert phone.goto(base + "/settings/team").status == 403
    invitee.close()
    page.goto(base + "/settings/team")
    assert "활성" in page.locator("tr[data-person='park@example.com']").inner_text()
    # what routing matches the new agent on: a second language, a skill, more chats at once
    page.click("tr[data-person='park@example.com'] td:first-child a")
    page.wait_for_url(re.compile(r".*/settings/team/\d+$"))
    page.check("input[name=languages][value=en]")
    page.fill("input[name=capacity_chat]", "4")
    page.fill("input[name=new_skill]", "설치")
    page.select_option("select[name=new_skill_level]", "5")
    page.click("form.person-routing button[type=submit]")
    page.wait_for_url(re.compile(r".*saved=1$"))
    _shoot(page, "team-person")
    page.goto(base + "/settings/team")
    summary = page.locator("tr[data-person='park@example.com'] .routing-summary").inner_text()
    assert "ko, en" in summary and "설치 5" in summary and "채팅 4" in summary
    # the set-up page is closed now, even to a fresh browser
    other = browser.new_context().new_page()
    other.goto(base + "/setup")
    other.wait_for_url(base + "/login")
    assert other.locator("input[name=password]").count() == 1
    context.close()
