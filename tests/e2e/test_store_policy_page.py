"""In Chromium: an admin opens the store policy from the settings list, mistypes a window, sees
the message, fixes it, stops the bot opening exchanges on its own and sees the change listed
(desktop 1440×900 and phone 390×844 screenshots)."""

from __future__ import annotations

from typing import Any

from omnidesk.domains.commerce.policy import store_policy
from omnidesk.domains.workspaces.service import get_workspace_by_slug
from tests.e2e.conftest import ARTIFACTS, LiveServer, log_in
from tests.e2e.test_supervisor_live import in_database


def test_an_admin_edits_the_store_policy_in_the_browser(
    live_server: LiveServer, browser: Any
) -> None:
    base = live_server.url
    page = browser.new_context(locale="ko-KR", viewport={"width": 1440, "height": 900}).new_page()
    log_in(page, base, "admin@hanbit.example")
    page.click(".topbar a[href='/settings']")
    page.click("a[href='/settings/store-policy']")
    page.wait_for_url(base + "/settings/store-policy")
    assert page.locator("h1").inner_text() == "매장 정책"

    page.fill("input[name='windows.change_of_mind.days']", "")
    page.evaluate("document.querySelector('#policy-form').noValidate = true")  # server's check
    page.fill("input[name='windows.change_of_mind.days']", "-1")
    page.click("#policy-form button[type=submit]")
    assert "0부터 3650까지의 정수로" in page.locator("p.error").inner_text()
    assert page.locator("input[name='windows.change_of_mind.days']").get_attribute(
        "aria-invalid") == "true"
    page.screenshot(path=str(ARTIFACTS / "store-policy-error-desktop.png"), full_page=True)

    page.fill("input[name='windows.change_of_mind.days']", "14")
    page.uncheck("input[name='allowed.exchange.bot']")
    page.click("#policy-form button[type=submit]")
    page.wait_for_selector("p.notice[role=status]")
    assert page.locator("input[name='windows.change_of_mind.days']").input_value() == "14"
    assert not page.locator("input[name='allowed.exchange.bot']").is_checked()
    change = page.locator("#changes tbody tr").inner_text()  # one change, naming what changed
    assert "반품·교환 기간" in change and "처리 권한" in change and "환불" not in change

    async def policy(session: Any) -> Any:
        hanbit = await get_workspace_by_slug(session, slug="hanbit")
        return store_policy(hanbit.settings)

    stored = in_database(live_server.env["OMNIDESK_DATABASE_URL"], policy)
    assert stored.windows["change_of_mind"].days == 14 and stored.allowed["exchange"] == ["agent"]

    page.screenshot(path=str(ARTIFACTS / "store-policy-desktop.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(ARTIFACTS / "store-policy-phone.png"), full_page=True)
    page.locator("#refunds").scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "store-policy-phone-refunds.png"))
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
