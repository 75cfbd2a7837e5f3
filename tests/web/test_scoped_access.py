"""Scoped access: a staff member limited to their teams sees no other team's conversation or
customer on any route. The walk takes every route from the app's own route table, so a route
added later is walked too; it fails when a response carries the other team's data."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.routing import APIRoute
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.core.context import Actor
from omnidesk.core.errors import NotFound
from omnidesk.core.files import store_file
from omnidesk.domains.agents.actions import (
    do_create_role,
    do_create_team,
    do_create_user,
    do_start_session,
    do_update_user,
)
from omnidesk.domains.agents.schemas import RoleCreate, TeamCreate, UserCreate, UserUpdate
from omnidesk.domains.agents.service import authenticate_session, get_user
from omnidesk.domains.commerce.models import Order
from omnidesk.domains.conversations.actions import do_assign, do_receive_inbound
from omnidesk.domains.conversations.schemas import Attachment, InboundMessage
from omnidesk.domains.conversations.service import (
    ConversationFilter,
    access_conversation,
    access_customer,
    list_conversations,
)
from tests.conftest import Persona

PASSWORD = "correct horse battery"
FOREIGN = ("Zebulon Outofscope", "zebulon.outofscope@example.net", "9876 5432",
           "FOREIGNMARKER7731", "FOREIGNSUBJECT")
# Not staff routes: login/logout (the walk keeps its session), the visitor's widget, signed
# provider webhooks, the public help center and demo store, the API docs, static files.
SKIP = re.compile(r"^/(login|logout|widget|webhooks|channels/.+/webhook|help/|demo/|api/docs|"
                  r"api/openapi|docs/|static|healthz|ws$)|/commerce/webhooks/")


async def _world(session: AsyncSession, owner: Persona,
                 upload_dir: Path | None = None) -> dict[str, Any]:
    """Two teams, a conversation in each (the foreign one with a file), a limited agent in A."""
    admin = owner.admin
    files: dict[str, list[Attachment]] = {"home": [], "foreign": []}
    if upload_dir is not None:
        stored = store_file(upload_dir, owner.workspace_id, PNG, content_type="image/png",
                            name="scan.png", max_bytes=1 << 20)
        files["foreign"] = [Attachment(name=stored.name, content_type=stored.content_type,
                                       size=stored.size, url=stored.url, storage_key=stored.key)]
    team_a = await do_create_team(session, actor=admin, team_in=TeamCreate(name="A팀"))
    team_b = await do_create_team(session, actor=admin, team_in=TeamCreate(name="B팀"))
    ids: dict[str, Any] = {"team_a": team_a.id, "team_b": team_b.id}
    for key, team, name, email, phone, text, subject in (
        ("home", team_a, "Hannah Hometeam", "hannah@example.org", "+82 10 1111 2222",
         "HOMEMARKER", "HOMESUBJECT"),
        ("foreign", team_b, FOREIGN[0], FOREIGN[1], "+82 10 " + FOREIGN[2], FOREIGN[3],
         FOREIGN[4]),
    ):
        message = await do_receive_inbound(session, workspace_id=owner.workspace_id,
                                           inbound=InboundMessage(
            channel="web", identity_kind="web_visitor", identity_value=f"v-{key}",
            customer_name=name, customer_email=email, customer_phone=phone, text=text,
            attachments=files[key]))
        conv = await access_conversation(session, actor=admin,
                                         conversation_id=message.conversation_id)
        conv.subject = subject
        await do_assign(session, conv=conv, assignee_id=None, team_id=team.id)
        ids[f"{key}_conv"], ids[f"{key}_customer"] = conv.id, conv.customer_id
        ids[f"{key}_message"] = message.id
        ids[f"{key}_file"] = files[key][0].storage_key.split("/")[1] if files[key] else "x.png"
    session.add(Order(workspace_id=owner.workspace_id, external_id="ORD-FOREIGN-1",
                      customer_id=ids["foreign_customer"], status="pending"))
    limited = await do_create_user(session, actor=admin, user_in=UserCreate(
        email="limited@acme.example", name="Limited", password=PASSWORD, role="agent",
        team_ids=[team_a.id], scope_limited=True))
    role = await do_create_role(session, actor=admin, role_in=RoleCreate(
        name="Team lead", base_role="supervisor", permissions=["audit.read"]))
    lead = await do_create_user(session, actor=admin, user_in=UserCreate(
        email="lead@acme.example", name="Lead", password=PASSWORD, role="agent",
        team_ids=[team_a.id], role_id=role.id, scope_limited=True))
    supervisor = await do_create_user(session, actor=admin, user_in=UserCreate(
        email="sup@acme.example", name="Sup", password=PASSWORD, role="supervisor"))
    await session.commit()
    ids.update(limited=limited.id, lead=lead.id, supervisor=supervisor.id)
    return ids


def _routes(app: Any) -> Iterator[tuple[str, str, APIRoute]]:
    found = []
    for route in app.routes:
        found += getattr(getattr(route, "original_router", None), "routes", None) or [route]
    for route in found:
        if isinstance(route, APIRoute) and not SKIP.search(route.path):
            for method in sorted(route.methods - {"HEAD"}):
                yield method, route.path, route


def _path(path: str, ids: dict[str, Any], workspace_id: int) -> str:
    values = {"conversation_id": ids["foreign_conv"], "customer_id": ids["foreign_customer"],
              "number": "ORD-FOREIGN-1", "message_id": ids["foreign_message"],
              "user_id": ids["limited"], "workspace_id": workspace_id, "kind": "web",
              "name": ids["foreign_file"], "team_id": ids["team_b"], "session_id": 999999}
    return re.sub(r"\{(\w+)(:\w+)?\}", lambda m: str(values.get(m.group(1), 1)), path)


def _example(schema: dict[str, Any], spec: dict[str, Any], depth: int = 0) -> Any:
    """Build a small valid value for a JSON schema (required fields only)."""
    if "$ref" in schema:
        schema = spec["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    for key in ("anyOf", "oneOf", "allOf"):
        if key in schema:
            options = [s for s in schema[key] if s.get("type") != "null"]
            return _example(options[0], spec, depth + 1) if options else None
    if "enum" in schema:
        return schema["enum"][0]
    kind = schema.get("type")
    if kind == "object" and depth < 6:
        props = schema.get("properties", {})
        return {k: _example(props.get(k, {}), spec, depth + 1) for k in schema.get("required", [])}
    if kind == "array":
        item = _example(schema.get("items", {}), spec, depth + 1)
        return [item] * max(schema.get("minItems", 0), 0)
    if kind == "string":
        if schema.get("format") == "email":
            return "walker@example.com"
        return "x" * max(schema.get("minLength", 1), 1)
    if kind in {"integer", "number"}:
        return max(schema.get("minimum", 1), 1)
    return False if kind == "boolean" else None


def _body(method: str, path: str, route: APIRoute, spec: dict[str, Any]) -> dict[str, Any]:
    if method in {"GET", "DELETE"}:
        return {}
    operation = spec["paths"].get(path, {}).get(method.lower())
    if operation is not None:
        content = (operation.get("requestBody") or {}).get("content", {})
        if "application/json" in content:
            return {"json": _example(content["application/json"]["schema"], spec)}
        if content:
            schema = next(iter(content.values()))["schema"]
            return {"data": {k: str(v) for k, v in (_example(schema, spec) or {}).items()}}
        return {}
    fields = {p.name: "1" for p in route.dependant.body_params}
    return {"data": fields} if fields else {}


async def _login(client: httpx.AsyncClient, email: str) -> str:
    page = await client.get("/login")
    csrf = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert csrf
    done = await client.post("/login", data={"email": email, "password": PASSWORD,
                                             "csrf": csrf.group(1)})
    assert done.status_code == 303, done.text
    inbox = await client.get("/inbox")
    token = re.search(r'"X-CSRF-Token": "([^"]+)"', inbox.text)
    assert token, inbox.text[:300]
    return token.group(1)


def _leaks(text: str) -> list[str]:
    return [marker for marker in FOREIGN if marker.lower() in text.lower()]


# {name}: the foreign conversation's attachment (the only route naming a stored file)
FOREIGN_PARAM = re.compile(r"\{(conversation_id|customer_id|number|name)\}")
PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06"
       b"\x00\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01"
       b"\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")


async def test_a_team_limited_agent_gets_404_for_another_teams_work_on_every_route(
    client: httpx.AsyncClient, session: AsyncSession, owner: Persona
) -> None:
    app = client.app  # type: ignore[attr-defined]
    ids = await _world(session, owner, app.state.settings.upload_dir)
    spec = app.openapi()
    problems: list[str] = []
    walked = 0
    # a limited agent walks every route; a limited custom-role lead, those naming an object
    for email, every in (("limited@acme.example", True), ("lead@acme.example", False)):
        client.cookies.clear()
        csrf = await _login(client, email)
        # the positive control: their own team's conversation is there
        mine = await client.get("/api/v1/conversations")
        assert "HOMESUBJECT" in mine.text and not _leaks(mine.text), mine.text
        for method, path, route in _routes(app):
            if not every and not FOREIGN_PARAM.search(path):
                continue
            url = _path(path, ids, owner.workspace_id)
            response = await client.request(method, url, headers={"X-CSRF-Token": csrf},
                                             **_body(method, path, route, spec))
            walked += 1
            foreign_param = FOREIGN_PARAM.search(path)
            if response.status_code >= 500:
                problems.append(f"{email} {method} {path}: {response.status_code}")
            elif leaked := _leaks(response.text):
                problems.append(f"{email} {method} {path} leaks {leaked}")
            elif foreign_param and response.status_code < 400:
                problems.append(f"{email} {method} {path}: {response.status_code}, not refused")
            elif foreign_param and method == "GET" and response.status_code not in (403, 404):
                # 404 out of scope; 403 where the role lacks the permission for any id
                problems.append(f"{email} {method} {path}: {response.status_code}, not 404")
        assert (await client.get("/api/v1/conversations")).status_code == 200  # still signed in
    assert walked > 150 + 30, walked
    # every unlimited role reads the other team's work on the same routes
    for email in (f"admin@{owner.slug}.example", "sup@acme.example", owner.agent_email):
        client.cookies.clear()
        csrf = await _login(client, email)
        for method, path, _route in _routes(app):
            if method != "GET" or not FOREIGN_PARAM.search(path):
                continue
            url = _path(path, ids, owner.workspace_id)
            response = await client.get(url, headers={"X-CSRF-Token": csrf})
            if response.status_code >= 500 or response.status_code == 404:
                problems.append(f"{email} GET {path}: {response.status_code}")
        conv = await client.get(f"/api/v1/conversations/{ids['foreign_conv']}")
        customer = await client.get(f"/api/v1/customers/{ids['foreign_customer']}")
        assert conv.status_code == customer.status_code == 200, (email, conv.text)
        assert FOREIGN[0] in customer.text
    assert not problems, "\n".join(problems)


async def test_the_scope_follows_teams_inboxes_and_assignments(
    session: AsyncSession, owner: Persona
) -> None:
    ids = await _world(session, owner)
    admin = owner.admin
    user = await get_user(session, workspace_id=owner.workspace_id, user_id=ids["limited"])
    key = await do_start_session(session, user=user)
    await session.commit()
    actor = await authenticate_session(session, key=key)
    assert actor is not None and actor.scope is not None
    assert actor.scope.team_ids == {ids["team_a"]}
    rows = await list_conversations(session, actor=actor, flt=ConversationFilter(), cursor=None,
                                    limit=50)
    assert [c.id for c in rows] == [ids["home_conv"]]
    with pytest.raises(NotFound):
        await access_customer(session, actor=actor, customer_id=ids["foreign_customer"])
    # assigned to them: visible, whatever its team
    foreign = await access_conversation(session, actor=admin, conversation_id=ids["foreign_conv"])
    await do_assign(session, conv=foreign, assignee_id=ids["limited"], team_id=ids["team_b"])
    await session.commit()
    assert (await access_customer(session, actor=actor, customer_id=ids["foreign_customer"]))
    # lifting the limit shows the whole workspace again
    await do_update_user(session, actor=admin, user_id=ids["limited"],
                         user_in=UserUpdate(scope_limited=False))
    await session.commit()
    unlimited = await authenticate_session(session, key=key)
    assert unlimited is not None and unlimited.scope is None
    lead = Actor(owner.workspace_id, ids["lead"], "supervisor")
    assert lead.can("pii.reveal") and not lead.can("audit.read")
