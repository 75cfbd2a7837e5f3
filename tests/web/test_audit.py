"""The audit log: administrative changes carry before/after with secrets redacted; admins (and
roles holding audit.read) read it by API and page with filters; nothing alters a record."""

from __future__ import annotations

import httpx
import pytest
from fastapi.routing import APIRoute
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.core.audit import AuditEntry, AuditFilter, AuditImmutable, audit, list_audit, redact
from omnidesk.domains.agents.actions import do_create_api_token, do_create_role
from omnidesk.domains.agents.schemas import ApiTokenCreate, RoleCreate
from tests.conftest import Persona


def test_secrets_are_redacted_at_any_depth() -> None:
    data = {"name": "x", "sealed_settings": "abc", "inner": {"api_key": "k", "Password": "p",
                                                             "token_hash": "h", "keep": 1}}
    assert redact(data) == {"name": "x", "sealed_settings": "[redacted]", "inner": {
        "api_key": "[redacted]", "Password": "[redacted]", "token_hash": "[redacted]",
        "keep": 1}}


async def test_admin_changes_are_audited_with_before_and_after_and_read_by_api_and_page(
    client: httpx.AsyncClient, session: AsyncSession, owner: Persona
) -> None:
    api, h = client, owner.headers
    assert (await api.patch("/api/v1/workspace", headers=h, json={"name": "Acme Store"})
            ).status_code == 200
    role = await api.post("/api/v1/roles", headers=h, json={
        "name": "감사 담당", "base_role": "agent", "permissions": ["audit.read"]})
    assert role.status_code == 201, role.text
    queue = await api.post("/api/v1/routing/queues", headers=h, json={"name": "배송"})
    rule = await api.post("/api/v1/routing/rules", headers=h, json={
        "name": "delivery", "queue_id": queue.json()["id"]})
    assert (await api.patch(f"/api/v1/routing/rules/{rule.json()['id']}", headers=h,
                            json={"name": "delivery words"})).status_code == 200
    agent_id = owner.agent.user_id
    assert (await api.patch(f"/api/v1/users/{agent_id}", headers=h, json={
        "role_id": role.json()["id"], "password": "another long secret"})).status_code == 200

    page = await api.get("/api/v1/audit", headers=h, params={"limit": 100})
    assert page.status_code == 200, page.text
    records = {r["action"]: r for r in page.json()["items"]}
    assert {"workspace.updated", "role.created", "routing.queue_created",
            "routing.rule_updated", "user.updated"} <= set(records)
    assert records["workspace.updated"]["data"]["before"]["name"] == "acme"
    assert records["workspace.updated"]["data"]["after"]["name"] == "Acme Store"
    assert records["routing.rule_updated"]["data"]["after"] == {"name": "delivery words"}
    user_change = records["user.updated"]["data"]
    assert user_change["after"]["role_id"] == role.json()["id"]
    assert "another long secret" not in page.text and "password_hash" not in page.text
    only = await api.get("/api/v1/audit", headers=h, params={"action": "routing."})
    assert {r["action"] for r in only.json()["items"]} == {
        "routing.queue_created", "routing.rule_created", "routing.rule_updated"}

    # an agent may not read it; the same agent with a role holding audit.read may
    _, agent_token = await do_create_api_token(session, actor=owner.agent.__class__(
        owner.workspace_id, agent_id, "admin"), token_in=ApiTokenCreate(name="a", role="agent"))
    await session.commit()
    as_agent = {"Authorization": f"Bearer {agent_token}"}
    assert (await api.get("/api/v1/audit", headers=as_agent)).status_code == 200
    assert (await api.patch(f"/api/v1/users/{agent_id}", headers=h,
                            json={"role_id": None})).status_code == 200
    assert (await api.get("/api/v1/audit", headers=as_agent)).status_code == 403

    # the page, logged in as the admin, filters by action
    login = await api.get("/login")
    csrf = login.text.split('name="csrf" value="')[1].split('"')[0]
    await api.post("/login", data={"email": f"admin@{owner.slug}.example",
                                   "password": owner.password, "csrf": csrf})
    shown = await api.get("/settings/audit", params={"action": "role.created"})
    assert shown.status_code == 200 and "role.created" in shown.text
    assert "routing.rule_updated</strong>" not in shown.text and "감사 담당" in shown.text


def test_no_route_alters_audit_records() -> None:
    from omnidesk.app.main import create_app
    from omnidesk.config import Settings

    app = create_app(Settings(database_url="sqlite+aiosqlite://", secret_key="x"))
    routes = []
    for route in app.routes:
        routes += getattr(getattr(route, "original_router", None), "routes", None) or [route]
    audit_routes = [(r.path, r.methods) for r in routes
                    if isinstance(r, APIRoute) and "audit" in r.path]
    assert audit_routes and all(m <= {"GET", "HEAD"} for _, m in audit_routes), audit_routes


async def test_the_session_refuses_to_change_or_delete_a_record(
    session: AsyncSession, owner: Persona
) -> None:
    await do_create_role(session, actor=owner.admin, role_in=RoleCreate(name="r"))
    audit(session, workspace_id=owner.workspace_id, action="test.done", data={"n": 1})
    await session.commit()
    rows = await list_audit(session, workspace_id=owner.workspace_id,
                            flt=AuditFilter(action="role.created"), cursor=None, limit=10)
    assert [r.action for r in rows] == ["role.created"]
    entry = await session.scalar(select(AuditEntry).where(AuditEntry.action == "test.done"))
    assert entry is not None
    entry.data = {"n": 2}
    with pytest.raises(AuditImmutable):
        await session.flush()
    await session.rollback()
    entry = await session.scalar(select(AuditEntry).where(AuditEntry.action == "test.done"))
    await session.delete(entry)
    with pytest.raises(AuditImmutable):
        await session.flush()
