"""PATCH bodies: null only where removal means something (422 elsewhere), settings merge (RFC 7386)."""

from __future__ import annotations

from omnidesk.core.schemas import merge_patch


def test_merge_patch_keeps_absent_keys_merges_objects_and_removes_nulls() -> None:
    stored = {"bot": {"enabled": True, "greeting": {"ko": "안녕", "en": "Hi"}}, "tiers": [1, 2]}
    patched = merge_patch(stored, {"bot": {"greeting": {"en": None, "ko": "반가워요"}},
                                   "tiers": [3], "widget": {"color": "#000000"}})
    assert patched == {"bot": {"enabled": True, "greeting": {"ko": "반가워요"}}, "tiers": [3],
                       "widget": {"color": "#000000"}}
    assert stored["bot"]["greeting"] == {"ko": "안녕", "en": "Hi"}  # the input is not mutated


async def test_null_attributes_or_tags_are_refused_and_the_customer_stays_readable(
    client, owner
) -> None:
    created = await client.post("/api/v1/customers", headers=owner.headers, json={
        "name": "김민수", "phone": "010-1234-5678", "attributes": {"plan": "gold"},
        "tags": ["vip"]})
    assert created.status_code == 201, created.text
    url = f"/api/v1/customers/{created.json()['id']}"
    for field in ("attributes", "tags"):
        refused = await client.patch(url, headers=owner.headers, json={field: None})
        assert refused.status_code == 422, refused.text
        assert refused.json()["problems"] == [
            {"field": field, "message": "may not be null; leave the field out to keep its value"}]
    cleared = await client.patch(url, headers=owner.headers, json={"phone": None, "name": "민수"})
    assert cleared.status_code == 200, cleared.text
    assert cleared.json()["phone"] is None and cleared.json()["attributes"] == {"plan": "gold"}
    for path in ("/api/v1/customers", url, f"{url}/profile", f"{url}/merge-suggestions"):
        assert (await client.get(path, headers=owner.headers)).status_code == 200, path
    assert (await client.post("/api/v1/personas/refresh", headers=owner.headers)).status_code < 300


async def test_openapi_shows_non_nullable_patch_fields_without_null(client) -> None:
    schemas = (await client.get("/api/openapi.json")).json()["components"]["schemas"]
    update = schemas["CustomerUpdate"]["properties"]
    assert update["attributes"]["type"] == "object" and "anyOf" not in update["attributes"]
    assert {"type": "null"} in update["phone"]["anyOf"]


async def test_bot_settings_patch_refuses_nulls_and_merges_greetings(client, owner) -> None:
    first = await client.patch("/api/v1/bot/settings", headers=owner.headers, json={
        "enabled": True, "greeting": {"ko": "안녕하세요", "en": "Hello"},
        "support_email": "help@acme.example"})
    assert first.status_code == 200, first.text
    for body in ({"enabled": None}, {"min_confidence": None}, {"channels": None},
                 {"greeting": None}):
        refused = await client.patch("/api/v1/bot/settings", headers=owner.headers, json=body)
        assert refused.status_code == 422, (body, refused.text)
    merged = await client.patch("/api/v1/bot/settings", headers=owner.headers,
                                json={"greeting": {"en": None}, "support_email": None})
    assert merged.status_code == 200, merged.text
    assert merged.json()["greeting"] == {"ko": "안녕하세요"}
    assert merged.json()["support_email"] is None and merged.json()["enabled"] is True


async def test_a_partial_settings_update_keeps_the_other_sections(client, owner) -> None:
    await client.patch("/api/v1/bot/settings", headers=owner.headers, json={"enabled": True})
    await client.patch("/api/v1/assist/recognition", headers=owner.headers,
                       json={"workspace_name": {"en": "Acme"}})
    seeded = await client.patch("/api/v1/workspace", headers=owner.headers, json={
        "settings": {"commerce": {"connector": "database"}, "reopen_window_hours": 24}})
    assert seeded.status_code == 200, seeded.text
    patched = await client.patch("/api/v1/workspace", headers=owner.headers, json={
        "settings": {"widget": {"color": "#112233"}, "reopen_window_hours": None}})
    assert patched.status_code == 200, patched.text
    settings = patched.json()["settings"]
    assert settings["bot"]["enabled"] is True
    assert settings["recognition"]["workspace_name"] == {"en": "Acme"}
    assert settings["commerce"] == {"connector": "database"}
    assert settings["widget"] == {"color": "#112233"} and "reopen_window_hours" not in settings
    nested = await client.patch("/api/v1/workspace", headers=owner.headers,
                                json={"settings": {"widget": {"title_en": "Help"}}})
    assert nested.json()["settings"]["widget"] == {"color": "#112233", "title_en": "Help"}


async def test_settings_sections_are_validated_by_their_readers(client, owner) -> None:
    for section, value in (("bot", {"min_confidence": "high"}), ("widget", {"color": "red"}),
                           ("commerce", {"connector": "ftp"}), ("tiers", "gold"),
                           ("reopen_window_hours", -1), ("bot", "on")):
        refused = await client.patch("/api/v1/workspace", headers=owner.headers,
                                     json={"settings": {section: value}})
        assert refused.status_code == 422, (section, refused.text)
        assert refused.json()["field"] == f"settings.{section}"
    for path in ("/api/v1/bot/settings", "/api/v1/workspace"):
        assert (await client.get(path, headers=owner.headers)).status_code == 200
    frame = await client.get(f"/widget/frame?workspace={owner.slug}")
    assert frame.status_code == 200


async def test_workspace_nulls_and_an_empty_timezone_are_refused(client, owner) -> None:
    for body in ({"timezone": ""}, {"timezone": None}, {"name": None}, {"settings": None}):
        refused = await client.patch("/api/v1/workspace", headers=owner.headers, json=body)
        assert refused.status_code == 422, (body, refused.text)
    assert (await client.get(f"/widget/frame?workspace={owner.slug}")).status_code == 200


async def test_presence_of_a_deactivated_agent_answers_instead_of_crashing(client, owner) -> None:
    agent_id = owner.agent.user_id
    done = await client.patch(f"/api/v1/users/{agent_id}", headers=owner.headers,
                              json={"is_active": False})
    assert done.status_code == 200, done.text
    url = f"/api/v1/routing/agents/{agent_id}/presence"
    online = await client.put(url, headers=owner.headers, json={"presence": "online"})
    assert online.status_code == 409, online.text
    offline = await client.put(url, headers=owner.headers, json={"presence": "offline"})
    assert offline.status_code == 200, offline.text
    assert offline.json()["user_id"] == agent_id and offline.json()["presence"] == "offline"
    own = await client.put("/api/v1/routing/presence", headers=owner.headers,
                           json={"presence": "busy"})
    assert own.status_code == 200 and own.json()["user_id"] == owner.admin.user_id
