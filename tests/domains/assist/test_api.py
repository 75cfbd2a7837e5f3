"""The assist API end to end: profile, reveal, notes, assist, canned responses, segments."""

from __future__ import annotations

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.domains.privacy.models import PiiAccess
from tests.conftest import Persona
from tests.domains.assist.conftest import Returning


async def test_profile_reveal_and_notes_over_the_api(
        client: httpx.AsyncClient, session: AsyncSession, owner: Persona,
        outsider: Persona, returning: Returning) -> None:
    base = f"/api/v1/customers/{returning.customer_id}"
    profile = (await client.get(f"{base}/profile", headers=owner.headers, params={
        "locale": "en", "conversation_id": returning.current_id})).json()
    assert profile["contact"]["masked"] and "1234" not in str(profile["contact"]["phone"])
    assert profile["tier"]["key"] == "gold" and profile["last_issue"]["intent"] == "delivery_delay"
    revealed = await client.post(f"{base}/reveal", headers=owner.headers,
                                 json={"fields": ["phone"], "reason": "callback"})
    assert revealed.json()["phone"] == "010-1234-5678" and revealed.json()["email"] != (
        "minji@example.com")
    bad = await client.post(f"{base}/reveal", headers=owner.headers, json={"fields": ["rrn"]})
    assert bad.status_code == 422
    entry = await session.scalar(select(PiiAccess))
    assert (entry.fields, entry.reason) == (["phone"], "callback")
    no_reason = await client.post(f"{base}/reveal", headers=owner.headers, json={"fields": ["phone"]})
    assert no_reason.status_code == 422
    note = await client.post(f"{base}/notes", headers=owner.headers,
                             json={"body": "설치 기사 재방문 희망 010-2222-3333"})
    assert note.status_code == 201
    notes = (await client.get(f"{base}/profile", headers=owner.headers)).json()["notes"]
    assert notes[0]["body"] == "설치 기사 재방문 희망 010-****-3333"
    for path in ("profile", "segments"):
        assert (await client.get(f"{base}/{path}", headers=outsider.headers)).status_code == 404
    assert (await client.post(f"{base}/reveal", headers=outsider.headers,
                              json={})).status_code == 404


async def test_assist_endpoint_answers_in_the_agents_and_customers_languages(
        client: httpx.AsyncClient, owner: Persona, outsider: Persona,
        returning: Returning) -> None:
    url = f"/api/v1/conversations/{returning.current_id}/assist"
    assist = (await client.get(url, params={"locale": "en", "draft": "취소해 줄게"},
                               headers=owner.headers)).json()
    assert assist["locale"] == "en" and assist["reply_locale"] == "ko"
    assert assist["greeting"].startswith("안녕하세요, 한빛리빙입니다")
    assert any(a["action"] == "cancel_order" for a in assist["next_actions"])
    assert assist["summary"][0].startswith("Request: order cancellation")
    assert {"code": "informal", "kind": "tone",
            "message": "A Korean sentence ends in casual speech (반말): use the polite form."
            } in assist["warnings"]
    assert (await client.get(url, headers=outsider.headers)).status_code == 404


async def test_canned_responses_crud_respects_scope_and_role(
        agent_client: httpx.AsyncClient, client: httpx.AsyncClient, owner: Persona,
        outsider: Persona) -> None:
    shared = {"shortcut": "배송", "title": "배송 안내", "body": "주문 {order_number} 배송중",
              "locale": "ko"}
    assert (await agent_client.post("/api/v1/canned-responses", json=shared)).status_code == 403
    mine = await agent_client.post("/api/v1/canned-responses",
                                   json={**shared, "shortcut": "my-ship", "scope": "personal"})
    assert mine.status_code == 201 and mine.json()["owner_id"] == owner.agent.user_id
    agent_client.headers["Authorization"] = f"Bearer {owner.token}"
    created = await agent_client.post("/api/v1/canned-responses", json=shared)
    assert created.status_code == 201
    canned_id = created.json()["id"]
    listed = await agent_client.get("/api/v1/canned-responses")
    assert [c["shortcut"] for c in listed.json()] == ["배송"]  # the agent's personal one is theirs
    patched = await agent_client.patch(f"/api/v1/canned-responses/{canned_id}",
                                       json={"title": "배송 조회"})
    assert patched.json()["title"] == "배송 조회"
    bad = await agent_client.post("/api/v1/canned-responses", json={**shared, "shortcut": "a b"})
    assert bad.status_code == 422
    other = await client.patch(f"/api/v1/canned-responses/{canned_id}", json={"title": "x"},
                               headers=outsider.headers)
    assert other.status_code == 404
    assert (await agent_client.delete(f"/api/v1/canned-responses/{canned_id}")).status_code == 204
    assert (await agent_client.get("/api/v1/canned-responses")).json() == []


async def test_segments_and_personas_over_the_api(
        client: httpx.AsyncClient, agent_client: httpx.AsyncClient, owner: Persona,
        returning: Returning) -> None:
    segments = (await client.get("/api/v1/segments?locale=ko", headers=owner.headers)).json()
    vip = next(s for s in segments if s["key"] == "vip")
    assert vip == {"key": "vip", "name": "VIP 고객", "description": "등급 = vip"}
    mine = await client.get(f"/api/v1/customers/{returning.customer_id}/segments?locale=en",
                            headers=owner.headers)
    assert "Recently unhappy" in [s["name"] for s in mine.json()]
    assert (await agent_client.post("/api/v1/personas/refresh")).status_code == 403
    assert (await agent_client.post("/api/v1/commerce/sync")).status_code == 403
    refreshed = await client.post("/api/v1/personas/refresh", headers=owner.headers)
    assert refreshed.status_code == 200 and refreshed.json() == []  # one customer: too few


async def test_recognition_settings_can_be_read_and_changed_with_validation(
        client: httpx.AsyncClient, agent_client: httpx.AsyncClient, owner: Persona,
        returning: Returning) -> None:
    url = "/api/v1/assist/recognition"
    current = (await client.get(url, headers=owner.headers)).json()
    assert len(current["greeting"]) == 10 and current["workspace_name"] == {}
    typo = {"greeting": [{"locale": "ko", "text": "안녕하세요 {last_prodcut} 고객님"}]}
    refused = await client.patch(url, json=typo, headers=owner.headers)
    assert refused.status_code == 422
    assert refused.json()["message"].startswith("greeting[0]: unknown variable {last_prodcut}")
    condition = {"closing": [{"locale": "ko", "when": ["rich"], "text": "감사합니다"}]}
    assert (await client.patch(url, json=condition, headers=owner.headers)).status_code == 422
    good = {"greeting": [{"locale": "ko", "when": ["tier:gold"],
                          "text": "{tier} 회원님, {workspace}입니다. {order_number} 건 확인할게요."}],
            "workspace_name": {"en": "Hanbit Living"}}
    assert (await agent_client.patch(url, json=good)).status_code == 403
    saved = await client.patch(url, json=good, headers=owner.headers)
    assert saved.status_code == 200 and len(saved.json()["greeting"]) == 1
    assert len(saved.json()["closing"]) == 6  # untouched: still the defaults
    assist = await client.get(f"/api/v1/conversations/{returning.current_id}/assist",
                              headers=owner.headers)
    assert assist.json()["greeting"] == "골드 회원님, 한빛리빙입니다. HB2 건 확인할게요."
