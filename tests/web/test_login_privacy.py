"""Login and user creation reveal no account of another workspace (issue 12 item 8).

Staff emails are unique per workspace, so one workspace creating a user never learns that the
email works elsewhere; login spends the same password-hash work whether or not the email exists.
"""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest
from argon2 import PasswordHasher

from tests.conftest import Persona


@pytest.fixture
def hash_checks(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record every argon2 verification (the expensive step of a login)."""
    calls: list[str] = []
    real = PasswordHasher.verify

    def spy(self: PasswordHasher, hash: Any, password: Any) -> bool:
        calls.append(str(hash)[:9])
        return real(self, hash, password)

    monkeypatch.setattr(PasswordHasher, "verify", spy)
    return calls


async def _post_login(client: httpx.AsyncClient, email: str, password: str) -> httpx.Response:
    page = await client.get("/login")
    csrf = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert csrf
    return await client.post("/login", data={"email": email, "password": password,
                                             "csrf": csrf.group(1)})


async def test_an_unknown_email_costs_one_password_hash_check_like_a_known_one(
    client: httpx.AsyncClient, owner: Persona, hash_checks: list[str]
) -> None:
    unknown = await _post_login(client, "nobody@acme.example", "whatever password")
    assert unknown.status_code == 401
    assert hash_checks == ["$argon2id"]
    known = await _post_login(client, owner.agent_email, "wrong password")
    assert known.status_code == 401
    assert "Wrong email or password" in unknown.text and "Wrong email or password" in known.text
    assert hash_checks == ["$argon2id", "$argon2id"]


async def test_a_deactivated_account_also_costs_one_hash_check(
    client: httpx.AsyncClient, owner: Persona, hash_checks: list[str]
) -> None:
    agent = owner.agent.user_id
    deactivated = await client.patch(f"/api/v1/users/{agent}", headers=owner.headers,
                                     json={"is_active": False})
    assert deactivated.status_code == 200
    refused = await _post_login(client, owner.agent_email, owner.password)
    assert refused.status_code == 401 and hash_checks == ["$argon2id"]


async def test_creating_a_user_with_another_workspaces_staff_email_reveals_nothing(
    client: httpx.AsyncClient, owner: Persona, outsider: Persona
) -> None:
    body = {"email": outsider.agent_email, "name": "겸직 상담원", "password": "own password 1"}
    created = await client.post("/api/v1/users", headers=owner.headers, json=body)
    assert created.status_code == 201, created.text
    again = await client.post("/api/v1/users", headers=owner.headers, json=body)
    assert again.status_code == 409 and "already exists" in again.json()["message"]
    theirs = await client.get("/api/v1/users", headers=outsider.headers)
    assert [u["name"] for u in theirs.json() if u["email"] == outsider.agent_email] == [
        "에이전트"]


async def test_one_email_in_two_workspaces_logs_in_where_the_password_fits(
    client: httpx.AsyncClient, owner: Persona, outsider: Persona
) -> None:
    await client.post("/api/v1/users", headers=owner.headers, json={
        "email": outsider.agent_email, "name": "겸직 상담원", "password": "own password 1"})
    into_acme = await _post_login(client, outsider.agent_email, "own password 1")
    assert into_acme.status_code == 303
    me = await client.get("/api/v1/workspace")
    assert me.json()["slug"] == owner.slug


async def test_the_same_password_in_two_workspaces_asks_which_one_to_enter(
    client: httpx.AsyncClient, owner: Persona, outsider: Persona
) -> None:
    await client.post("/api/v1/users", headers=owner.headers, json={
        "email": outsider.agent_email, "name": "겸직 상담원", "password": outsider.password})
    chooser = await _post_login(client, outsider.agent_email, outsider.password)
    assert chooser.status_code == 200
    choices = {slug: uid for uid, slug in re.findall(
        r'name="account" value="(\d+)"[^>]*data-workspace="([^"]+)"', chooser.text)}
    assert set(choices) == {owner.slug, outsider.slug}
    assert (await client.get("/api/v1/workspace")).status_code == 401
    csrf = re.search(r'name="csrf" value="([^"]+)"', chooser.text)
    assert csrf
    chosen = await client.post("/login/account", data={"account": choices[outsider.slug],
                                                       "csrf": csrf.group(1)})
    assert chosen.status_code == 303
    assert (await client.get("/api/v1/workspace")).json()["slug"] == outsider.slug


async def test_an_account_not_offered_by_the_chooser_cannot_be_picked(
    client: httpx.AsyncClient, owner: Persona, outsider: Persona
) -> None:
    page = await client.get("/login")
    csrf = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert csrf
    forged = await client.post("/login/account", data={"account": str(owner.admin.user_id),
                                                       "csrf": csrf.group(1)})
    assert forged.status_code == 401
    assert (await client.get("/api/v1/workspace")).status_code == 401
