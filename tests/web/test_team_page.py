"""The team page: an admin invites someone by a signed link that works once, the invitee sets a
password and is signed in; deactivate, reset links, role changes; a person's teams, languages,
skills and capacity, which routing applies at once; agents are refused."""

from __future__ import annotations

import re
from email import message_from_bytes
from email.policy import default

import httpx
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from omnidesk.core.context import system_actor
from omnidesk.domains.agents.models import Team
from omnidesk.domains.agents.service import get_user, get_user_by_email
from omnidesk.domains.routing.service import get_entry
from tests.channels.email.test_email_smtp_end_to_end import Mailbox, smtp_server  # noqa: F401
from tests.conftest import Persona
from tests.domains.routing.routing_setup import make_agent, make_conversation, make_queue
from tests.domains.routing.test_routing_api import routing_dispatcher

PAGE = "/settings/team"


async def _log_in(client: httpx.AsyncClient, email: str, password: str) -> str:
    page = await client.get("/login")
    token = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert token
    await client.post("/login", data={"email": email, "password": password,
                                      "csrf": token.group(1)})
    found = re.search(r'"X-CSRF-Token": "([^"]+)"', (await client.get("/inbox")).text)
    assert found
    return found.group(1)


def _link(html: str) -> str:
    found = re.search(r"<code class=\"secret\" data-link>[^<]*?(/(?:join|reset)/[^<]+)</code>",
                      html)
    assert found
    return found.group(1)


async def _set_password(client: httpx.AsyncClient, path: str, password: str) -> httpx.Response:
    form = await client.get(path)
    csrf = re.search(r'name="csrf" value="([^"]+)"', form.text)
    assert form.status_code == 200 and csrf
    return await client.post(path, data={"csrf": csrf.group(1), "password": password,
                                         "password_confirm": password})


async def test_an_invitee_joins_by_the_link_once_and_signs_in(
    client: httpx.AsyncClient, owner: Persona, session: AsyncSession
) -> None:
    csrf = await _log_in(client, "admin@acme.example", owner.password)
    invited = await client.post(PAGE + "/invite", data={
        "csrf": csrf, "name": "박상담", "invite_email": "park@acme.example", "role": "agent"})
    assert invited.status_code == 200 and "초대됨" in invited.text
    path = _link(invited.text)
    assert path.startswith("/join/")
    client.cookies.clear()
    refused = await _set_password(client, path, "park is my password")
    assert refused.status_code == 422 and 'role="alert"' in refused.text  # the password rules
    joined = await _set_password(client, path, "a fresh secret 123")
    assert joined.status_code == 303 and joined.headers["location"] == "/inbox"
    assert "박상담" in (await client.get("/inbox")).text
    client.cookies.clear()
    assert (await client.get(path)).status_code == 410  # used
    await _log_in(client, "park@acme.example", "a fresh secret 123")
    person = await get_user_by_email(session, workspace_id=owner.workspace_id,
                                     email="park@acme.example")
    assert person is not None and person.role == "agent"


async def test_a_forged_or_foreign_link_is_refused(
    client: httpx.AsyncClient, owner: Persona
) -> None:
    assert (await client.get("/join/bm90IGEgbGluaw")).status_code == 410
    assert (await client.get("/reset/")).status_code in (404, 405)


async def test_deactivate_reset_and_role_changes(
    client: httpx.AsyncClient, owner: Persona, session: AsyncSession
) -> None:
    csrf = await _log_in(client, "admin@acme.example", owner.password)
    agent = await get_user_by_email(session, workspace_id=owner.workspace_id,
                                    email=owner.agent_email)
    assert agent is not None
    reset = await client.post(f"{PAGE}/{agent.id}/reset", data={"csrf": csrf})
    path = _link(reset.text)
    assert path.startswith("/reset/")
    made_supervisor = await client.post(f"{PAGE}/{agent.id}/role",
                                        data={"csrf": csrf, "role": "supervisor"})
    assert made_supervisor.status_code == 303
    off = await client.post(f"{PAGE}/{agent.id}/deactivate", data={"csrf": csrf})
    assert off.status_code == 303 and "비활성" in (await client.get(PAGE)).text
    client.cookies.clear()
    assert (await client.get(path)).status_code == 410  # deactivated people get no reset
    page = await client.get("/login")
    token = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert token
    refused = await client.post("/login", data={"email": owner.agent_email,
                                                "password": owner.password,
                                                "csrf": token.group(1)})
    assert refused.status_code == 401


