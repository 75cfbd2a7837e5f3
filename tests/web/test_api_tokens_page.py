"""The API tokens page: an admin creates a token (shown once), sees it used, revokes it; agents
are refused."""

from __future__ import annotations

import re

import httpx

from tests.conftest import Persona

PAGE = "/settings/api-tokens"


async def _log_in(client: httpx.AsyncClient, email: str, password: str) -> str:
    page = await client.get("/login")
    token = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert token
    await client.post("/login", data={"email": email, "password": password,
                                      "csrf": token.group(1)})
    found = re.search(r'"X-CSRF-Token": "([^"]+)"', (await client.get(PAGE)).text)
    assert found
    return found.group(1)


async def test_an_admin_creates_uses_and_revokes_a_token(
    client: httpx.AsyncClient, owner: Persona
) -> None:
    csrf = await _log_in(client, "admin@acme.example", owner.password)
    made = await client.post(PAGE, data={"csrf": csrf, "name": "주문 시스템",
                                         "role": "supervisor"})
    assert made.status_code == 200
    found = re.search(r"<code class=\"secret\" data-token>([^<]+)</code>", made.text)
    assert found and "주문 시스템" in made.text
    token = found.group(1)
    again = await client.get(PAGE)
    assert token not in again.text and "주문 시스템" in again.text  # shown once
    row = re.search(r'data-token-id="(\d+)"[^>]*>\s*<td>주문 시스템', again.text)
    assert row and "사용 안 함" in again.text.split(row.group(0))[1].split("</tr>")[0]

    api = await client.get("/api/v1/users", headers={"Authorization": f"Bearer {token}"})
    assert api.status_code == 200
    used = (await client.get(PAGE)).text.split(row.group(0))[1].split("</tr>")[0]
    assert "사용 안 함" not in used and "매니저" in used

    revoked = await client.post(f"{PAGE}/{row.group(1)}/revoke", data={"csrf": csrf})
    assert revoked.status_code == 303
    refused = await client.get("/api/v1/users", headers={"Authorization": f"Bearer {token}"})
    assert refused.status_code == 401
    assert "폐기됨" in (await client.get(PAGE)).text


async def test_a_blank_name_is_refused_on_the_page(
    client: httpx.AsyncClient, owner: Persona
) -> None:
    csrf = await _log_in(client, "admin@acme.example", owner.password)
    blank = await client.post(PAGE, data={"csrf": csrf, "name": " ", "role": "agent"})
    assert blank.status_code == 422 and 'role="alert"' in blank.text
    assert 'data-token>' not in blank.text


async def test_agents_cannot_see_or_make_tokens(
    client: httpx.AsyncClient, owner: Persona
) -> None:
    page = await client.get("/login")
    token = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert token
    await client.post("/login", data={"email": owner.agent_email, "password": owner.password,
                                      "csrf": token.group(1)})
    inbox = await client.get("/inbox")
    csrf = re.search(r'"X-CSRF-Token": "([^"]+)"', inbox.text)
    assert csrf
    assert (await client.get(PAGE)).status_code == 403
    made = await client.post(PAGE, data={"csrf": csrf.group(1), "name": "x", "role": "admin"})
    assert made.status_code == 403 and "data-token>" not in made.text
    assert 'href="/settings/api-tokens"' not in (await client.get("/settings/security")).text
