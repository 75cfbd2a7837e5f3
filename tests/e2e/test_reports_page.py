"""/reports in Chromium: Korean tiles and charts drawn from the package's Chart.js, drill-down."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.domains.agents.models import User
from omnidesk.domains.analytics.actions import do_rebuild
from omnidesk.domains.workspaces.service import get_workspace_by_slug
from tests.domains.analytics.test_kpis import NOW, build
from tests.domains.analytics.test_occupancy import online_four_hours_full_three
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
    # The first-response heatmap: c1 (Friday 17:30) waited 64 h on the clock = 3,840 minutes.
    assert page.locator("h2", has_text="요일·시간대별 첫 응답 시간").count() == 1
    assert page.locator("#heatmap-first_response tbody tr").nth(4).locator("td").nth(
        17).inner_text() == "3840"
    assert "지금 상담 가능: 0명" in page.locator("main").inner_text()
    assert page.evaluate("""() => window.Chart.getChart('chart-staffing').data.datasets
        .map(d => d.label)""")[1] == "실제 상담 가능 인원(최근 4주 평균)"
    assert page.locator("#retention tbody tr").count() == 4  # low, neutral, high, no answer
    assert "재구매" in page.locator("#retention thead").inner_text()
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
    page.set_viewport_size({"width": 1440, "height": 900})
    page.goto(base + DECEMBER)
    page.locator("#heatmap tbody tr").nth(4).locator("td").nth(17).locator("a").click()
    page.wait_for_selector("table.report-table tbody tr")
    assert "금 17:00" in page.locator("h1").inner_text()
    assert page.locator("table.report-table tbody tr").count() == 1
    page.goto(base + DECEMBER)
    page.wait_for_selector("body[data-charts-ready=true]")
    # A bar of a chart opens its conversations too: the CSAT 2 bar is c6.
    page.evaluate("""() => { const chart = window.Chart.getChart('chart-csat');
        chart.options.onClick(null, [{index: 1}], chart); }""")
    page.wait_for_url("**only=csat_2**")
    assert "CSAT 2" in page.locator("h1").inner_text()
    assert page.locator("table.report-table tbody tr").count() == 1
    context.close()


async def occupancy_history(session: AsyncSession) -> None:
    """The agent online 09:00-13:00 on 7 December with two chats of two from 10:00, folded."""
    workspace = await get_workspace_by_slug(session, slug="hanbit")
    assert workspace is not None
    agent = await session.scalar(select(User.id).where(
        User.workspace_id == workspace.id, User.email == "agent@hanbit.example"))
    assert agent is not None
    await history(session)
    await online_four_hours_full_three(session, workspace.id, agent)


def test_the_breakdown_by_agent_shows_occupancy_and_a_goal_aims_at_it(
        live_server: LiveServer, browser: Any) -> None:
    in_database(live_server.env["OMNIDESK_DATABASE_URL"], occupancy_history)
    base = live_server.url
    context = browser.new_context(viewport={"width": 1440, "height": 900}, locale="ko-KR")
    page = context.new_page()
    log_in(page, base, "admin@hanbit.example")
    page.goto(base + DECEMBER + "&by=agent")
    page.wait_for_selector("body[data-charts-ready=true]")
    table = page.locator("table.report-table").first
    assert "상담원 점유율" in table.locator("thead").inner_text()
    row = table.locator("tbody tr", has_text="에이전트")
    assert row.locator("td.occupancy").inner_text() == "75.0%"
    assert "4h 0m" in row.inner_text() and "3h 0m" in row.inner_text()
    # A goal for that agent's occupancy, from the form, typed in %.
    form = page.locator("form.goal-form")
    form.locator("input[name=name]").fill("에이전트 점유율 75%")
    form.locator("select[name=metric]").select_option("agent_occupancy")
    form.locator("input[name=target]").fill("75")
    form.locator("select[name=scope]").select_option(label="에이전트")
    form.locator("button").click()
    page.wait_for_url("**#goals")
    goal = page.locator(".goals li", has_text="에이전트 점유율 75%")
    assert "/ 75.0%" in goal.locator(".progress").inner_text()  # the target, stored as 0.75
    assert "상담원 점유율" in goal.inner_text() and "상담원 에이전트" in goal.inner_text()
    page.goto(base + DECEMBER + "&by=agent")
    page.wait_for_selector("body[data-charts-ready=true]")
    table.scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "reports-by-agent-desktop.png"))
    page.locator("#goals").scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "reports-goal-form-desktop.png"))
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    page.wait_for_selector("body[data-charts-ready=true]")
    width = page.evaluate("document.querySelector('.reports-main').scrollWidth")
    assert width <= 390
    page.locator("table.report-table").first.scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "reports-by-agent-phone.png"))
    page.locator("form.goal-form").scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "reports-goal-form-phone.png"))
    context.close()