async def test_a_reset_link_sets_a_new_password_once(
    client: httpx.AsyncClient, owner: Persona, session: AsyncSession
) -> None:
    csrf = await _log_in(client, "admin@acme.example", owner.password)
    agent = await get_user_by_email(session, workspace_id=owner.workspace_id,
                                    email=owner.agent_email)
    assert agent is not None
    path = _link((await client.post(f"{PAGE}/{agent.id}/reset", data={"csrf": csrf})).text)
    client.cookies.clear()
    assert (await _set_password(client, path, "a brand new secret")).status_code == 303
    client.cookies.clear()
    assert (await client.get(path)).status_code == 410
    await _log_in(client, owner.agent_email, "a brand new secret")


async def test_agents_cannot_manage_the_team(
    client: httpx.AsyncClient, owner: Persona
) -> None:
    csrf = await _log_in(client, owner.agent_email, owner.password)
    assert (await client.get(PAGE)).status_code == 403
    invited = await client.post(PAGE + "/invite", data={
        "csrf": csrf, "name": "x", "invite_email": "x@acme.example", "role": "admin"})
    assert invited.status_code == 403 and "data-link" not in invited.text


async def test_the_invitation_and_the_reset_link_are_emailed_through_the_email_inbox(
    client: httpx.AsyncClient, owner: Persona, session: AsyncSession,
    smtp_server: tuple[Mailbox, int]  # noqa: F811
) -> None:
    mailbox, smtp_port = smtp_server
    csrf = await _log_in(client, "admin@acme.example", owner.password)
    without = await client.post(PAGE + "/invite", data={
        "csrf": csrf, "name": "한상담", "invite_email": "han@example.com", "role": "agent"})
    assert "연결된 이메일 인박스가 없어 메일을 보내지 않았습니다" in without.text
    assert mailbox.mails == []
    assert (await client.post("/settings/inboxes/new/email", data={
        "csrf": csrf, "name": "Support mail", "address": "support@example.com",
        "display_name": "Acme 고객센터", "message_id_domain": "mail.example.com",
        "outbound_charset": "utf-8", "use:smtp": "on", "smtp.host": "127.0.0.1",
        "smtp.port": str(smtp_port), "smtp.security": "none",
        "smtp.timeout_seconds": "5"})).status_code == 303

    invited = await client.post(PAGE + "/invite", data={
        "csrf": csrf, "name": "박상담", "invite_email": "park@example.com", "role": "agent"})
    assert invited.status_code == 200 and "data-mailed" in invited.text
    assert "support@example.com" in invited.text
    raw, _, rcpt = mailbox.mails[-1]
    mail = message_from_bytes(raw, policy=default)
    assert rcpt == ["park@example.com"] and "Re:" not in mail["Subject"]
    body = mail.get_content()
    path = _link(invited.text)
    assert path in body and "박상담" in body
    client.cookies.clear()
    joined = await _set_password(client, re.search(r"/join/\S+", body).group(0),  # type: ignore
                                 "a fresh secret 123")
    assert joined.status_code == 303  # the mailed link is the one that works
    client.cookies.clear()

    csrf = await _log_in(client, "admin@acme.example", owner.password)
    park = await get_user_by_email(session, workspace_id=owner.workspace_id,
                                   email="park@example.com")
    assert park is not None
    reset = await client.post(f"{PAGE}/{park.id}/reset", data={"csrf": csrf})
    assert "data-mailed" in reset.text and len(mailbox.mails) == 2
    assert "/reset/" in message_from_bytes(mailbox.mails[-1][0], policy=default).get_content()

    mailbox.fail_next = True  # the relay refuses: the page says so and the link is still there
    again = await client.post(f"{PAGE}/{park.id}/reset", data={"csrf": csrf})
    assert "data-mail-error" in again.text and "/reset/" in again.text


