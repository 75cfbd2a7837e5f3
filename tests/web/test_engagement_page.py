"""The proactive engagement settings page: campaigns with reports, adding one, clear refusals."""

from __future__ import annotations

import re

import httpx

from tests.conftest import Persona


async def _login_admin(client: httpx.AsyncClient, owner: Persona) -> str:
    page = await client.get("/login")
    csrf = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert csrf
    await client.post("/login", data={"email": f"admin@{owner.slug}.example",
                                      "password": owner.password, "csrf": csrf.group(1)})
    settings = await client.get("/settings/engagement")
    assert settings.status_code == 200, settings.text[:300]
    token = re.search(r'name="csrf" value="([^"]+)"', settings.text)
    assert token
    return token.group(1)


async def test_an_admin_adds_a_campaign_and_sees_its_report(client: httpx.AsyncClient,
                                                            owner: Persona) -> None:
    csrf = await _login_admin(client, owner)
    answer = await client.post("/settings/engagement/campaigns", data={
        "csrf": csrf, "name": "결제 오류 도움", "purpose": "service", "trigger_kind": "event",
        "event": "checkout", "only_errors": "on", "action_kind": "widget",
        "text": "결제에 문제가 있으셨나요?"})
    assert answer.status_code == 303
    page = await client.get("/settings/engagement")
    assert "결제 오류 도움" in page.text and "21:00" in page.text
    refused = await client.post("/settings/engagement/campaigns", data={
        "csrf": csrf, "name": "광고 알림톡", "purpose": "marketing", "trigger_kind": "cart_idle",
        "action_kind": "alimtalk", "text": "x"})
    assert refused.status_code == 422 and "알림톡" in refused.text
    campaigns = (await client.get("/api/v1/engagement/campaigns",
                                  headers=owner.headers)).json()
    assert [c["name"] for c in campaigns] == ["결제 오류 도움"]
    toggled = await client.post(f"/settings/engagement/campaigns/{campaigns[0]['id']}/toggle",
                                data={"csrf": csrf})
    assert toggled.status_code == 303
    assert (await client.get("/api/v1/engagement/campaigns",
                             headers=owner.headers)).json()[0]["enabled"] is False
