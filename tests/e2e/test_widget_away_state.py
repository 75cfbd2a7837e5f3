"""The widget's online/away state follows the business calendar, and repaints when it changes."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import update

from omnidesk.domains.workspaces.models import Workspace
from tests.e2e.conftest import LiveServer


def set_hours(live_server: LiveServer, hours: dict[str, Any]) -> None:
    """Store the demo workspace's hours (a plain sqlite connection: Playwright owns the loop)."""
    engine = live_server.database()
    with engine.begin() as conn:
        conn.execute(update(Workspace).where(Workspace.slug == "hanbit")
                     .values(business_hours=hours))
    engine.dispose()


def test_the_away_notice_turns_online_when_the_calendar_opens(
        live_server: LiveServer, browser: Any) -> None:
    today = dt.datetime.now(ZoneInfo("Asia/Seoul")).date().isoformat()
    set_hours(live_server, {"timezone": "Asia/Seoul", "holidays": [today]})  # closed today
    page = browser.new_context(locale="ko-KR", extra_http_headers={"Accept-Language": "ko"}
                               ).new_page()
    page.clock.install()
    page.goto(live_server.url + "/widget/frame?workspace=hanbit")
    assert page.locator("#away-label").inner_text() == "상담 시간 외"
    assert "연중무휴 24시간" in page.locator("#away-notice").inner_text()
    assert "다음 상담 시작" in page.locator("#away-next").inner_text()

    set_hours(live_server, {})  # no hours set: open around the clock
    page.clock.fast_forward("01:00:01")  # the widget re-reads its state at the latest hourly
    page.locator("#away-dot.on").wait_for(timeout=30000)
    assert page.locator("#away-label").inner_text() == "상담 가능"
    assert page.locator("#away-notice").is_hidden()
