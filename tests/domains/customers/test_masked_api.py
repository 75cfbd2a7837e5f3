"""The customers REST API shows contact fields masked by the rule the customer pages use
(`customers/contact.py`): email, phone, identity values and personal attributes, with
`pii_masked`; the clear values only through the logged reveal."""

from __future__ import annotations

import httpx
from markupsafe import escape
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.domains.customers.models import Customer
from omnidesk.domains.privacy.models import PiiAccess
from tests.conftest import Persona
from tests.domains.assist.conftest import log_in

EMAIL, PHONE, E164 = "minji.kim@example.com", "010-1234-5678", "+821012345678"
KAKAO, ADDRESS, MEMO_PHONE = "kakao-user-778899", "서울시 강남구 테헤란로 123 4층", "010-9999-8888"
CLEAR = (EMAIL, PHONE, E164, KAKAO, "테헤란로", MEMO_PHONE, "01012345678")


async def _create(client: httpx.AsyncClient, owner: Persona) -> dict:
    created = await client.post("/api/v1/customers", headers=owner.headers, json={
        "name": "김민지", "email": EMAIL, "phone": PHONE,
        "attributes": {"address": ADDRESS, "vip": True, "memo": f"call {MEMO_PHONE}"},
        "identities": [{"kind": "kakao", "value": KAKAO}]})
    assert created.status_code == 201, created.text
    return created.json()


async def test_the_api_returns_contact_fields_masked_like_the_customer_pages(
        client: httpx.AsyncClient, session: AsyncSession, owner: Persona) -> None:
    created = await _create(client, owner)
    customer_id = created["id"]
    one = await client.get(f"/api/v1/customers/{customer_id}", headers=owner.headers)
    listed = await client.get("/api/v1/customers", headers=owner.headers)
    for response in (one, listed):
        assert response.status_code == 200, response.text
        for value in CLEAR:
            assert value not in response.text, value
    for body in (created, one.json(), listed.json()["items"][0]):
        assert body["pii_masked"] is True and body["name"] == "김민지"
        assert body["email"] and "*" in body["email"] and "*" in body["phone"]
        assert "address" not in body["attributes"] and body["attributes"]["vip"] is True
        assert {i["kind"] for i in body["identities"]} == {"email", "phone", "kakao"}
        assert all("*" in i["value"] for i in body["identities"])
    card = one.json()

    await log_in(client, owner.agent_email, owner.password)
    page = (await client.get(f"/customers/{customer_id}")).text
    contacts = (await client.get("/customers")).text
    for identity in card["identities"]:  # the page shows the API's masked values
        assert str(escape(identity["value"])) in page, identity
    assert str(escape(card["email"])) in contacts and str(escape(card["phone"])) in contacts
    for value in CLEAR:
        assert value not in page and value not in contacts, value


async def test_a_reveal_shows_the_clear_values_and_is_logged(
        client: httpx.AsyncClient, session: AsyncSession, owner: Persona) -> None:
    customer_id = (await _create(client, owner))["id"]
    url = f"/api/v1/customers/{customer_id}/reveal"
    shown = await client.post(url, headers=owner.headers,
                              json={"fields": ["email", "phone", "identities"],
                                    "reason": "배송 연락처 확인"})
    assert shown.status_code == 200, shown.text
    assert shown.json()["email"] == EMAIL and shown.json()["phone"] == E164
    assert KAKAO in [i["value"] for i in shown.json()["identities"]]
    rows = (await session.scalars(select(PiiAccess).where(PiiAccess.action == "reveal"))).all()
    assert [(r.customer_id, r.reason, r.fields) for r in rows] == [
        (customer_id, "배송 연락처 확인", ["email", "identities", "phone"])]


async def test_writing_back_the_masked_attributes_keeps_the_hidden_address(
        client: httpx.AsyncClient, session: AsyncSession, owner: Persona) -> None:
    created = await _create(client, owner)
    attributes = {**created["attributes"], "vip": False}
    updated = await client.patch(f"/api/v1/customers/{created['id']}", headers=owner.headers,
                                 json={"attributes": attributes})
    assert updated.status_code == 200, updated.text
    session.expire_all()
    stored = await session.get(Customer, created["id"])
    assert stored is not None and stored.attributes["address"] == ADDRESS
    assert stored.attributes["vip"] is False
    cleared = await client.patch(f"/api/v1/customers/{created['id']}", headers=owner.headers,
                                 json={"attributes": {"address": None}})
    assert cleared.status_code == 200, cleared.text
    session.expire_all()
    stored = await session.get(Customer, created["id"])
    assert stored is not None and "address" not in stored.attributes
