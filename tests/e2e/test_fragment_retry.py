"""A part of a page loaded after it (the customer 360 panel, the assist suggestions) that fails
on a busy server asks again by itself, then offers a button; a refusal is not asked again."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from tests.e2e.conftest import LiveServer, log_in, visitor_says

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def _failing(times: int | None, status: int, asked: list[str]) -> Any:
    """A route handler answering ``status`` to the first ``times`` requests (None: all)."""
    def handle(route: Any) -> None:
        asked.append(route.request.url)
        if times is None or len(asked) <= times:
            route.fulfill(status=status, body="busy")
        else:
            route.continue_()
    return handle


def test_a_failed_panel_loads_on_a_later_try_and_then_offers_a_button(
        live_server: LiveServer, browser: Any) -> None:
    base = live_server.url
    visitor_says(browser.new_context(locale="ko-KR").new_page(), base, "소파 배송 문의드려요")
    agent = browser.new_context(locale="ko-KR", viewport={"width": 1440, "height": 900}).new_page()
    log_in(agent, base, "agent@hanbit.example")
    panel_asks: list[str] = []
    assist_asks: list[str] = []
    # the customer 360 panel fails twice (a 502 from a proxy, say), the assist panel every time
    agent.route("**/panel/customer360*", _failing(2, 502, panel_asks))
    agent.route("**/panel/assist*", _failing(None, 503, assist_asks))
    agent.click("#views a[data-view=unassigned]")
    agent.locator("#conv-list .conv-item a").filter(has_text="소파 배송").first.click()
    agent.locator("#customer360-slot .c360-panel").wait_for(timeout=20000)
    assert len(panel_asks) == 3
    button = agent.locator(".c360-assist .fragment-failed button")
    button.wait_for(timeout=20000)  # after the third failure
    assert len(assist_asks) == 3 and "불러오지 못했습니다" in agent.locator(
        ".c360-assist .fragment-failed").inner_text()
    ARTIFACTS.mkdir(exist_ok=True)
    agent.screenshot(path=str(ARTIFACTS / "fragment-retry-1440.png"))
    agent.set_viewport_size({"width": 390, "height": 844})
    agent.screenshot(path=str(ARTIFACTS / "fragment-retry-390.png"), full_page=True)
    agent.set_viewport_size({"width": 1440, "height": 900})
    agent.unroute("**/panel/assist*")
    button.click()
    agent.locator(".c360-assist .c360-assist-panel").wait_for()

    # a refusal (signed out, no access) is shown as it is, not asked again
    refused: list[str] = []
    agent.route("**/panel/customer360*", _failing(None, 403, refused))
    agent.reload()
    agent.wait_for_selector("#live-status.on")
    time.sleep(3)  # past the first retry's wait
    assert len(refused) == 1
