"""/reports in Chromium: Korean tiles and charts drawn from the package's Chart.js, drill-down."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.domains.analytics.actions import do_rebuild
from omnidesk.domains.workspaces.service import get_workspace_by_slug
from tests.domains.analytics.test_kpis import NOW, build
from tests.e2e.conftest import ARTIFACTS, LiveServer, log_in
from tests.e2e.test_supervisor_live import in_database

DECEMBER = "/reports?from=2026-12-01&to=2026-12-31"


async def history(session: AsyncSession) -> None:
    workspace = await get_workspace_by_slug(session, slug="hanbit")
    assert workspace is not None
    await build(session, workspace.id)
    await do_rebuild(session, workspace_id=workspace.id, now=NOW)


def test_reports_show_korean_tiles_charts_and_drill_down(live_server: LiveServer,
                                                          browser: Any) -> None:
    in_database(live_server.env["OMNIDESK_DATABASE_URL"], history)
    base = live_server.url
    context = browser.new_context(viewport={"width": 1440, "height": 900}, locale="ko-KR")
    page = context.new_page()
    log_in(page, base, "admin@hanbit.example")
    page.goto(base + DECEMBER)
    page.wait_for_selector("body[data-charts-ready=true]")
    tiles = page.locator(".tile")
    assert "1차 해결률" in tiles.nth(3).inner_text() and "50.0%" in tiles.nth(3).inner_text()
    assert page.locator("h2", has_text="일별 대화 수").count() == 1
    drawn = page.evaluate("""() => [...document.querySelectorAll('canvas')]
        .filter(c => window.Chart.getChart(c)).length""")
    assert drawn >= 7  # volume, speed, groups, CSAT, NPS, CES, bot (+ staffing)
    assert page.locator("#heatmap tbody tr").nth(4).locator("td").nth(17).inner_text() == "1"
    page.screenshot(path=str(ARTIFACTS / "reports-desktop.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    page.wait_for_selector("body[data-charts-ready=true]")
    width = page.evaluate("document.querySelector('.reports-main').scrollWidth")
    assert width <= 390
    page.screenshot(path=str(ARTIFACTS / "reports-phone.png"), full_page=False)
    page.locator(".tile", has_text="1차 해결률").click()
    page.wait_for_selector("table.report-table tbody tr")
    assert page.locator("table.report-table tbody tr").count() == 2  # c1 recontacted, c2 reopened
    page.screenshot(path=str(ARTIFACTS / "reports-drill-down.png"))
    context.close()
