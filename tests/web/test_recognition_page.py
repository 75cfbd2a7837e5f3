"""Supervisors edit the greeting and closing lines; agents cannot; typos are refused clearly."""

from __future__ import annotations

import re

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.domains.workspaces.service import get_workspace
from tests.conftest import Persona

pytestmark = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)


async def _login(client: httpx.AsyncClient, email: str, password: str) -> None:
    page = await client.get("/login")
    csrf = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert csrf
    await client.post("/login", data={"email": email, "password": password,
                                      "csrf": csrf.group(1)})


async def test_a_supervisor_edits_the_lines_and_a_typo_is_refused(
    client: httpx.AsyncClient, session: AsyncSession, owner: Persona
) -> None:
    await _login(client, "admin@acme.example", owner.password)
    form = await client.get("/settings/recognition")
    assert form.status_code == 200 and "{remaining}" in form.text
    csrf = re.search(r'name="csrf" value="([^"]+)"', form.text)
    assert csrf

    bad = await client.post("/settings/recognition", data={
        "csrf": csrf.group(1), "greeting": "ko | recent_issue | 지난번 {last_prodcut} 잘 쓰세요?",
        "closing": ""})
    assert bad.status_code == 422 and "unknown variable {last_prodcut}" in bad.text

    good = await client.post("/settings/recognition", data={
        "csrf": csrf.group(1),
        "greeting": "ko | recent_issue | 지난번 {last_product} 문제는 해결되셨나요?\n"
                    "en |  | Welcome back to {workspace}!",
        "closing": "ko | has_next_tier | {next_tier}까지 {remaining} 남으셨어요."})
    assert good.status_code == 200 and "저장했습니다" in good.text
    workspace = await get_workspace(session, workspace_id=owner.workspace_id)
    await session.refresh(workspace)
    stored = workspace.settings["recognition"]
    assert [t["when"] for t in stored["greeting"]] == [["recent_issue"], []]
    assert stored["closing"][0]["text"] == "{next_tier}까지 {remaining} 남으셨어요."


async def test_an_agent_cannot_open_the_editor(
    client: httpx.AsyncClient, owner: Persona
) -> None:
    await _login(client, owner.agent_email, owner.password)
    assert (await client.get("/settings/recognition")).status_code == 403
