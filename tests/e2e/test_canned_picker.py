"""The composer's / picker in Chromium: a canned reply goes in with its variables filled, one
the conversation cannot fill is refused with a message; the canned replies page at both sizes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.e2e.conftest import LiveServer, log_in, visitor_says

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def test_slash_inserts_a_filled_reply_and_refuses_an_unfilled_one(live_server: LiveServer,
                                                                  browser: Any) -> None:
    base = live_server.url
    # An admin writes two workspace replies on the canned replies page.
    admin = browser.new_context(locale="ko-KR", viewport={"width": 1440, "height": 900}).new_page()
    log_in(admin, base, "admin@hanbit.example")
    for shortcut, body in (("마무리", "더 궁금하신 점이 있으면 언제든 문의해 주세요. {workspace} 드림"),
                           ("취소", "주문 {order_number} 건을 취소해 드렸습니다.")):
        admin.goto(base + "/settings/canned")
        admin.fill("#canned-form input[name=shortcut]", shortcut)
        admin.fill("#canned-form input[name=title]", shortcut + " 안내")
        admin.fill("#canned-body", body)
        admin.select_option("#canned-form select[name=scope]", "workspace")
        admin.click("#canned-form button[type=submit]")
        admin.locator("table.canned-list code", has_text="/" + shortcut).wait_for()
    visitor = browser.new_context(locale="ko-KR").new_page()
    visitor_says(visitor, base, "감사합니다 문의 끝났어요")
    agent = browser.new_context(locale="ko-KR", viewport={"width": 1440, "height": 900}).new_page()
    log_in(agent, base, "agent@hanbit.example")
    agent.click("#views a[data-view=unassigned]")
    item = agent.locator("#conv-list .conv-item").filter(has_text="감사합니다 문의 끝났어요")
    item.wait_for(timeout=30000)
    item.locator("a").click()
    agent.wait_for_selector("#live-status.on")
    box = agent.locator("#reply-text")

    box.press_sequentially("/마무", delay=40)
    picker = agent.locator("#canned-picker")
    picker.wait_for(state="visible", timeout=30000)
    picker.locator(".choice", has_text="/마무리").first.wait_for()
    ARTIFACTS.mkdir(exist_ok=True)
    agent.screenshot(path=str(ARTIFACTS / "canned-picker-1440.png"))
    box.press("Enter")
    assert picker.is_hidden()
    value = box.input_value()
    assert value.startswith("더 궁금하신 점이") and "hanbit 드림" in value and "{" not in value
    assert agent.locator("#messages .msg.agent").filter(has_text="더 궁금하신 점이").count() == 0

    # A reply that needs the order number, in a chat with no order: not inserted, and said why.
    box.fill("")
    box.press_sequentially("/취소", delay=40)
    choice = picker.locator(".choice", has_text="/취소")
    choice.wait_for(timeout=30000)
    assert "order_number" in choice.locator(".missing").inner_text()
    box.press("Enter")
    assert box.input_value() == "/취소"
    assert "order_number" in agent.locator("#composer-error").inner_text()
    box.press("Escape")
    assert picker.is_hidden()

    # The page that keeps them, at desktop and phone sizes.
    agent.goto(base + "/settings/canned")
    agent.locator("table.canned-list").first.wait_for()
    agent.screenshot(path=str(ARTIFACTS / "canned-settings-1440.png"), full_page=True)
    phone = browser.new_context(locale="ko-KR", viewport={"width": 390, "height": 844}).new_page()
    log_in(phone, base, "agent@hanbit.example")
    phone.goto(base + "/settings/canned")
    phone.locator("#canned-form").wait_for()
    phone.screenshot(path=str(ARTIFACTS / "canned-settings-390.png"), full_page=True)
