"""Each person edits their own profile: name, language and password (which needs the current one)."""

from __future__ import annotations

import re

import httpx

from tests.conftest import Persona


async def _log_in(client: httpx.AsyncClient, email: str, password: str) -> str:
    page = await client.get("/login")
    token = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert token
    await client.post("/login", data={"email": email, "password": password,
                                      "csrf": token.group(1)})
    found = re.search(r'"X-CSRF-Token": "([^"]+)"', (await client.get("/profile")).text)
    assert found
    return found.group(1)


async def test_an_agent_renames_switches_language_and_changes_password(
    client: httpx.AsyncClient, owner: Persona
) -> None:
    csrf = await _log_in(client, owner.agent_email, owner.password)
    wrong = await client.post("/profile", data={
        "csrf": csrf, "name": "새이름", "locale": "ko", "current_password": "not it",
        "new_password": "another good secret", "new_password_confirm": "another good secret"})
    assert wrong.status_code == 422 and "현재 비밀번호가 맞지 않습니다" in wrong.text
    saved = await client.post("/profile", data={
        "csrf": csrf, "name": "새이름", "locale": "en", "current_password": owner.password,
        "new_password": "another good secret", "new_password_confirm": "another good secret"})
    assert saved.status_code == 303
    page = await client.get("/profile")
    assert 'value="새이름"' in page.text and "My profile" in page.text
    client.cookies.clear()
    await _log_in(client, owner.agent_email, "another good secret")


async def test_notification_settings_are_kept_on_the_agent_and_shown_in_the_bell_menu(
    client: httpx.AsyncClient, owner: Persona
) -> None:
    csrf = await _log_in(client, owner.agent_email, owner.password)
    page = await client.get("/profile")
    assert re.search(r'name="sound" value="1" data-notify="sound" checked', page.text)
    assert not re.search(r'data-notify="desktop" checked', page.text)  # off until asked
    # The bell menu saves as it changes (fetch: 204); unticked boxes are off.
    saved = await client.post("/profile/notifications", headers={"X-Requested-With": "fetch"},
                              data={"csrf": csrf, "desktop": "1", "title": "1", "mention": "1"})
    assert saved.status_code == 204
    inbox = (await client.get("/inbox")).text
    assert re.search(r'data-notify="desktop" checked', inbox)
    assert not re.search(r'data-notify="sound" checked', inbox)
    assert not re.search(r'data-notify="assigned" checked', inbox)
    assert re.search(r'data-notify="mention" checked', inbox)
    # The profile page's form goes back to the page; another browser sees the same settings.
    back = await client.post("/profile/notifications", data={"csrf": csrf, "sound": "1",
                                                              "assigned": "1", "sla": "1"})
    assert back.status_code == 303 and back.headers["location"] == "/profile?saved=1"
    client.cookies.clear()
    await _log_in(client, owner.agent_email, owner.password)
    again = (await client.get("/profile")).text
    assert re.search(r'data-notify="sound" checked', again)
    assert re.search(r'data-notify="sla" checked', again)
    assert not re.search(r'data-notify="desktop" checked', again)
    refused = await client.post("/profile/notifications", data={"sound": "1"})
    assert refused.status_code == 403  # no CSRF token
