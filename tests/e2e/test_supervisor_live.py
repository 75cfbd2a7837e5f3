"""The supervisor page shows a new waiting conversation, then its assignment, without a reload."""

from __future__ import annotations

from typing import Any

from omnidesk.core.db import create_engine, create_session_factory
from omnidesk.domains.agents.service import get_user_by_email
from omnidesk.domains.conversations.actions import do_receive_inbound
from omnidesk.domains.conversations.schemas import InboundMessage
from omnidesk.domains.routing.actions import do_set_presence
from omnidesk.domains.routing.models import RoutingQueue
from omnidesk.domains.workspaces.service import get_workspace_by_slug
from tests.e2e.conftest import ARTIFACTS, LiveServer, log_in, run_async

QUESTION = "설치 기사님 방문 시간을 알고 싶어요"


def in_database(url: str, work: Any) -> Any:
    """Run one unit of work against the live server's database from the test process."""

    async def run() -> Any:
        engine = create_engine(url)
        try:
            async with create_session_factory(engine)() as session:
                result = await work(session)
                await session.commit()
                return result
        finally:
            await engine.dispose()

    return run_async(run())


def test_the_supervisor_sees_a_conversation_wait_and_then_get_assigned_live(
    live_server: LiveServer, browser: Any
) -> None:
    url, base = live_server.env["OMNIDESK_DATABASE_URL"], live_server.url

    async def setup(session: Any) -> tuple[int, int]:
        hanbit = await get_workspace_by_slug(session, slug="hanbit")
        agent = await get_user_by_email(session, workspace_id=hanbit.id,
                                        email="agent@hanbit.example")
        queue = RoutingQueue(workspace_id=agent.workspace_id, name="설치·A/S", is_default=True)
        session.add(queue)
        return agent.workspace_id, agent.id

    workspace_id, agent_id = in_database(url, setup)
    page = browser.new_context(locale="ko-KR", viewport={"width": 1440, "height": 900}).new_page()
    log_in(page, base, "admin@hanbit.example")
    page.click("a[href='/supervisor']")
    page.wait_for_url(base + "/supervisor")
    page.wait_for_selector("#live-status.on")
    assert page.locator(".queue-card .waiting-count").inner_text() == "0"

    async def customer_writes(session: Any) -> None:
        await do_receive_inbound(session, workspace_id=workspace_id, inbound=InboundMessage(
            channel="web", identity_kind="web_visitor", identity_value="v-live",
            customer_name="김하늘", text=QUESTION))

    in_database(url, customer_writes)
    row = page.locator("tr.entry").filter(has_text="김하늘")
    row.and_(page.locator("tr.entry-waiting")).wait_for(timeout=30000)
    assert page.locator(".queue-card .waiting-count").inner_text() == "1"
    page.screenshot(path=str(ARTIFACTS / "supervisor-waiting.png"))

    async def agent_comes_online(session: Any) -> None:
        await do_set_presence(session, workspace_id=workspace_id, user_id=agent_id,
                              presence="online")

    in_database(url, agent_comes_online)
    row.and_(page.locator("tr.entry-assigned")).wait_for(timeout=30000)
    page.locator("tr.agent.presence-online").filter(has_text="에이전트").wait_for()
    assert page.locator(".queue-card .waiting-count").inner_text() == "0"
    assert row.locator("select.assignee option:checked").inner_text().startswith("에이전트")
    page.screenshot(path=str(ARTIFACTS / "supervisor-live.png"), full_page=True)
