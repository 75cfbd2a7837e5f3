"""An agent sees a customer's contact data masked, reveals it with a reason; the admin sees the read
on the access-log page."""

from __future__ import annotations

from typing import Any

from omnidesk.core.context import system_actor
from omnidesk.domains.conversations.actions import do_add_message, do_open_conversation
from omnidesk.domains.customers.actions import do_create_customer
from omnidesk.domains.customers.schemas import CustomerCreate
from omnidesk.domains.workspaces.service import get_workspace_by_slug
from tests.e2e.conftest import ARTIFACTS, LiveServer, log_in
from tests.e2e.test_supervisor_live import in_database


def test_a_reveal_with_a_reason_shows_on_the_access_log(live_server: LiveServer, browser: Any) -> None:
    url, base = live_server.env["OMNIDESK_DATABASE_URL"], live_server.url

    async def conversation(session: Any) -> int:
        hanbit = await get_workspace_by_slug(session, slug="hanbit")
        customer = await do_create_customer(session, actor=system_actor(hanbit.id), customer_in=(
            CustomerCreate(name="김민지", phone="010-1234-5678", email="minji@example.com")))
        conv = await do_open_conversation(session, workspace_id=hanbit.id,
                                          customer_id=customer.id, channel="web")
        await do_add_message(session, conv=conv, text="배송지 확인 부탁드려요", author_kind="customer")
        return int(conv.id)

    conv_id = in_database(url, conversation)
    agent = browser.new_context(locale="ko-KR", viewport={"width": 1440, "height": 900}).new_page()
    log_in(agent, base, "agent@hanbit.example")
    agent.goto(f"{base}/conversations/{conv_id}")
    card = agent.locator(".c360-contact")
    card.wait_for()
    assert "*****5678" in card.inner_text() and "+821012345678" not in card.inner_text()
    card.locator("input[name=reason]").fill("배송지 변경 요청 확인")
    card.locator("button[type=submit]").click()
    agent.locator(".c360-contact:has-text('+821012345678')").wait_for()

    admin = browser.new_context(locale="ko-KR", viewport={"width": 1440, "height": 900}).new_page()
    log_in(admin, base, "admin@hanbit.example")
    admin.click(".topbar a[href='/settings']")  # the settings list names every settings page
    admin.click("a[href='/settings/access-log']")
    admin.wait_for_url(base + "/settings/access-log")
    entry = admin.locator(".access-log .gov-entry").first
    assert "배송지 변경 요청 확인" in entry.inner_text() and "에이전트" in entry.inner_text()
    assert "열람" in entry.inner_text() and "전화" in entry.inner_text()
    admin.screenshot(path=str(ARTIFACTS / "access-log-desktop.png"), full_page=True)
    admin.set_viewport_size({"width": 390, "height": 844})
    admin.screenshot(path=str(ARTIFACTS / "access-log-phone.png"), full_page=True)
    assert admin.evaluate("document.documentElement.scrollWidth") <= 390
