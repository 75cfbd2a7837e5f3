"""A shopper's unsigned claims never make them someone else (history takeover, issue 12 item 1).

The attack: a shopper with a valid signature for their own user id adds another person's email
when starting a widget session. Only what the signature covers is verified, so the email stays
unverified contact info: no merge, no foreign history, no foreign live replies.
"""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.core.security import hmac_sha256_hex
from omnidesk.domains.customers.service import find_by_identity
from omnidesk.domains.workspaces.service import get_workspace
from tests.asgi_ws import AsgiWebSocket
from tests.conftest import Persona
from tests.web.widget_helpers import start_session, widget_headers

VICTIM_EMAIL = "victim@example.com"
SECRET_TEXT = "제 주소는 서울시 비밀구 1번지예요"


async def _secret(session: AsyncSession, owner: Persona) -> str:
    return (await get_workspace(session, workspace_id=owner.workspace_id)).secret


async def _say(client: httpx.AsyncClient, slug: str, token: str, text: str, cid: str) -> dict:
    sent = await client.post("/widget/api/messages", headers=widget_headers(slug, token),
                             json={"text": text, "client_message_id": cid})
    assert sent.status_code == 201, sent.text
    return sent.json()


async def _history(client: httpx.AsyncClient, slug: str, token: str) -> list[str]:
    seen = await client.get("/widget/api/messages", headers=widget_headers(slug, token))
    assert seen.status_code == 200
    return [m["text"] for m in seen.json()["messages"]]


async def _victim_with_history(client: httpx.AsyncClient, session: AsyncSession,
                               owner: Persona) -> tuple[dict, int]:
    """The victim: a customer with an email identity who chatted while signed in."""
    created = await client.post("/api/v1/customers", headers=owner.headers, json={
        "name": "피해자", "email": VICTIM_EMAIL,
        "identities": [{"kind": "user_id", "value": "victim-7", "verified": True}]})
    assert created.status_code == 201, created.text
    secret = await _secret(session, owner)
    victim = await start_session(client, owner.slug, user_id="victim-7",
                          signature=hmac_sha256_hex(secret, "victim-7"))
    said = await _say(client, owner.slug, victim["token"], SECRET_TEXT, "victim0001")
    reply = await client.post(f"/api/v1/conversations/{said['conversation_id']}/messages",
                              headers=owner.headers, json={"text": "배송지 확인했습니다"})
    assert reply.status_code == 201
    return victim, said["conversation_id"]


async def test_a_signed_shopper_adding_someone_elses_email_sees_none_of_their_history(
    client: httpx.AsyncClient, session: AsyncSession, owner: Persona
) -> None:
    _, _ = await _victim_with_history(client, session, owner)
    secret = await _secret(session, owner)
    attacker = await start_session(client, owner.slug, user_id="attacker-9", email=VICTIM_EMAIL,
                            signature=hmac_sha256_hex(secret, "attacker-9"))
    assert attacker["verified"] is True
    await _say(client, owner.slug, attacker["token"], "제 주문 어디 있나요?", "attack0001")

    assert await _history(client, owner.slug, attacker["token"]) == ["제 주문 어디 있나요?"]
    victim = await find_by_identity(session, workspace_id=owner.workspace_id, kind="email",
                                    value=VICTIM_EMAIL)
    shopper = await find_by_identity(session, workspace_id=owner.workspace_id, kind="user_id",
                                     value="attacker-9")
    assert victim is not None and shopper is not None
    assert shopper.id != victim.id and victim.merged_into_id is None
    assert shopper.email == VICTIM_EMAIL  # kept as the contact info they typed, unverified
    assert not [i for i in shopper.identities if i.kind == "email"]


async def test_a_returning_signed_shopper_is_not_merged_into_the_owner_of_a_claimed_email(
    client: httpx.AsyncClient, session: AsyncSession, owner: Persona
) -> None:
    _, _ = await _victim_with_history(client, session, owner)
    secret = await _secret(session, owner)
    signature = hmac_sha256_hex(secret, "attacker-9")
    first = await start_session(client, owner.slug, user_id="attacker-9", signature=signature)
    await _say(client, owner.slug, first["token"], "안녕하세요", "attack0001")
    again = await start_session(client, owner.slug, user_id="attacker-9", signature=signature,
                         email=VICTIM_EMAIL)
    await _say(client, owner.slug, again["token"], "제 주문 어디 있나요?", "attack0002")

    assert SECRET_TEXT not in await _history(client, owner.slug, again["token"])
    session.expire_all()
    victim = await find_by_identity(session, workspace_id=owner.workspace_id, kind="email",
                                    value=VICTIM_EMAIL)
    shopper = await find_by_identity(session, workspace_id=owner.workspace_id, kind="user_id",
                                     value="attacker-9")
    assert victim is not None and shopper is not None and shopper.id != victim.id
    assert victim.merged_into_id is None and shopper.merged_into_id is None


