"""Who reaches which staff page, as the README's page table says: every section and settings
page of the navigation answers 200 to exactly the roles it is shown to and 403 (in the staff
layout, with the reason) to the others, and the navigation lists exactly those; the pages README
marks "supervisors read-only" show a supervisor the read-only note and refuse their changes."""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.core.context import Actor, system_actor
from omnidesk.domains.agents.actions import do_create_user
from omnidesk.domains.agents.schemas import UserCreate
from omnidesk.web.navigation import SECTIONS, SETTINGS
from tests.conftest import Persona
from tests.web.test_supervisor import log_in

# README: "(admins; supervisors read-only)" and "(supervisors read, admins write)"
# page -> where its change is posted
READ_ONLY_FOR_SUPERVISORS = {
    "/settings/inboxes": "/settings/inboxes/new/telegram", "/settings/hours": "/settings/hours",
    "/settings/routing": "/settings/routing/queues", "/settings/bot": "/settings/bot",
    "/settings/store-policy": "/settings/store-policy", "/settings/surveys": "/settings/surveys"}


async def _supervisor(session: AsyncSession, owner: Persona) -> Actor:
    user = await do_create_user(session, actor=system_actor(owner.workspace_id), user_in=UserCreate(
        email="lead@acme.example", name="팀장", password=owner.password, role="supervisor"))
    await session.commit()
    return Actor(owner.workspace_id, user.id, "supervisor")


@pytest.mark.parametrize("role", ["admin", "supervisor", "agent"])
async def test_each_page_answers_exactly_the_roles_it_is_shown_to(
    client: httpx.AsyncClient, session: AsyncSession, owner: Persona, role: str
) -> None:
    actor = {"admin": owner.admin, "agent": owner.agent}.get(role)
    if actor is None:
        actor = await _supervisor(session, owner)
    email = {"admin": "admin@acme.example", "agent": owner.agent_email,
             "supervisor": "lead@acme.example"}[role]
    await log_in(client, email, owner.password)
    settings_page = (await client.get("/settings/canned")).text
    for link in (*SECTIONS, *SETTINGS):
        response = await client.get(link.href)
        if response.status_code == 303 and link.href == "/settings":  # its first page
            response = await client.get(response.headers["location"])
        if link.shown_to(actor):
            assert response.status_code == 200, (role, link.href, response.status_code)
        else:
            assert response.status_code == 403, (role, link.href, response.status_code)
            assert 'id="staff-topbar"' in response.text and 'role="alert"' in response.text
        # the navigation offers the page exactly when it opens
        assert (f'href="{link.href}"' in settings_page) == link.shown_to(actor), (role, link.href)


async def test_supervisors_read_what_only_admins_change(
    client: httpx.AsyncClient, session: AsyncSession, owner: Persona
) -> None:
    await _supervisor(session, owner)
    csrf = await log_in(client, "lead@acme.example", owner.password)
    for path, change in READ_ONLY_FOR_SUPERVISORS.items():
        page = await client.get(path)
        assert page.status_code == 200 and 'class="notice read-only"' in page.text, path
        refused = await client.post(change, data={"csrf": csrf, "name": "x"})
        assert refused.status_code == 403, (change, refused.status_code)
    client.cookies.clear()
    await log_in(client, "admin@acme.example", owner.password)
    for path in READ_ONLY_FOR_SUPERVISORS:
        page = await client.get(path)
        assert page.status_code == 200 and 'class="notice read-only"' not in page.text, path
