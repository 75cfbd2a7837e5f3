"""In Chromium, from an empty database: the first-run page sets up the workspace and its admin,
who lands on the getting-started checklist, connects the support mailbox (the local SMTP server
and dovecot's IMAP, checked), invites an agent who follows the emailed link, sets the agent's
languages, skill and capacity, connects a Telegram bot (the local fake provider), turns the bot
on, publishes a Korean article, writes a greeting line, styles the widget and embeds its snippet
on a shop page where a visitor chats and the bot answers from the article, sees the greeting
offered in the conversation, and sets hours with an overnight window and a holiday; the set-up
page is gone afterwards (screenshots at 1440×900 and 390×844)."""

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
from tests.channels.email.test_dovecot_imap import PASSWORD as IMAP_PASSWORD
from tests.channels.email.test_dovecot_imap import USER as IMAP_USER
from tests.channels.email.test_dovecot_imap import Dovecot, dovecot  # noqa: F401
from tests.channels.email.test_email_smtp_end_to_end import Mailbox, smtp_server  # noqa: F401
from tests.channels.fake_provider import FakeProvider, serve
from tests.e2e.conftest import ARTIFACTS, LiveServer, free_port, run_async
from tests.e2e.test_inbox_and_hours_pages import (  # noqa: F401 (fixture)
    connect_telegram,
    fake_provider,
    set_hours,
)

SIZES = (("desktop", (1440, 900)), ("phone", (390, 844)))
SHOP_PAGE = {"html": "<!doctype html><title>empty</title>"}


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
    port = free_port()
    env["OMNIDESK_PUBLIC_URL"] = f"http://127.0.0.1:{port}"  # links and the embed snippet
    server = LiveServer(port, env, tmp_path / "server.log")
    server.start()
    yield server
    server.stop()


def _shoot(page: Any, name: str) -> None:
    for size, (width, height) in SIZES:
        page.set_viewport_size({"width": width, "height": height})
        page.screenshot(path=str(ARTIFACTS / f"first-run-{name}-{size}.png"), full_page=True)
    page.set_viewport_size({"width": 1440, "height": 900})


@pytest.fixture
def shop_site() -> Iterator[str]:
    """A shop's own website on another origin (localhost, another port): its one page is the
    HTML the test gives `SHOP_PAGE["html"]`, the widget's embed snippet pasted in."""
    async def page(scope: dict[str, Any], receive: Any, send: Any) -> None:
        body = SHOP_PAGE["html"].encode()
        await send({"type": "http.response.start", "status": 200,
                    "headers": [(b"content-type", b"text/html; charset=utf-8")]})
        await send({"type": "http.response.body", "body": body})

    for base_url in serve(page):
        yield base_url.replace("127.0.0.1", "localhost")


