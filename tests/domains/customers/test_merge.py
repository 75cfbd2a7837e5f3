"""Identity resolution: automatic merge on a verified match, suggestions, manual merge/split."""

from __future__ import annotations

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from omnidesk.app.subscribers import build_registry
from omnidesk.config import Settings
from omnidesk.core.audit import AuditEntry
from omnidesk.core.dispatcher import Dispatcher, DispatcherConfig
from omnidesk.core.events import OutboxEvent
from omnidesk.domains.commerce.models import Order
from omnidesk.domains.conversations.actions import do_receive_inbound
from omnidesk.domains.conversations.models import Conversation
from omnidesk.domains.conversations.schemas import InboundMessage
from omnidesk.domains.customers.models import Customer
from tests.conftest import Persona


async def drain(session_factory: async_sessionmaker[AsyncSession], settings: Settings) -> None:
    await Dispatcher(session_factory, build_registry(settings),
                     DispatcherConfig(backoff_base_seconds=0)).drain()


async def receive(session: AsyncSession, owner: Persona, **fields: object) -> Conversation:
    msg = await do_receive_inbound(session, workspace_id=owner.workspace_id,
                                   inbound=InboundMessage(text="안녕하세요", **fields))
    await session.commit()
    return await session.get(Conversation, msg.conversation_id)  # type: ignore[return-value]


async def customer_of(session: AsyncSession, conversation_id: int) -> int:
    return await session.scalar(  # type: ignore[return-value]
        select(Conversation.customer_id).where(Conversation.id == conversation_id))


async def fresh(session: AsyncSession, customer_id: int) -> Customer:
    return await session.scalar(  # type: ignore[return-value]
        select(Customer).where(Customer.id == customer_id).execution_options(
            populate_existing=True))


async def test_a_visitor_identified_with_a_verified_email_becomes_the_email_customer(
        session: AsyncSession, owner: Persona, settings: Settings,
        session_factory: async_sessionmaker[AsyncSession]) -> None:
    by_mail = await receive(session, owner, channel="email", identity_kind="email",
                            identity_value="minji@example.org", provider_message_id="<m1@x>")
    on_web = await receive(session, owner, channel="web", identity_kind="user_id",
                           identity_value="shop-user-7", identity_verified=True,
                           provider_message_id="w1")
    visitor_id = on_web.customer_id
    assert visitor_id != by_mail.customer_id
    await receive(session, owner, channel="web", identity_kind="user_id",
                  identity_value="shop-user-7", identity_verified=True,
                  customer_email="minji@example.org", email_verified=True,
                  provider_message_id="w2")
    await drain(session_factory, settings)
    assert await customer_of(session, on_web.id) == by_mail.customer_id
    visitor = await fresh(session, visitor_id)
    assert visitor.merged_into_id == by_mail.customer_id  # type: ignore[union-attr]
    survivor = await fresh(session, by_mail.customer_id)
    assert {i.kind for i in survivor.identities} == {"email", "user_id"}  # type: ignore[union-attr]
    merged = (await session.scalars(select(OutboxEvent).where(
        OutboxEvent.name == "customer.merged"))).all()
    assert [e.payload for e in merged] == [{"customer_id": by_mail.customer_id,
                                            "merged_customer_id": visitor_id,
                                            "reason": "verified_identity"}]


async def test_an_unverified_shared_email_or_name_is_only_suggested(
        client: httpx.AsyncClient, session: AsyncSession, owner: Persona,
        outsider: Persona) -> None:
    web = await receive(session, owner, channel="web", identity_kind="web_visitor",
                        identity_value="v_1", customer_email="minji@example.org",
                        customer_name="김민지", provider_message_id="w1")
    mail = await receive(session, owner, channel="email", identity_kind="email",
                         identity_value="minji@example.org", provider_message_id="<m1@x>")
    namesake = await receive(session, owner, channel="sms", identity_kind="phone",
                             identity_value="+821099990000", customer_name="김민지",
                             provider_message_id="SM1")
    assert len({web.customer_id, mail.customer_id, namesake.customer_id}) == 3
    answer = await client.get(f"/api/v1/customers/{web.customer_id}/merge-suggestions",
                              headers=owner.headers)
    assert answer.status_code == 200
    assert answer.json() == [
        {"customer_id": mail.customer_id, "name": None, "reasons": ["same email"]},
        {"customer_id": namesake.customer_id, "name": "김민지", "reasons": ["same name"]}]
    hidden = await client.get(f"/api/v1/customers/{web.customer_id}/merge-suggestions",
                              headers=outsider.headers)
    assert hidden.status_code == 404


