"""First run: an empty server sends everyone to /setup, which creates the workspace and its
first admin once; after that the page is gone and nobody can take the server over."""

from __future__ import annotations

import re

import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.domains.agents.service import list_users
from omnidesk.domains.workspaces.service import list_workspaces
from tests.conftest import Persona

FORM = {"name": "모아상점", "slug": "moa", "timezone": "Asia/Seoul", "languages": ["ko", "en"],
        "default_locale": "ko", "admin_name": "김대표", "admin_email": "boss@moa.example",
        "password": "a long enough secret", "password_confirm": "a long enough secret"}


async def _csrf(client: httpx.AsyncClient) -> str:
    page = await client.get("/setup")
    assert page.status_code == 200
    found = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert found
    return found.group(1)


async def test_an_empty_server_opens_setup_and_creates_the_workspace_and_admin(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    assert (await client.get("/")).headers["location"] == "/setup"
    assert (await client.get("/login")).headers["location"] == "/setup"
    csrf = await _csrf(client)
    done = await client.post("/setup", data={**FORM, "csrf": csrf})
    assert done.status_code == 303 and done.headers["location"] == "/settings/getting-started"
    checklist = await client.get("/settings/getting-started")
    assert checklist.status_code == 200 and "모아상점" in checklist.text
    assert checklist.text.count('data-step="') == 5 and "5단계 중 0단계 완료" in checklist.text
    assert 'href="/kb-admin"' in checklist.text
    [workspace] = await list_workspaces(session)
    assert (workspace.slug, workspace.timezone, workspace.settings["languages"]) == (
        "moa", "Asia/Seoul", ["ko", "en"])
    [admin] = await list_users(session, workspace_id=workspace.id)
    assert (admin.email, admin.role, admin.name) == ("boss@moa.example", "admin", "김대표")


async def test_a_bad_form_comes_back_with_the_problem_and_what_was_typed(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    csrf = await _csrf(client)
    differ = await client.post("/setup", data={**FORM, "password_confirm": "x" * 12,
                                               "csrf": csrf})
    assert differ.status_code == 422 and "두 비밀번호가 다릅니다" in differ.text
    assert 'value="모아상점"' in differ.text
    bad_slug = await client.post("/setup", data={**FORM, "slug": "Moa Shop", "csrf": csrf})
    assert bad_slug.status_code == 422 and "slug" in bad_slug.text
    no_language = await client.post("/setup", data={**FORM, "languages": [], "csrf": csrf})
    assert no_language.status_code == 422
    forged = await client.post("/setup", data={**FORM, "csrf": "forged"})
    assert forged.status_code == 400
    assert await list_workspaces(session) == []


async def test_setup_is_gone_once_a_workspace_exists(
    client: httpx.AsyncClient, owner: Persona, session: AsyncSession
) -> None:
    assert (await client.get("/setup")).headers["location"] == "/login"
    taken = await client.post("/setup", data={**FORM, "csrf": "whatever"})
    assert taken.status_code == 404
    assert (await client.get("/")).headers["location"] == "/login"
    assert (await client.get("/login")).status_code == 200
    assert [w.slug for w in await list_workspaces(session)] == ["acme"]


async def test_agents_cannot_open_the_checklist(
    client: httpx.AsyncClient, owner: Persona
) -> None:
    page = await client.get("/login")
    csrf = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert csrf
    await client.post("/login", data={"email": owner.agent_email, "password": owner.password,
                                      "csrf": csrf.group(1)})
    refused = await client.get("/settings/getting-started")
    assert refused.status_code == 403 and 'id="staff-topbar"' in refused.text