def test_a_new_owner_sets_up_the_workspace_from_the_browser(
    empty_server: LiveServer, browser: Any, smtp_server: tuple[Mailbox, int],  # noqa: F811
    fake_provider: FakeProvider, shop_site: str, dovecot: Dovecot,  # noqa: F811
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
    page.check("input[name='use:imap']")  # and the local dovecot's mailbox for incoming mail
    page.fill("input[name='imap.host']", "127.0.0.1")
    page.fill("input[name='imap.port']", str(dovecot.port))
    page.uncheck("input[name='imap.use_ssl']")
    page.fill("input[name='imap.username']", IMAP_USER)
    page.fill("input[name='imap.password']", IMAP_PASSWORD)
    page.click("form[action='/settings/inboxes/new/email'] button[type=submit]")
    page.wait_for_url(re.compile(r".*/settings/inboxes/\d+.*"))
    assert IMAP_PASSWORD not in page.content()
    page.click("#check-connection")  # logs in to the SMTP relay and to the mailbox
    assert "연결됨" in page.locator("#check-report").inner_text()
    _shoot(page, "email")

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

    # a Telegram bot against the local fake provider, checked from the page
    connect_telegram(page, base, "모아 텔레그램", fake_provider)
    _shoot(page, "telegram")

    # the bot answers on the website; a Korean article it can answer from
    page.goto(base + "/settings/bot")
    page.check("#bot-form input[name=enabled]")
    page.click("#bot-form button[type=submit]")
    page.locator("#bot p.notice").wait_for()
    page.goto(base + "/kb-admin/new")
    page.fill("input[name=title]", "반려견과 함께 쇼룸에 들어갈 수 있나요?")
    page.fill("input[name=slug]", "showroom-dogs")
    page.fill("textarea[name=body]", "네, **목줄을 한 반려견**은 모아상점 쇼룸에 함께 들어오실 수 "
                                     "있어요. 소형견은 안고 입장해 주세요.")
    page.click("form.kb-admin-new button")
    page.wait_for_url(base + "/kb-admin/articles/*")
    page.click("button[name=action][value=publish]")
    page.locator(".kb-badge").filter(has_text="게시됨").first.wait_for()
    # an FAQ CSV imported from the page: a refused file is said in place, then the progress bar
    # runs to 100 % and the report shows
    page.goto(base + "/kb-admin")
    page.click(".kb-admin-io summary")
    page.select_option("#kb-import select[name=kind]", "zendesk_json")
    page.set_input_files("#kb-import input[name=file]", files=[{
        "name": "broken.json", "mimeType": "application/json", "buffer": b"[1, 2"}])
    page.click("#kb-import button")
    page.locator("#kb-import-status.error").filter(has_text="could not be read").wait_for()
    _shoot(page, "kb-import")
    page.evaluate("""() => { const bar = document.getElementById('kb-import-progress');
        new MutationObserver(() => sessionStorage.setItem('kb-progress', bar.value))
          .observe(bar, {attributes: true}); }""")
    page.select_option("#kb-import select[name=kind]", "faq_csv")
    faq = "question,answer,tags\n주차할 수 있나요?,쇼룸 건물 지하 주차장을 2시간 무료로 쓰실 수 있어요.,주차\n"
    page.set_input_files("#kb-import input[name=file]", files=[{
        "name": "faq.csv", "mimeType": "text/csv", "buffer": faq.encode()}])
    page.click("#kb-import button")
    report = page.locator(".kb-import-report")
    report.wait_for()
    assert report.inner_text().startswith("새로 만듦 1,")
    assert page.evaluate("() => sessionStorage.getItem('kb-progress')") == "100"

    # a greeting line made in the form (the catch-all default removed, a variable chip used)
    page.goto(base + "/settings/recognition")
    page.evaluate("""() => {
        for (const t of document.querySelectorAll('#greeting-rules textarea')) {
          if (t.value === '안녕하세요, {workspace}입니다. 무엇을 도와드릴까요?')
            t.closest('li.rule').querySelector('input[name$=remove]').checked = true;
        } }""")
    page.click("button.add-rule[data-kind=greeting]")
    line = page.locator("#greeting-rules li.rule").last
    line.locator("textarea").fill("반가워요! ")
    line.locator("button.var-chip[data-var=workspace]").click()
    line.locator("textarea").press("End")
    line.locator("textarea").type(" 쇼룸 방문 문의도 환영해요.")
    assert line.locator("textarea").input_value() == "반가워요! {workspace} 쇼룸 방문 문의도 환영해요."
    page.click("#recognition-form .form-actions button[type=submit]")
    page.locator("p.notice[role=status]").wait_for()
    _shoot(page, "greeting-rule")

    # the website widget: styled, a pre-chat name, allowed on the shop's site; its snippet on
    # the shop's page, where a visitor chats and the bot answers from the new article
    page.goto(base + "/settings/inboxes/new/web")
    page.fill("input[name=name]", "홈페이지 채팅")
    page.click("#inbox-form button[type=submit]")
    page.wait_for_selector("#widget-form")
    page.fill("#widget-form input[name=color]", "#0f766e")
    page.fill("#widget-form input[name=launcher_text_ko]", "모아 상담")
    page.check("#widget-form input[name=prechat_name]")
    page.fill("#widget-form textarea[name=allowed_sites]", shop_site)
    page.click("#save-widget")
    page.wait_for_selector("p.notice")
    _shoot(page, "widget")
    snippet = page.input_value("#embed-snippet")
    assert snippet.startswith(f'<script src="{base}/widget.js"'), snippet
    SHOP_PAGE["html"] = ("<!doctype html><html lang=ko><head><meta charset=utf-8><title>모아상점</title>"
                 f"</head><body><h1>모아상점</h1><p>소파와 식탁</p>{snippet}</body></html>")
    visitor = browser.new_context(locale="ko-KR", viewport={"width": 390, "height": 844})
    shop = visitor.new_page()
    shop.goto(shop_site + "/")
    shop.wait_for_function("""() => {
        const w = document.querySelector('#omnidesk-widget');
        const b = w && w.shadowRoot && w.shadowRoot.querySelector('.launcher');
        return b && b.textContent.includes('모아 상담'); }""")
    shop.click("#omnidesk-widget >> .launcher")
    chat = shop.frame_locator("#omnidesk-frame")
    chat.locator("#text").fill("반려견 데리고 쇼룸 가도 되나요?")
    chat.locator("#text").press("Enter")  # the pre-chat form asks the name first
    chat.locator("#prechat input[name=name]").fill("이영희")
    chat.locator("#prechat button").click()
    try:
        chat.locator(".msg.bot[data-id]").filter(has_text="목줄").last.wait_for(timeout=30000)
    except Exception as exc:  # say what the chat shows instead
        shop.screenshot(path=str(ARTIFACTS / "first-run-visitor-on-shop-phone.png"))
        raise AssertionError(f"the chat shows {chat.locator('.msg').all_inner_texts()}") from exc
    shop.screenshot(path=str(ARTIFACTS / "first-run-visitor-on-shop-phone.png"))
    # this browser refuses the chat frame storage on the shop's site: the shop's page keeps the
    # session for it, so a reload continues the same conversation without asking the name again
    assert shop.frames[-1].evaluate(
        "() => { try { return !!window.localStorage; } catch (e) { return false; } }") is False
    shop.reload()
    shop.click("#omnidesk-widget >> .launcher")
    chat.locator(".msg.bot[data-id]").filter(has_text="목줄").last.wait_for()
    chat.locator("#text").fill("소형견도 안고 들어가야 하나요?")
    chat.locator("#text").press("Enter")
    chat.locator(".msg.me").filter(has_text="소형견도").wait_for()
    assert chat.locator("#prechat").is_hidden()
    visitor.close()

    # the greeting line is what the person taking the chat is offered
    page.goto(base + "/inbox?view=all")
    page.locator(".conv-item a").filter(has_text="이영희").first.click()
    greeting = page.locator(".c360-greeting .c360-suggest")
    try:
        greeting.wait_for()
    except Exception as exc:  # say what the conversation's side panel shows instead
        _shoot(page, "conversation")
        raise AssertionError(f"{page.url} panel: "
                             f"{page.locator('#customer360-slot').inner_html()[-1500:]}") from exc
    assert greeting.inner_text() == "반가워요! 모아상점 쇼룸 방문 문의도 환영해요."
    _shoot(page, "conversation")

    # hours with an overnight window and a holiday
    set_hours(page, base)
    _shoot(page, "hours")

    # the set-up page is closed now, even to a fresh browser
    other = browser.new_context().new_page()
    other.goto(base + "/setup")
    other.wait_for_url(base + "/login")
    assert other.locator("input[name=password]").count() == 1
    context.close()
