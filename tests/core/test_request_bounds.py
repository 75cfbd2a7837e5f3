"""Poison input answers 4xx: non-finite JSON, ids and cursors past 64 bits, methods not allowed."""

from __future__ import annotations

import re

import pytest

from omnidesk.core.pagination import encode_cursor

HUGE = 2**64 + 5


async def _customer(client, owner) -> int:
    created = await client.post("/api/v1/customers", headers=owner.headers,
                                json={"name": "이영희", "attributes": {"plan": "gold"}})
    assert created.status_code == 201, created.text
    return created.json()["id"]


async def test_nan_infinity_and_overflowing_numbers_in_json_are_refused(client, owner) -> None:
    customer_id = await _customer(client, owner)
    url = f"/api/v1/customers/{customer_id}"
    for literal in ("NaN", "Infinity", "-Infinity", "1e400", str(HUGE)):
        body = '{"attributes": {"score": ' + literal + "}}"
        refused = await client.patch(url, headers={**owner.headers,
                                                   "Content-Type": "application/json"},
                                     content=body)
        assert refused.status_code == 422, (literal, refused.text)
        assert "JSON decode error" in refused.json()["message"], refused.text
    created = await client.post("/api/v1/customers", headers={
        **owner.headers, "Content-Type": "application/json"}, content='{"attributes": {"x": NaN}}')
    assert created.status_code == 422
    not_utf8 = await client.patch(url, headers={**owner.headers,
                                                "Content-Type": "application/json"},
                                  content=b'{"name": "\xff"}')
    assert not_utf8.status_code == 422, not_utf8.text
    read = await client.get(url, headers=owner.headers)
    assert read.status_code == 200 and read.json()["attributes"] == {"plan": "gold"}
    assert (await client.get("/api/v1/customers", headers=owner.headers)).status_code == 200


async def test_ids_beyond_64_bits_or_below_one_are_422_in_path_query_and_body(
    client, owner
) -> None:
    customer_id = await _customer(client, owner)
    h = owner.headers
    for bad in (HUGE, 2**63, 0, -1):
        calls = [
            client.get(f"/api/v1/customers/{bad}", headers=h),
            client.get(f"/api/v1/conversations?customer_id={bad}", headers=h),
            client.get(f"/api/v1/customers/{customer_id}/profile?conversation_id={bad}",
                       headers=h),
            client.post(f"/api/v1/customers/{customer_id}/merge", headers=h,
                        json={"other_customer_id": bad}),
            client.post("/api/v1/conversations", headers=h, json={"customer_id": bad}),
            client.post("/api/v1/routing/rules", headers=h,
                        json={"name": "r", "queue_id": bad}),
            client.post("/api/v1/teams", headers=h, json={"name": "t", "member_ids": [bad]}),
            client.get(f"/api/v1/conversations/1/messages?after_id={HUGE}", headers=h),
        ]
        for call in calls:
            answer = await call
            assert answer.status_code == 422, (bad, answer.request.url, answer.text)
    assert (await client.get(f"/api/v1/customers/{2**63 - 1}", headers=h)).status_code == 404


async def test_malformed_or_out_of_range_cursors_are_422(client, owner) -> None:
    await _customer(client, owner)
    for cursor in ("!!", "x" * 41, encode_cursor(HUGE), encode_cursor(0), "aWQ6YWJj", "Zm9vOjE"):
        for path in ("/api/v1/customers", "/api/v1/conversations"):
            answer = await client.get(path, headers=owner.headers, params={"cursor": cursor})
            assert answer.status_code == 422, (cursor, path, answer.text)
    page = await client.get("/api/v1/customers", headers=owner.headers,
                            params={"limit": 1, "cursor": encode_cursor(2**63 - 1)})
    assert page.status_code == 200 and len(page.json()["items"]) == 1


async def test_huge_ids_in_staff_page_forms_and_paths_are_4xx(client, owner) -> None:
    page = await client.get("/login")
    csrf = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)
    await client.post("/login", data={"email": owner.agent_email, "password": owner.password,
                                      "csrf": csrf})
    inbox = await client.get("/inbox")
    token = re.search(r'"X-CSRF-Token": "([^"]+)"', inbox.text).group(1)
    customer_id = await _customer(client, owner)
    merged = await client.post(f"/customers/{customer_id}/merge",
                               data={"other_customer_id": str(HUGE), "csrf": token},
                               headers={"X-CSRF-Token": token})
    assert merged.status_code == 422, merged.text
    assert (await client.get(f"/conversations/{HUGE}")).status_code == 422


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)  # routing, not the database
async def test_every_405_names_the_allowed_methods(client) -> None:
    routes = []
    for route in client.app.routes:  # FastAPI keeps each included router's routes inside it
        routes += getattr(getattr(route, "original_router", None), "routes", None) or [route]
    allowed: dict[str, set[str]] = {}
    for route in routes:
        if getattr(route, "methods", None):
            path = re.sub(r"\{[^}]+\}", "1", route.path)
            allowed.setdefault(path, set()).update(route.methods)
    checked = 0
    for path, methods in sorted(allowed.items()):
        for method in {"GET", "POST", "PUT", "PATCH", "DELETE"} - methods:
            answer = await client.request(method, path)
            if answer.status_code == 405:
                checked += 1
                assert answer.headers.get("allow"), (method, path)
                assert answer.json()["error"] == "method_not_allowed"
    assert checked > 50


async def test_openapi_documents_the_error_answers_routes_give(client) -> None:
    spec = (await client.get("/api/openapi.json")).json()
    update = spec["paths"]["/api/v1/customers/{customer_id}"]["patch"]["responses"]
    assert {"200", "401", "403", "404", "409", "413", "422"} <= set(update)
    assert update["422"]["content"]["application/json"]["schema"]["$ref"].endswith("/Problem")
    assert "429" in spec["paths"]["/widget/api/messages"]["post"]["responses"]
    ids = [operation["operationId"] for item in spec["paths"].values()
           for operation in item.values()]
    assert len(ids) == len(set(ids)), "an operation id is used twice (client generators break)"


async def test_a_value_the_database_cannot_hold_is_a_422_and_nothing_is_stored(
    client, owner, db_url
) -> None:
    customer_id = await _customer(client, owner)
    answer = await client.post("/api/v1/conversations", headers=owner.headers, json={
        "customer_id": customer_id, "language": "x" * 40})  # the column holds 8 characters
    if db_url.startswith("postgresql"):  # SQLite does not enforce VARCHAR lengths
        assert answer.status_code == 422, answer.text
        assert answer.json()["error"] == "invalid"
        listed = await client.get(f"/api/v1/conversations?customer_id={customer_id}",
                                  headers=owner.headers)
        assert listed.json()["items"] == []
    else:
        assert answer.status_code == 201, answer.text
