"""Chromium: an admin connects a Telegram bot against the local fake provider and checks it,
styles the website widget (the live preview follows), sees it on a shop page, and sets hours
with an overnight window, a holiday and imported Korean public holidays; an agent is refused."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.channels.fake_provider import TELEGRAM_TOKEN, FakeProvider, serve
from tests.e2e.conftest import ARTIFACTS, LiveServer, log_in

DESKTOP = {"width": 1440, "height": 900}
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def fake_provider() -> Iterator[FakeProvider]:
    provider = FakeProvider()
    for base_url in serve(provider.app):
        provider.base_url = base_url
        yield provider


def connect_telegram(page: Any, base: str, name: str, provider: FakeProvider) -> None:
    """Connect a Telegram bot on the inbox page against the fake provider and check it."""
    page.goto(base + "/settings/inboxes")
    page.click("a.channel-card[data-kind=telegram]")
    page.fill("input[name=name]", name)
    page.fill("input[name=bot_token]", TELEGRAM_TOKEN)
    page.fill("input[name=secret_token]", "hook_secret")
    page.fill("input[name=api_base_url]", provider.base_url)
    page.click("#inbox-form button[type=submit]")
    page.wait_for_selector("#webhook-url")
    assert "/webhooks/telegram/" in page.input_value("#webhook-url")
    assert TELEGRAM_TOKEN not in page.content()  # secrets are never shown back
    page.click("#check-connection")
    report = page.locator("#check-report")
    assert "@shop_bot" in report.inner_text() and "연결됨" in report.inner_text()


def set_hours(page: Any, base: str) -> None:
    """Set weekday hours with a Friday overnight window and a company holiday, and save."""
    page.goto(base + "/settings/hours")
    page.fill("input[name='mon.0.start']", "09:00")
    page.fill("input[name='mon.0.end']", "18:00")
    page.click(".add-range[data-day=fri]")
    page.fill("input[name='fri.0.start']", "09:00")
    page.fill("input[name='fri.0.end']", "18:00")
    page.fill("input[name='fri.1.start']", "22:00")
    page.fill("input[name='fri.1.end']", "06:00")
    page.fill("#holiday-rows input[type=date] >> nth=-1", "2027-03-02")
    page.fill("input[name='holiday.0.name']", "창립기념일")
    page.click("#save-hours")
    page.wait_for_selector("p.notice")
    assert page.input_value("input[name='fri.1.start']") == "22:00"
    assert page.input_value("input[name='fri.1.end']") == "06:00"
    assert "창립기념일" in page.content() and page.locator("#outlook").inner_text()


def shot(page: Any, name: str) -> None:
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def test_an_admin_connects_checks_styles_and_sets_hours(
        live_server: LiveServer, browser: Any, fake_provider: FakeProvider) -> None:
    base = live_server.url
    page = browser.new_context(locale="ko-KR", viewport=DESKTOP).new_page()
    log_in(page, base, "admin@hanbit.example")
    page.goto(base + "/settings")
    page.click("a[href='/settings/inboxes'] >> nth=0")
    page.wait_for_url(base + "/settings/inboxes")
    connect_telegram(page, base, "한빛 텔레그램", fake_provider)
    shot(page, "settings-inbox-telegram-1440")

    page.goto(base + "/settings/inboxes/new/web")
    page.fill("input[name=name]", "홈페이지 채팅")
    page.click("#inbox-form button[type=submit]")
    page.wait_for_selector("#widget-form")
    page.fill("#widget-form input[name=color]", "#e8590c")
    page.select_option("#widget-form select[name=position]", "left")
    page.fill("#widget-form input[name=launcher_text_ko]", "상담하기")
    page.fill("#widget-form input[name=greeting_ko]", "한빛에 오신 걸 환영해요!")
    assert page.locator(".pv-label").inner_text() == "상담하기"  # the preview follows typing
    assert page.locator(".pv-greeting").inner_text() == "한빛에 오신 걸 환영해요!"
    page.check("#widget-form input[name=prechat_name]")
    page.click("#save-widget")
    page.wait_for_selector("p.notice")
    assert page.input_value("#widget-form input[name=launcher_text_ko]") == "상담하기"
    shot(page, "settings-inbox-widget-1440")

    snippet = page.input_value("#embed-snippet")
    assert '/widget.js" data-workspace="hanbit"' in snippet
    shop = browser.new_context(locale="ko-KR", viewport=DESKTOP).new_page()
    shop.goto(base + "/demo/store")  # a page embedding the widget with the same loader
    launcher = shop.locator("#omnidesk-widget >> .launcher")
    launcher.wait_for()
    shop.wait_for_function("""() => {
        const b = document.querySelector('#omnidesk-widget').shadowRoot.querySelector('.launcher');
        return b && b.textContent.includes('상담하기'); }""")
    box = launcher.bounding_box()
    assert box is not None and box["x"] < 200  # bottom left, as set
    shot(shop, "widget-on-shop-1440")

    set_hours(page, base)
    page.fill("#import-year", "2027")
    page.click("#import-holidays")
    page.wait_for_selector("p.notice")
    names = [page.input_value(f"input[name='holiday.{i}.name']") for i in range(4)]
    assert "신정연휴" in names[0] or "신정" in names[0]
    assert "창립기념일" in page.content() and "설날" in page.content()
    shot(page, "settings-hours-1440")

    phone = browser.new_context(locale="ko-KR", viewport=PHONE).new_page()
    log_in(phone, base, "admin@hanbit.example")
    phone.goto(base + "/settings/inboxes")
    shot(phone, "settings-inboxes-390")
    phone.click("text=홈페이지 채팅")
    phone.wait_for_selector("#widget-form")
    shot(phone, "settings-inbox-widget-390")
    phone.goto(base + "/settings/hours")
    shot(phone, "settings-hours-390")

    agent = browser.new_context(locale="ko-KR", viewport=DESKTOP).new_page()
    log_in(agent, base, "agent@hanbit.example")
    assert agent.locator("a[href='/settings/inboxes']").count() == 0
    for path in ("/settings/inboxes", "/settings/hours"):
        assert agent.goto(base + path).status == 403
