"""In Chromium: personal data a customer types into the chat reaches the agent's thread masked;
the agent reveals one message with a reason, the admin sees that read on the access log, and the
privacy settings page (retention, purge report, erasure certificate) works at desktop and phone
widths."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from omnidesk.domains.conversations.models import Conversation, Message
from omnidesk.domains.workspaces.service import get_workspace_by_slug
from tests.e2e.conftest import ARTIFACTS, LiveServer, log_in
from tests.e2e.test_supervisor_live import in_database

PHONE, RRN = "010-7788-9911", "900101-1234568"
TEXT = f"환불 계좌 문의요. 연락처 {PHONE}, 주민번호 {RRN}"


def _fits(page: Any, width: int) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def test_an_agent_reveals_a_masked_message_and_the_admin_sees_it_logged(
        live_server: LiveServer, browser: Any) -> None:
    url, base = live_server.env["OMNIDESK_DATABASE_URL"], live_server.url
    visitor = browser.new_context(locale="ko-KR").new_page()
    visitor.goto(base + "/demo/store")
    visitor.click("#omnidesk-widget >> .launcher")
    chat = visitor.frame_locator("#omnidesk-frame")
    chat.locator("#text").fill(TEXT)
    chat.locator("#text").press("Enter")
    # the customer's own copy comes back as stored: the RRN is already sealed
    mine = chat.locator(".msg.me[data-id]").filter(has_text="환불 계좌 문의요")
    mine.wait_for()
    assert RRN not in mine.inner_text()

    async def latest(session: Any) -> tuple[int, int, int]:
        hanbit = await get_workspace_by_slug(session, slug="hanbit")
        message = await session.scalar(select(Message).where(
            Message.workspace_id == hanbit.id, Message.author_kind == "customer",
            Message.text.contains("환불 계좌 문의요")).order_by(Message.id.desc()).limit(1))
        conv = await session.get(Conversation, message.conversation_id)
        return int(message.conversation_id), int(message.id), int(conv.customer_id)

    conv_id, message_id, customer_id = in_database(url, latest)
    agent = browser.new_context(locale="ko-KR", viewport={"width": 1440, "height": 900}).new_page()
    log_in(agent, base, "agent@hanbit.example")
    agent.goto(f"{base}/conversations/{conv_id}")
    body = agent.locator(f"#msg-body-{message_id}")
    body.wait_for()
    shown = body.inner_text()
    assert PHONE not in shown and RRN not in shown and "010-****-9911" in shown, shown
    body.locator("summary").click()
    body.locator("button[type=submit]").click()  # no reason: the browser asks for one
    assert PHONE not in body.inner_text()
    body.locator("input[name=reason]").fill("환불 계좌 본인 확인")
    body.locator("button[type=submit]").click()
    agent.locator(f"#msg-body-{message_id}[data-revealed]").wait_for()
    revealed = agent.locator(f"#msg-body-{message_id}").inner_text()
    assert PHONE in revealed and RRN in revealed and "열람 기록이 남았습니다" in revealed
    agent.screenshot(path=str(ARTIFACTS / "message-reveal-desktop.png"))
    agent.set_viewport_size({"width": 390, "height": 844})
    agent.reload()
    agent.locator(f"#msg-body-{message_id}").wait_for()
    assert PHONE not in agent.locator(f"#msg-body-{message_id}").inner_text()  # masked again
    agent.locator(f"#msg-body-{message_id}").scroll_into_view_if_needed()
    agent.screenshot(path=str(ARTIFACTS / "message-reveal-phone.png"))
    _fits(agent, 390)

    admin = browser.new_context(locale="ko-KR", viewport={"width": 1440, "height": 900}).new_page()
    log_in(admin, base, "admin@hanbit.example")
    admin.goto(f"{base}/settings/access-log")
    entry = admin.locator(".access-log .gov-entry").first
    assert "환불 계좌 본인 확인" in entry.inner_text() and "주민등록번호" in entry.inner_text()

    admin.goto(f"{base}/settings/privacy")
    admin.click("form:has(input[value=purge]) button[type=submit]")
    admin.locator("[data-purge-report]").wait_for()
    erase = admin.locator("form:has(input[value=erase])")
    erase.locator("input[name=customer_id]").fill(str(customer_id))
    erase.locator("input[name=confirm]").fill("ERASE")
    erase.locator("button[type=submit]").click()
    admin.locator("[data-certificate]").wait_for()
    admin.screenshot(path=str(ARTIFACTS / "privacy-settings-desktop.png"), full_page=True)
    admin.set_viewport_size({"width": 390, "height": 844})
    admin.screenshot(path=str(ARTIFACTS / "privacy-settings-phone.png"), full_page=True)
    _fits(admin, 390)

    async def gone(session: Any) -> str:
        rows = await session.scalars(select(Message.text).where(Message.id == message_id))
        return " ".join(t or "" for t in rows)

    assert PHONE not in in_database(url, gone)  # erased: the message text is gone
