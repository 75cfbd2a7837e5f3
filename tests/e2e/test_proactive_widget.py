"""Proactive engagement in Chromium: a shopper's idle cart brings one campaign message, shown as
a preview beside the launcher (desktop and phone) that opens the chat."""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

from sqlalchemy import func, insert, select, update

from omnidesk.core.scheduler import ScheduleState
from omnidesk.domains.commerce.models import BehaviourEvent
from omnidesk.domains.conversations.models import Message
from omnidesk.domains.engagement.models import Campaign, Consent
from omnidesk.domains.engagement.tasks import IDLE_CART_SCHEDULE
from omnidesk.domains.workspaces.models import Workspace
from tests.e2e.conftest import ARTIFACTS, LiveServer, log_in

TEXT = "{name} 고객님, 장바구니에 담아 두신 {value}원 상품이 기다리고 있어요. 궁금한 점 있으신가요?"


def _db(live_server: LiveServer) -> Any:
    return live_server.database()


def _wait(check: Any, timeout: float = 30) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(0.2)
    raise AssertionError("timed out")


def _first(engine: Any, query: Any) -> Any:
    with engine.connect() as conn:
        return conn.execute(query).first()


def test_an_idle_cart_brings_one_proactive_message_shown_as_a_preview(
        live_server: LiveServer, browser: Any) -> None:
    base, engine = live_server.url, _db(live_server)
    with engine.begin() as conn:
        ws = conn.scalar(select(Workspace.id).where(Workspace.slug == "hanbit"))
        conn.execute(insert(Campaign).values(
            workspace_id=ws, name="장바구니 리마인드", enabled=True, purpose="marketing",
            trigger={"kind": "cart_idle", "minutes": 20, "min_value": 500000},
            audience={}, action={"kind": "widget", "text": TEXT}, conversion_hours=24))
    shopper = browser.new_context(locale="ko-KR", viewport={"width": 1440, "height": 900}
                                  ).new_page()
    shopper.goto(base + "/demo/store")
    shopper.wait_for_function("!!(window.omnidesk && window.omnidesk.track)")
    shopper.evaluate("omnidesk.track('cart', {value: 620000, items: 2, currency: 'KRW'})")

    cart = _wait(lambda: _first(engine, select(BehaviourEvent).where(
        BehaviourEvent.kind == "cart")))
    with engine.begin() as conn:  # consented (day and night), and the cart 25 minutes old
        conn.execute(insert(Consent).values(workspace_id=ws, customer_id=cart.customer_id,
                                            channel="any", marketing=True, night=True,
                                            source="signup"))
        conn.execute(update(BehaviourEvent).where(BehaviourEvent.id == cart.id).values(
            occurred_at=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=25)))
    # The scan runs from the scheduler once a minute. Let that minute pass: the schedule is due
    # (as the cart is older), and a restarted server fires what is due at once; the open page's
    # widget reconnects by itself and catches up.
    with engine.begin() as conn:
        conn.execute(update(ScheduleState).where(ScheduleState.name == IDLE_CART_SCHEDULE)
                     .values(next_run_at=dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)))
    live_server.stop()
    live_server.start()
    _wait(lambda: _first(engine, select(Message.id).where(Message.author_kind == "bot")),
          timeout=30)

    preview = shopper.locator("#omnidesk-widget >> .preview")
    preview.wait_for(state="visible", timeout=20000)
    assert "(광고)" in preview.inner_text() and "620,000원" in preview.inner_text()
    shopper.screenshot(path=str(ARTIFACTS / "proactive-preview-1440.png"))

    preview.locator(".text").click()
    chat = shopper.frame_locator("#omnidesk-frame")
    bubble = chat.locator(".msg[data-id]").filter(has_text="장바구니에 담아 두신")
    bubble.wait_for(timeout=30000)
    shopper.wait_for_timeout(400)  # the window's opening transition
    shopper.screenshot(path=str(ARTIFACTS / "proactive-chat-1440.png"))

    with engine.connect() as conn:
        sent = conn.scalar(select(func.count(Message.id)).where(
            Message.meta.is_not(None), Message.author_kind == "bot"))
    assert sent == 1

    shopper.set_viewport_size({"width": 390, "height": 844})
    shopper.reload()
    phone_preview = shopper.locator("#omnidesk-widget >> .preview")
    phone_preview.wait_for(state="visible", timeout=30000)
    shopper.screenshot(path=str(ARTIFACTS / "proactive-preview-390.png"))


def test_the_engagement_page_lists_campaigns_in_the_staff_layout(
        live_server: LiveServer, browser: Any) -> None:
    base, engine = live_server.url, _db(live_server)
    with engine.begin() as conn:
        ws = conn.scalar(select(Workspace.id).where(Workspace.slug == "hanbit"))
        conn.execute(insert(Campaign).values(
            workspace_id=ws, name="장바구니 리마인드", enabled=True, purpose="marketing",
            trigger={"kind": "cart_idle", "minutes": 20, "min_value": 500000},
            audience={"tiers": ["vip"]}, action={"kind": "widget", "text": TEXT},
            conversion_hours=24))
    for width, height in ((1440, 900), (390, 844)):
        page = browser.new_context(locale="ko-KR", viewport={"width": width, "height": height}
                                   ).new_page()
        log_in(page, base, "admin@hanbit.example")
        page.goto(base + "/settings/engagement")
        row = page.locator("tr[data-campaign]").filter(has_text="장바구니 리마인드")
        row.wait_for()
        assert "장바구니 방치" in row.inner_text() and "광고성" in page.inner_text("#campaigns")
        assert page.locator("form[action='/settings/engagement/campaigns']").is_visible()
        page.screenshot(path=str(ARTIFACTS / f"engagement-page-{width}.png"), full_page=True)
