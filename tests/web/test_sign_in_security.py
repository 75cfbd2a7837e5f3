"""Staff sign-in hardening: password policy, TOTP two-factor (optional; required of admins when
the workspace says so), recovery codes, session list with revoke, idle timeout."""

from __future__ import annotations

import datetime as dt
import re

import httpx
import pyotp
import pytest
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.domains.agents.models import UserSession
from omnidesk.domains.agents.passwords import is_common
from tests.conftest import Persona

SQLITE = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)


async def _csrf(client: httpx.AsyncClient, path: str = "/login") -> str:
    page = await client.get(path)
    found = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert found, page.text[:500]
    return found.group(1)


async def _password(client: httpx.AsyncClient, email: str, password: str) -> httpx.Response:
    return await client.post("/login", data={"email": email, "password": password,
                                             "csrf": await _csrf(client)})


def test_common_passwords_are_recognised_with_their_usual_disguises() -> None:
    assert is_common("password") and is_common("Password123!") and is_common("qwerty2024")
    assert not is_common("correct horse battery") and not is_common("맑은 날 산책 7번")


@SQLITE
async def test_the_password_policy_refuses_short_common_and_personal_passwords(
    client: httpx.AsyncClient, owner: Persona
) -> None:
    for password, reason in (("short1!", "at least"), ("Password123!", "common"),
                             ("iloveyou2024", "common"), ("hannah-kim-2024", "name")):
        response = await client.post("/api/v1/users", headers=owner.headers, json={
            "email": "hannah@acme.example", "name": "Hannah Kim", "password": password})
        assert response.status_code == 422 and reason in response.text, (password, response.text)
    ok = await client.post("/api/v1/users", headers=owner.headers, json={
        "email": "hannah@acme.example", "name": "Hannah Kim", "password": "tidal orchid 47 lamp"})
    assert ok.status_code == 201, ok.text
    # a workspace may ask for longer passwords
    await client.patch("/api/v1/workspace", headers=owner.headers,
                       json={"settings": {"security": {"password_min_length": 24}}})
    longer = await client.patch(f"/api/v1/users/{ok.json()['id']}", headers=owner.headers,
                                json={"password": "tidal orchid 47 lamp"})
    assert longer.status_code == 422 and "24" in longer.text


@SQLITE
async def test_totp_enrolment_login_with_a_code_once_and_recovery_codes(
    client: httpx.AsyncClient, owner: Persona
) -> None:
    email = owner.agent_email
    assert (await _password(client, email, owner.password)).status_code == 303
    csrf = await _csrf(client, "/settings/security")
    setup = await client.post("/settings/security/two-factor/start", data={"csrf": csrf})
    secret = re.search(r"<code data-secret>([A-Z2-7]+)</code>", setup.text)
    assert secret and "<svg" in setup.text, setup.text[:400]
    totp = pyotp.TOTP(secret.group(1))
    wrong = await client.post("/settings/security/two-factor/confirm",
                              data={"csrf": csrf, "code": "000000"})
    assert wrong.status_code == 400
    done = await client.post("/settings/security/two-factor/confirm",
                             data={"csrf": csrf, "code": totp.now()})
    codes = re.findall(r"<li>([a-z2-9]{5}-[a-z2-9]{5})</li>", done.text)
    assert done.status_code == 200 and len(codes) == 10
    me = await client.get("/api/v1/users")
    assert any(u["email"] == email and u["two_factor"] for u in me.json())

    await client.post("/logout", data={"csrf": csrf})
    step = await _password(client, email, owner.password)
    assert step.status_code == 200 and 'action="/login/code"' in step.text
    assert (await client.get("/inbox")).status_code == 303  # not signed in yet
    csrf = re.search(r'name="csrf" value="([^"]+)"', step.text).group(1)  # type: ignore[union-attr]
    bad = await client.post("/login/code", data={"csrf": csrf, "code": "123456"})
    assert bad.status_code == 401
    code = totp.now()
    # the code used to turn it on a moment ago may be the same: it works only once
    good = await client.post("/login/code", data={"csrf": csrf, "code": code})
    if good.status_code == 401:
        good = await client.post("/login/code", data={"csrf": csrf, "code": totp.at(
            dt.datetime.now(dt.UTC) + dt.timedelta(seconds=30))})
    assert good.status_code == 303 and good.headers["location"] == "/inbox"
    csrf = await _csrf(client, "/settings/security")
    await client.post("/logout", data={"csrf": csrf})

    await _password(client, email, owner.password)
    csrf = await _csrf(client)
    replay = await client.post("/login/code", data={"csrf": csrf, "code": good.request.content
                                                     .decode().split("code=")[1]})
    assert replay.status_code == 401  # a code is accepted once
    assert (await client.post("/login/code", data={"csrf": csrf, "code": codes[0]})
            ).status_code == 303
    await client.post("/logout", data={"csrf": await _csrf(client, "/settings/security")})
    await _password(client, email, owner.password)
    again = await client.post("/login/code", data={"csrf": await _csrf(client),
                                                   "code": codes[0]})
    assert again.status_code == 401  # a recovery code works once


