"""An agent finds a customer by a Korean word and by phone, merges a duplicate from the UI and
mentions a colleague; a supervisor whispers and takes over (Chromium, screenshots saved)."""

from __future__ import annotations

from typing import Any

from omnidesk.domains.agents.service import get_user_by_email
from omnidesk.domains.conversations.actions import do_receive_inbound
from omnidesk.domains.conversations.schemas import InboundMessage
from omnidesk.domains.search.actions import do_index_all_messages
from omnidesk.domains.workspaces.service import get_workspace_by_slug
from tests.e2e.conftest import ARTIFACTS, LiveServer, log_in
from tests.e2e.test_supervisor_live import in_database


def test_find_merge_mention_whisper_and_take_over(live_server: LiveServer, browser: Any) -> None:
    url, base = live_server.env["OMNIDESK_DATABASE_URL"], live_server.url

    async def setup(session: Any) -> tuple[int, int]:
        hanbit = await get_workspace_by_slug(session, slug="hanbit")
        agent = await get_user_by_email(session, workspace_id=hanbit.id,
                                        email="agent@hanbit.example")
        sms = await do_receive_inbound(session, workspace_id=hanbit.id, inbound=InboundMessage(
            channel="sms", identity_kind="phone", identity_value="+821098761234",
            customer_name="김민지", text="지난주에 환불했는데 아직 안 들어왔어요"))
        await do_receive_inbound(session, workspace_id=hanbit.id, inbound=InboundMessage(
            channel="email", identity_kind="email", identity_value="minji@example.org",
            customer_name="김민지", text="메일로도 문의드려요"))
        await session.flush()
        await do_index_all_messages(session)
        return sms.conversation_id, agent.id

    conversation_id, _ = in_database(url, setup)
    agent = browser.new_page(viewport={"width": 1440, "height": 900})
    log_in(agent, base, "agent@hanbit.example")
    agent.keyboard.press("Control+k")
    agent.keyboard.type("환불")
    agent.wait_for_selector(f"#search-popover.open a[href^='/conversations/{conversation_id}']")
    agent.screenshot(path=str(ARTIFACTS / "search-popover-desktop.png"))
    agent.fill("#search-input", "010-9876-1234")
    hit = agent.wait_for_selector("#search-popover.open .customers-hits a.hit")
    hit.click()
    agent.wait_for_selector("#merge li button")
    agent.screenshot(path=str(ARTIFACTS / "customer-page-desktop.png"), full_page=True)
    agent.once("dialog", lambda dialog: dialog.accept())
    agent.click("#merge li button")
    agent.wait_for_selector("#merge li.muted")  # reloaded: nobody left to merge
    assert agent.locator("#conversations a").count() == 2  # both channels' conversations

    agent.goto(f"{base}/conversations/{conversation_id}")
    agent.wait_for_selector("#live-status.on")
    agent.check("input[name=mode][value=note]")
    agent.fill("#reply-text", "@Admin 환불 건 확인 부탁드려요")
    agent.click("#send-button")
    agent.wait_for_selector("#messages .msg.note")

    admin = browser.new_page(viewport={"width": 1440, "height": 900})
    log_in(admin, base, "admin@hanbit.example")
    admin.wait_for_selector("#mentions-badge:has-text('1')")
    admin.goto(f"{base}/mentions")
    assert "환불 건 확인" in admin.inner_text("main")
    admin.goto(f"{base}/conversations/{conversation_id}")
    admin.wait_for_selector("#live-status.on")
    agent.wait_for_selector("#viewers:has-text('Admin')")  # who else is on it
    admin.fill("#supervise input[name=text]", "환불 규정부터 안내하세요")
    admin.click("#supervise button[type=submit]")
    agent.wait_for_selector("#messages .msg.whisper")
    agent.screenshot(path=str(ARTIFACTS / "whisper-agent-desktop.png"))
    admin.once("dialog", lambda dialog: dialog.accept())
    admin.click("#supervise button.secondary")
    admin.wait_for_selector("#supervise button.secondary", state="detached")
    admin.screenshot(path=str(ARTIFACTS / "take-over-desktop.png"))

    phone = browser.new_page(viewport={"width": 390, "height": 844})
    log_in(phone, base, "agent@hanbit.example")
    phone.goto(f"{base}/search?q=환불")
    phone.wait_for_selector(".search-results")
    phone.screenshot(path=str(ARTIFACTS / "search-page-phone.png"), full_page=True)
    phone.goto(f"{base}/customers")
    phone.wait_for_selector("table.contacts")
    phone.screenshot(path=str(ARTIFACTS / "customers-phone.png"), full_page=True)
