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
