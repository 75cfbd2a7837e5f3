"""An admin writes a rule on the automation page, tests it on past events and adds a webhook."""

from __future__ import annotations

from typing import Any

from omnidesk.core.context import system_actor
from omnidesk.domains.automation.macro_actions import check_create_macro
from omnidesk.domains.automation.schemas import MacroCreate
from omnidesk.domains.conversations.actions import do_add_message, do_open_conversation
from omnidesk.domains.customers.actions import do_create_customer
from omnidesk.domains.customers.schemas import CustomerCreate
from omnidesk.domains.workspaces.service import get_workspace_by_slug
from tests.e2e.conftest import ARTIFACTS, LiveServer, log_in
from tests.e2e.test_supervisor_live import in_database


def test_an_admin_writes_tests_and_sees_a_rule_and_a_webhook(
    live_server: LiveServer, browser: Any
) -> None:
    url, base = live_server.env["OMNIDESK_DATABASE_URL"], live_server.url

    async def history(session: Any) -> int:
        hanbit = await get_workspace_by_slug(session, slug="hanbit")
        customer = await do_create_customer(session, actor=system_actor(hanbit.id),
                                            customer_in=CustomerCreate(name="김고객"))
        conv = await do_open_conversation(session, workspace_id=hanbit.id,
                                          customer_id=customer.id, channel="web")
        await do_add_message(session, conv=conv, text="배송이 언제 오나요?", author_kind="customer")
        await do_add_message(session, conv=conv, text="환불할게요", author_kind="customer")
        await check_create_macro(session, actor=system_actor(hanbit.id), macro_in=MacroCreate(
            name="설치 일정 재안내", scope="workspace", actions=[
                {"type": "reply", "text": "설치 일정을 다시 안내해 드릴게요."},
                {"type": "add_label", "label": "설치"}, {"type": "set_priority", "priority": "high"}]))
        return int(conv.id)

    conv_id = in_database(url, history)
    page = browser.new_context(locale="ko-KR", viewport={"width": 1440, "height": 900}).new_page()
    log_in(page, base, "admin@hanbit.example")
    page.click(".topbar a[href='/settings']")  # the settings list names every settings page
    page.click("a[href='/settings/automation']")
    page.wait_for_url(base + "/settings/automation")

    page.fill(".rule-form input[name=name]", "배송 문의 분류")
    page.check(".rule-form input[value='message.created']")
    page.fill(".rule-form textarea[name=conditions]", "text contains 배송")
    page.fill(".rule-form textarea[name=actions]", "add_label: delivery\nset_priority: sideways")
    page.click(".rule-form button[type=submit]")
    assert "action line 2" in page.locator("p.error").inner_text()  # kept what was typed
    page.fill(".rule-form textarea[name=actions]", "add_label: delivery\nset_priority: high")
    page.click(".rule-form button[type=submit]")
    page.wait_for_selector("#rules td:has-text('배송 문의 분류')")

    page.click("text=이 규칙 시험")
    page.wait_for_selector("#tested")
    assert "2건 중 1건" in page.locator("#tested h3").inner_text()

    page.fill(".hook-form input[name=name]", "CRM")
    page.fill(".hook-form input[name=url]", "https://crm.example.com/omnidesk")
    page.fill(".hook-form input[name=events]", "conversation.created, sla.breached")
    page.click(".hook-form button[type=submit]")
    assert page.locator("code.secret").inner_text().startswith("whsec_")
    page.goto(base + "/settings/automation?test=1")
    page.wait_for_selector("#tested")
    page.screenshot(path=str(ARTIFACTS / "automation-desktop.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(ARTIFACTS / "automation-phone.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    page.set_viewport_size({"width": 1440, "height": 900})
    page.goto(f"{base}/conversations/{conv_id}")
    page.click("button.macro:has-text('설치 일정 재안내')")  # one click, three actions
    page.wait_for_selector(".labels-form input[value='설치']")
    assert page.locator("#conv-header select[name=priority]").input_value() == "high"
    page.wait_for_selector("#messages :text('설치 일정을 다시 안내해 드릴게요.')")
    page.wait_for_selector("button.macro")  # the bar is back after the reload
    page.screenshot(path=str(ARTIFACTS / "macro-desktop.png"))
