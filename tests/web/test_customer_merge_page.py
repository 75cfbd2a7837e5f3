"""An agent sees who may be the same person beside a conversation and merges them."""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from omnidesk.app.subscribers import build_registry
from omnidesk.config import Settings
from omnidesk.core.dispatcher import Dispatcher, DispatcherConfig
from omnidesk.domains.conversations.actions import do_receive_inbound
from omnidesk.domains.conversations.models import Conversation
from omnidesk.domains.conversations.schemas import InboundMessage
from omnidesk.domains.customers.models import Customer
from tests.conftest import Persona
from tests.web.test_workspace_pages import _login

pytestmark = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)


async def test_an_agent_merges_a_suggested_duplicate_and_its_history_follows(
    client: httpx.AsyncClient, session: AsyncSession, owner: Persona, settings: Settings,
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    web = await do_receive_inbound(session, workspace_id=owner.workspace_id, inbound=(
        InboundMessage(channel="web", identity_kind="web_visitor", identity_value="v-77",
                       customer_name="김민지", customer_email="minji@example.com",
                       text="소파 배송 문의")))
    sms = await do_receive_inbound(session, workspace_id=owner.workspace_id, inbound=(
        InboundMessage(channel="sms", identity_kind="phone", identity_value="+821011112222",
                       customer_name="김민지", customer_phone="+821011112222",
                       customer_email="minji@example.com", text="문자로도 문의드려요")))
    await session.commit()
    web_conv, sms_conv = web.conversation_id, sms.conversation_id
    keep = (await session.get(Conversation, web.conversation_id)).customer_id
    other = (await session.get(Conversation, sms.conversation_id)).customer_id
    assert keep != other

    token = await _login(client, owner)
    page = await client.get(f"/conversations/{web_conv}")
    assert "같은 고객일 수 있어요" in page.text and f'"other_customer_id": "{other}"' in page.text
    refused = await client.post(f"/customers/{keep}/merge", data={"other_customer_id": other})
    assert refused.status_code == 403
    merged = await client.post(f"/customers/{keep}/merge", data={"other_customer_id": other},
                               headers={"X-CSRF-Token": token})
    assert merged.status_code == 204 and merged.headers["HX-Refresh"] == "true"

    await Dispatcher(session_factory, build_registry(settings),
                     DispatcherConfig(backoff_base_seconds=0)).drain()
    session.expire_all()
    assert await session.scalar(select(Customer.merged_into_id).where(Customer.id == other)) == keep
    moved = select(Conversation.customer_id).where(Conversation.id == sms_conv)
    assert await session.scalar(moved) == keep
    again = await client.post(f"/customers/{keep}/merge", data={"other_customer_id": other},
                              headers={"X-CSRF-Token": token})
    assert again.status_code == 422
