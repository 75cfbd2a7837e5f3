"""In Chromium: every staff page carries the one top bar (sections by role, language switch,
log-out); an agent's bar has no supervisor or admin pages and the admin pages refuse them
(desktop 1440×900 and phone 390×844 screenshots)."""

from __future__ import annotations

from typing import Any

from tests.e2e.conftest import ARTIFACTS, PASSWORD, LiveServer

SIZES = (("desktop", (1440, 900)), ("phone", (390, 844)))
STAFF_PAGES = ("/inbox", "/customers", "/mentions", "/kb-admin", "/supervisor", "/reports",
               "/settings/routing", "/settings/automation", "/settings/audit",
               "/settings/security", "/settings/api-tokens", "/search?q=a")


def _log_in(page: Any, base: str, email: str) -> None:
    page.goto(base + "/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(base + "/inbox")


def test_every_staff_page_has_the_one_top_bar_and_switches_language(
    live_server: LiveServer, browser: Any
) -> None:
    base = live_server.url
    context = browser.new_context(locale="ko-KR", viewport={"width": 1440, "height": 900})
    page = context.new_page()
    _log_in(page, base, "admin@hanbit.example")
    for path in STAFF_PAGES:
        page.goto(base + path)
        bar = page.locator("#staff-topbar")
        assert bar.count() == 1, path
        assert bar.locator("form[action='/logout'] button").is_visible(), path
        assert bar.locator(".lang-switch button[value=en]").count() == 1, path
        assert bar.locator(".topnav a[data-nav=settings]").count() == 1, path
    page.goto(base + "/settings/routing")
    assert page.locator(".topnav a.active").inner_text() == "설정"
    assert page.locator(".subnav a.active").inner_text() == "라우팅"
    for name, (width, height) in SIZES:
        page.set_viewport_size({"width": width, "height": height})
        page.screenshot(path=str(ARTIFACTS / f"staff-layout-settings-{name}.png"))
    page.set_viewport_size({"width": 1440, "height": 900})
    page.goto(base + "/settings/api-tokens")
    page.fill("input[name=name]", "주문 시스템")
    page.select_option("select[name=role]", "agent")
    page.click("form[action='/settings/api-tokens'] button[type=submit]")
    assert page.locator("code[data-token]").inner_text().strip()
    for name, (width, height) in SIZES:
        page.set_viewport_size({"width": width, "height": height})
        page.screenshot(path=str(ARTIFACTS / f"api-tokens-{name}.png"), full_page=True)
    page.set_viewport_size({"width": 1440, "height": 900})
    page.goto(base + "/settings/api-tokens")
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator("tr", has_text="주문 시스템").locator("button").click()
    page.locator("tr.revoked", has_text="주문 시스템").wait_for()
    page.goto(base + "/kb-admin")
    page.click(".lang-switch button[value=en]")
    page.wait_for_url(base + "/kb-admin")
    assert page.locator(".topnav a.active").inner_text() == "Knowledge base"
    assert page.locator("h1").first.inner_text() == "Knowledge base"
    for name, (width, height) in SIZES:
        page.set_viewport_size({"width": width, "height": height})
        page.screenshot(path=str(ARTIFACTS / f"staff-layout-kb-{name}.png"))
    page.click("form[action='/logout'] button")
    page.wait_for_url(base + "/login")
    context.close()


def test_an_agent_sees_no_admin_pages_and_is_refused_them(
    live_server: LiveServer, browser: Any
) -> None:
    base = live_server.url
    context = browser.new_context(locale="ko-KR", viewport={"width": 390, "height": 844})
    page = context.new_page()
    _log_in(page, base, "agent@hanbit.example")
    keys = page.locator(".topnav a").evaluate_all("links => links.map(a => a.dataset.nav)")
    assert "supervisor" not in keys and {"inbox", "settings", "reports"} <= set(keys)
    page.goto(base + "/settings")
    settings = page.locator(".subnav a").evaluate_all("links => links.map(a => a.pathname)")
    assert "/settings/routing" not in settings and "/settings/audit" not in settings
    page.screenshot(path=str(ARTIFACTS / "staff-layout-agent-settings-phone.png"))
    for path in ("/supervisor", "/settings/routing", "/settings/audit", "/settings/bot"):
        response = page.goto(base + path)
        assert response is not None and response.status == 403, path
        assert page.locator("#staff-topbar").count() == 1, path
        assert page.locator(".notice-card[role=alert]").count() == 1, path
    page.screenshot(path=str(ARTIFACTS / "staff-layout-forbidden-phone.png"))
    context.close()