async def test_agents_replies_to_the_victim_never_reach_the_attackers_widget_socket(
    client: httpx.AsyncClient, session: AsyncSession, owner: Persona
) -> None:
    app = client.app  # type: ignore[attr-defined]
    await app.state.realtime.start()
    victim, conversation_id = await _victim_with_history(client, session, owner)
    secret = await _secret(session, owner)
    attacker = await start_session(client, owner.slug, user_id="attacker-9", email=VICTIM_EMAIL,
                            signature=hmac_sha256_hex(secret, "attacker-9"))
    await _say(client, owner.slug, attacker["token"], "제 주문 어디 있나요?", "attack0001")
    await app.state.dispatcher.drain()

    async with AsgiWebSocket(app, "/widget/ws") as spy, \
            AsgiWebSocket(app, "/widget/ws") as own:
        for socket, who in ((spy, attacker), (own, victim)):
            await socket.send_json({"type": "hello", "workspace": owner.slug,
                                    "token": who["token"]})
            assert (await socket.receive_json())["type"] == "ready"
        reply = await client.post(f"/api/v1/conversations/{conversation_id}/messages",
                                  headers=owner.headers, json={"text": "새 배송지로 보낼게요"})
        assert reply.status_code == 201
        await app.state.dispatcher.drain()
        delivered = await own.receive_json()
        assert delivered["data"]["text"] == "새 배송지로 보낼게요"
        assert await spy.events_until_quiet() == []


async def _session_with_victim_email(client: httpx.AsyncClient, session: AsyncSession,
                                     owner: Persona, *, user_id: str,
                                     signed_for: str) -> dict:
    """Start a widget session claiming the victim's email, signed for `signed_for`'s user id."""
    await _victim_with_history(client, session, owner)
    secret = await _secret(session, owner)
    signature = hmac_sha256_hex(secret, f"user_id={signed_for}\nemail={VICTIM_EMAIL}")
    return await start_session(client, owner.slug, user_id=user_id, email=VICTIM_EMAIL,
                               signature=signature)

async def test_an_email_covered_by_the_signature_links_the_shopper_to_that_customer(
    client: httpx.AsyncClient, session: AsyncSession, owner: Persona
) -> None:
    same_person = await _session_with_victim_email(client, session, owner, user_id="shop-7",
                                                   signed_for="shop-7")
    assert same_person["verified"] is True
    await _say(client, owner.slug, same_person["token"], "다른 기기에서 왔어요", "shop70001")

    assert await _history(client, owner.slug, same_person["token"]) == [
        SECRET_TEXT, "배송지 확인했습니다", "다른 기기에서 왔어요"]
    customer = await find_by_identity(session, workspace_id=owner.workspace_id, kind="user_id",
                                      value="shop-7")
    assert customer is not None
    assert {(i.kind, i.value, i.verified) for i in customer.identities} >= {
        ("email", VICTIM_EMAIL, True), ("user_id", "shop-7", True)}


async def test_an_email_signed_for_another_user_id_verifies_nothing(
    client: httpx.AsyncClient, session: AsyncSession, owner: Persona
) -> None:
    forged = await _session_with_victim_email(client, session, owner, user_id="attacker-9",
                                              signed_for="victim-7")
    assert forged["verified"] is False
    await _say(client, owner.slug, forged["token"], "제 주문 어디 있나요?", "attack0001")
    assert await _history(client, owner.slug, forged["token"]) == ["제 주문 어디 있나요?"]


@pytest.mark.parametrize("email", [VICTIM_EMAIL, VICTIM_EMAIL.upper()])
async def test_an_anonymous_visitor_typing_an_email_in_the_prechat_form_gets_no_history(
    client: httpx.AsyncClient, session: AsyncSession, owner: Persona, email: str
) -> None:
    _, _ = await _victim_with_history(client, session, owner)
    visitor = await start_session(client, owner.slug, email=email)
    assert visitor["verified"] is False
    await _say(client, owner.slug, visitor["token"], f"제 메일은 {email} 입니다", "anon00001")
    assert await _history(client, owner.slug, visitor["token"]) == [
        f"제 메일은 {email} 입니다"]