@SQLITE
async def test_a_workspace_requiring_two_factor_makes_admins_enrol_at_sign_in(
    client: httpx.AsyncClient, owner: Persona
) -> None:
    admin_email = f"admin@{owner.slug}.example"
    assert (await _password(client, admin_email, owner.password)).status_code == 303
    assert (await client.get("/api/v1/sessions")).status_code == 200
    await client.patch("/api/v1/workspace", headers=owner.headers,
                       json={"settings": {"security": {"require_admin_2fa": True}}})
    # the admin's open session without two-factor no longer works
    assert (await client.get("/api/v1/sessions")).status_code == 401
    enrol = await _password(client, admin_email, owner.password)
    assert 'action="/login/enrol"' in enrol.text and "<svg" in enrol.text
    secret = re.search(r"<code data-secret>([A-Z2-7]+)</code>", enrol.text).group(1)  # type: ignore[union-attr]
    csrf = re.search(r'name="csrf" value="([^"]+)"', enrol.text).group(1)  # type: ignore[union-attr]
    done = await client.post("/login/enrol", data={"csrf": csrf,
                                                   "code": pyotp.TOTP(secret).now()})
    assert done.status_code == 200 and "data-recovery-codes" in done.text
    assert (await client.get("/api/v1/sessions")).status_code == 200
    # agents are not asked
    client.cookies.clear()
    assert (await _password(client, owner.agent_email, owner.password)).status_code == 303


@SQLITE
async def test_sessions_are_listed_and_revoked_everywhere_and_idle_ones_end(
    client: httpx.AsyncClient, session: AsyncSession, owner: Persona
) -> None:
    first = client
    await _password(first, owner.agent_email, owner.password)
    transport = first._transport
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver",
                                 headers={"user-agent": "PhoneBrowser/1.0"}) as second:
        await _password(second, owner.agent_email, owner.password)
        listed = (await first.get("/api/v1/sessions")).json()
        assert len(listed) == 2 and sum(s["current"] for s in listed) == 1
        other = next(s for s in listed if not s["current"])
        assert other["user_agent"] == "PhoneBrowser/1.0"
        assert (await first.delete(f"/api/v1/sessions/{other['id']}")).status_code == 200
        assert (await second.get("/api/v1/sessions")).status_code == 401
        page = await first.get("/settings/security")
        assert "PhoneBrowser" not in page.text and "지금 이 브라우저" in page.text
    # another person's sessions are not theirs to see or end
    assert (await first.get("/api/v1/sessions", params={"user_id": owner.admin.user_id})
            ).status_code == 403
    # idle timeout
    await first.patch("/api/v1/workspace", headers=owner.headers,
                      json={"settings": {"security": {"idle_timeout_minutes": 15}}})
    assert (await first.get("/api/v1/sessions")).status_code == 200
    await session.execute(update(UserSession).values(
        last_seen_at=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=20)))
    await session.commit()
    assert (await first.get("/api/v1/sessions")).status_code == 401
