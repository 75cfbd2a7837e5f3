"""Contacts: the customers list and page, edit, split, notes, and merge suggestions that stay
visible beside a conversation (they sat in the slot the 360 panel replaces)."""

from __future__ import annotations

import re

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.domains.conversations.models import Conversation
from omnidesk.domains.customers.models import Customer, CustomerIdentity
from omnidesk.domains.privacy.models import PiiAccess
from tests.conftest import Persona
from tests.domains.search.test_search import say
from tests.web.test_workspace_pages import _login

pytestmark = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)


def _csrf(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found
    return found.group(1)


async def test_an_agent_finds_a_customer_and_works_on_their_page(
        client: httpx.AsyncClient, session: AsyncSession, owner: Persona) -> None:
    sms = await say(session, owner.workspace_id, "소파 배송 문의", "+821098761234", "김민지")
    mail = await say(session, owner.workspace_id, "문자로도 문의드려요", "+821055550000", "김민지")
    await say(session, owner.workspace_id, "다른 고객", "+821077770000", "박서준")
    await _login(client, owner)

    listing = await client.get("/customers", params={"q": "민지"})
    assert f"/customers/{sms.customer_id}" in listing.text and "박서준" not in listing.text
    assert "+821098761234" not in listing.text  # handles masked, as the customer panel shows
    by_phone = await client.get("/customers", params={"q": "010-9876-1234"})
    assert f"/customers/{sms.customer_id}" in by_phone.text
    assert f"/customers/{mail.customer_id}" not in by_phone.text

    conv_page = await client.get(f"/conversations/{sms.id}")
    slot = conv_page.text.split('id="customer360-slot"')[1].split("</div>")[0]
    assert 'id="merge-slot"' not in slot and 'id="merge-slot"' in conv_page.text

    page = await client.get(f"/customers/{sms.customer_id}")
    assert page.status_code == 200
    assert f'href="/conversations/{sms.id}"' in page.text
    assert f'"other_customer_id": "{mail.customer_id}"' in page.text  # suggested duplicate
    token = _csrf(page.text)
    saved = await client.post(f"/customers/{sms.customer_id}/profile",
                              data={"csrf": token, "name": "김민지B", "email": ""})
    assert saved.status_code == 303
    bad = await client.post(f"/customers/{sms.customer_id}/profile",
                            data={"csrf": token, "email": "not-an-email"})
    assert bad.status_code == 422 and "error-text" in bad.text
    note = await client.post(f"/customers/{sms.customer_id}/notes",
                             data={"csrf": token, "body": "VIP 고객, 배송 민감"})
    assert note.status_code == 303
    assert "VIP 고객" in (await client.get(f"/customers/{sms.customer_id}")).text
    assert (await client.post(f"/customers/{sms.customer_id}/notes",
                              data={"body": "x"})).status_code == 403

    kept, other = sms.customer_id, mail.customer_id
    session.expire_all()
    assert await session.scalar(select(Customer.name).where(Customer.id == kept)) == "김민지B"
    identity = await session.scalar(select(CustomerIdentity.id).where(
        CustomerIdentity.customer_id == other))
    refused = await client.post(f"/customers/{other}/split",
                                data={"csrf": token, "identity_ids": str(identity)})
    assert refused.status_code == 422  # keep at least one identity
    assert (await client.get("/customers/999999")).status_code == 404


async def test_a_split_moves_an_identity_and_a_conversation_to_a_new_customer(
        client: httpx.AsyncClient, session: AsyncSession, owner: Persona) -> None:
    first = await say(session, owner.workspace_id, "첫 문의", "+821011110000", "이서연")
    customer = await session.get(Customer, first.customer_id)
    assert customer is not None
    customer.identities.append(CustomerIdentity(workspace_id=owner.workspace_id, kind="email",
                                                value="sister@example.org"))
    await session.commit()
    moving = next(i.id for i in customer.identities if i.kind == "email")
    await _login(client, owner)
    token = _csrf((await client.get(f"/customers/{customer.id}")).text)
    split = await client.post(f"/customers/{customer.id}/split", data={
        "csrf": token, "identity_ids": str(moving), "conversation_ids": str(first.id),
        "name": "이서진"})
    assert split.status_code == 303
    new_id = int(split.headers["location"].split("/")[2].split("?")[0])
    first_id = first.id
    new_page = await client.get(split.headers["location"])
    assert "이서진" in new_page.text
    session.expire_all()
    assert await session.scalar(select(CustomerIdentity.customer_id).where(
        CustomerIdentity.id == moving)) == new_id
    assert await session.scalar(select(Conversation.id).where(Conversation.id == first_id))


async def test_opening_a_customer_page_is_an_access_log_row_and_a_reveal_skips_the_name(
        client: httpx.AsyncClient, session: AsyncSession, owner: Persona) -> None:
    conv = await say(session, owner.workspace_id, "소파 배송 문의", "+821098761234", "김민지")
    await _login(client, owner)
    page = await client.get(f"/customers/{conv.customer_id}")
    assert page.status_code == 200 and "김민지" in page.text
    assert "+821098761234" not in page.text and "010-9876-1234" not in page.text
    rows = (await session.scalars(select(PiiAccess).where(
        PiiAccess.customer_id == conv.customer_id))).all()
    assert [(r.action, r.fields, r.actor_id) for r in rows] == [
        ("customer_page", ["name"], owner.agent.user_id)]
    # the name is not masked, so it is not something a reveal unmasks
    refused = await client.post(f"/api/v1/customers/{conv.customer_id}/reveal",
                                json={"reason": "확인", "fields": ["name"]})
    assert refused.status_code == 422 and "cannot reveal" in refused.text
