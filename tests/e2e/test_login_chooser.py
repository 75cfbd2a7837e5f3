"""One person staffing two workspaces with one password picks which to enter after logging in."""

from __future__ import annotations

from typing import Any

from omnidesk.core.context import system_actor
from omnidesk.domains.agents.actions import do_create_user
from omnidesk.domains.agents.schemas import UserCreate
from omnidesk.domains.workspaces.service import get_workspace_by_slug
from tests.e2e.conftest import ARTIFACTS, PASSWORD, LiveServer
from tests.e2e.test_supervisor_live import in_database

EMAIL = "agent@hanbit.example"


def test_an_agent_of_two_workspaces_chooses_one_and_lands_in_its_inbox(
    live_server: LiveServer, browser: Any
) -> None:
    async def second_account(session: Any) -> None:
        globex = await get_workspace_by_slug(session, slug="globex")
        await do_create_user(session, actor=system_actor(globex.id), user_in=UserCreate(
            email=EMAIL, name="겸직 상담원", password=PASSWORD))

    in_database(live_server.env["OMNIDESK_DATABASE_URL"], second_account)
    base = live_server.url
    for name, size in (("desktop", (1440, 900)), ("phone", (390, 844))):
        context = browser.new_context(locale="ko-KR",
                                      viewport={"width": size[0], "height": size[1]})
        page = context.new_page()
        page.goto(base + "/login")
        page.fill("input[name=email]", EMAIL)
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_selector("form.accounts")
        assert sorted(page.locator("form.accounts button").evaluate_all(
            "els => els.map(e => e.dataset.workspace)")) == ["globex", "hanbit"]
        page.screenshot(path=str(ARTIFACTS / f"login-chooser-{name}.png"), full_page=True)
        page.click("form.accounts button[data-workspace=globex]")
        page.wait_for_url(base + "/inbox")
        assert "globex" in page.content()
        context.close()