async def test_an_agent_merges_two_customers_and_the_history_and_orders_follow(
        client: httpx.AsyncClient, session: AsyncSession, owner: Persona, outsider: Persona,
        settings: Settings, session_factory: async_sessionmaker[AsyncSession]) -> None:
    sms = await receive(session, owner, channel="sms", identity_kind="phone",
                        identity_value="+821012345678", provider_message_id="SM1")
    mail = await receive(session, owner, channel="email", identity_kind="email",
                         identity_value="minji@example.org", provider_message_id="<m1@x>")
    session.add(Order(workspace_id=owner.workspace_id, external_id="A-1",
                      customer_id=sms.customer_id))
    await session.commit()
    foreign = await client.post(f"/api/v1/customers/{mail.customer_id}/merge",
                                json={"other_customer_id": sms.customer_id},
                                headers=outsider.headers)
    assert foreign.status_code == 404
    answer = await client.post(f"/api/v1/customers/{mail.customer_id}/merge",
                               json={"other_customer_id": sms.customer_id},
                               headers=owner.headers)
    assert answer.status_code == 200
    assert {i["kind"] for i in answer.json()["identities"]} == {"email", "phone"}
    await drain(session_factory, settings)
    assert await customer_of(session, sms.id) == mail.customer_id
    order = await session.scalar(select(Order).execution_options(populate_existing=True))
    assert order.customer_id == mail.customer_id  # type: ignore[union-attr]
    again = await client.post(f"/api/v1/customers/{mail.customer_id}/merge",
                              json={"other_customer_id": sms.customer_id},
                              headers=owner.headers)
    assert again.status_code == 422
    audit = await session.scalar(select(AuditEntry).where(
        AuditEntry.action == "customer.merged"))
    assert audit.actor_id == owner.admin.user_id  # type: ignore[union-attr]


async def test_a_split_moves_an_identity_and_the_chosen_conversations_to_a_new_customer(
        client: httpx.AsyncClient, session: AsyncSession, owner: Persona, settings: Settings,
        session_factory: async_sessionmaker[AsyncSession]) -> None:
    sms = await receive(session, owner, channel="sms", identity_kind="phone",
                        identity_value="+821012345678", provider_message_id="SM1")
    mail = await receive(session, owner, channel="email", identity_kind="email",
                         identity_value="minji@example.org", provider_message_id="<m1@x>")
    await client.post(f"/api/v1/customers/{sms.customer_id}/merge",
                      json={"other_customer_id": mail.customer_id}, headers=owner.headers)
    await drain(session_factory, settings)
    customer = (await client.get(f"/api/v1/customers/{sms.customer_id}",
                                 headers=owner.headers)).json()
    email_identity = next(i["id"] for i in customer["identities"] if i["kind"] == "email")
    answer = await client.post(f"/api/v1/customers/{sms.customer_id}/split",
                               json={"identity_ids": [email_identity],
                                     "conversation_ids": [mail.id]}, headers=owner.headers)
    assert answer.status_code == 201
    new = answer.json()
    assert [(i["id"], i["value"]) for i in new["identities"]] == [
        (email_identity, "m****@example.org")]  # the API shows identities masked
    await drain(session_factory, settings)
    assert await customer_of(session, mail.id) == new["id"]
    assert await customer_of(session, sms.id) == sms.customer_id
    everything = await client.post(f"/api/v1/customers/{new['id']}/split",
                                   json={"identity_ids": [email_identity]},
                                   headers=owner.headers)
    assert everything.status_code == 422