async def test_an_admin_sets_teams_languages_skills_and_capacity_and_routing_follows(
    client: httpx.AsyncClient, owner: Persona, session: AsyncSession,
    session_factory: async_sessionmaker[AsyncSession]
) -> None:
    ws, actor = owner.workspace_id, system_actor(owner.workspace_id)
    dispatcher = routing_dispatcher(session_factory)
    await make_queue(session, ws, "설치", is_default=True, required_skills={"installation": 3})
    agent = await make_agent(session, actor, "kim", capacity={"chat": 0}, languages=("en",))
    team = Team(workspace_id=ws, name="설치팀", members=[])
    session.add(team)
    await session.flush()
    team_id = team.id
    conv_id, _ = await make_conversation(session, actor)
    await session.commit()
    await dispatcher.drain()
    entry = await get_entry(session, workspace_id=ws, conversation_id=conv_id)
    assert entry is not None and entry.status == "waiting"  # no skill, no room

    csrf = await _log_in(client, "admin@acme.example", owner.password)
    listing = await client.get(PAGE)
    assert f'href="/settings/team/{agent}"' in listing.text
    form = await client.get(f"{PAGE}/{agent}")
    assert form.status_code == 200 and "동시 처리 대화 수" in form.text
    good = {"csrf": csrf, "team_ids": [str(team_id)], "languages": ["ko", "en"],
            "capacity_chat": "2", "capacity_voice": "1", "capacity_email": "4",
            "new_skill": "installation", "new_skill_level": "4"}
    # bad input is said in words and nothing is stored
    for change, words in (({"languages": []}, "언어를 하나 이상 고르세요"),
                          ({"capacity_chat": "99"}, "0에서 50 사이의 정수"),
                          ({"capacity_email": "two"}, "0에서 50 사이의 정수"),
                          ({"team_ids": ["999999"]}, "team 999999")):
        refused = await client.post(f"{PAGE}/{agent}", data={**good, **change})
        assert refused.status_code == 422 and words in refused.text, refused.text
    session.expire_all()
    person = await get_user(session, workspace_id=ws, user_id=agent)
    assert person.languages == ["en"] and person.skills == [] and person.memberships == []

    saved = await client.post(f"{PAGE}/{agent}", data=good)
    assert saved.status_code == 303
    shown = await client.get(saved.headers["location"])
    assert "저장했습니다" in shown.text and 'name="capacity_chat" min="0" max="50" required ' \
        'value="2"' in shown.text
    session.expire_all()
    person = await get_user(session, workspace_id=ws, user_id=agent)
    assert sorted(person.languages) == ["en", "ko"]
    assert {(s.skill.name, s.level) for s in person.skills} == {("installation", 4)}
    assert [m.team_id for m in person.memberships] == [team_id]
    assert person.capacity["chat"] == 2 and person.capacity["email"] == 4
    await dispatcher.drain()  # routing applies the change at once: the waiting chat is offered
    entry = await get_entry(session, workspace_id=ws, conversation_id=conv_id)
    assert entry is not None and (entry.status, entry.agent_id) == ("assigned", agent)

    # the skill now exists: its level is a choice; "" takes it away, teams can be emptied
    skill = person.skills[0].skill_id
    again = await client.post(f"{PAGE}/{agent}", data={
        **{k: v for k, v in good.items() if k not in ("new_skill", "team_ids")},
        f"skill_{skill}": ""})
    assert again.status_code == 303
    session.expire_all()
    person = await get_user(session, workspace_id=ws, user_id=agent)
    assert person.skills == [] and person.memberships == []


async def test_only_admins_edit_a_person_and_only_in_their_workspace(
    client: httpx.AsyncClient, owner: Persona, outsider: Persona
) -> None:
    csrf = await _log_in(client, owner.agent_email, owner.password)
    me = owner.agent.user_id
    assert (await client.get(f"{PAGE}/{me}")).status_code == 403
    refused = await client.post(f"{PAGE}/{me}", data={
        "csrf": csrf, "languages": ["ko"], "capacity_chat": "50", "capacity_voice": "1",
        "capacity_email": "5"})
    assert refused.status_code == 403
    client.cookies.clear()
    csrf = await _log_in(client, "admin@acme.example", owner.password)
    foreign = outsider.admin.user_id
    assert (await client.get(f"{PAGE}/{foreign}")).status_code == 404
    assert (await client.post(f"{PAGE}/{foreign}", data={
        "csrf": csrf, "languages": ["ko"], "capacity_chat": "1", "capacity_voice": "1",
        "capacity_email": "1"})).status_code == 404
