"""Agents see personal data in message bodies masked; a reveal needs a reason, is logged, and a
role without `pii.reveal` cannot do it. Also over the API."""

from __future__ import annotations

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.domains.agents.actions import do_create_role, do_create_user
from omnidesk.domains.agents.schemas import RoleCreate, UserCreate
from omnidesk.domains.conversations.actions import do_receive_inbound
from omnidesk.domains.conversations.schemas import InboundMessage
from omnidesk.domains.privacy.models import PiiAccess
from tests.conftest import Persona
from tests.domains.assist.conftest import log_in

PHONE, EMAIL, RRN = "010-2345-6789", "kim.minsu@gmail.com", "900101-1234568"
TEXT = f"연락처 {PHONE}, 메일 {EMAIL}, 주민번호 {RRN} 입니다"


async def _message(session: AsyncSession, owner: Persona) -> tuple[int, int]:
    message = await do_receive_inbound(session, workspace_id=owner.workspace_id,
                                       inbound=InboundMessage(
        channel="web", identity_kind="web_visitor", identity_value="v-reveal", text=TEXT,
        customer_name="김민수", customer_email=EMAIL, customer_phone="+82 10 2345 6789"))
    await session.commit()
    return message.conversation_id, message.id


async def test_the_thread_masks_bodies_and_a_reveal_with_a_reason_is_logged(
        client: httpx.AsyncClient, session: AsyncSession, owner: Persona) -> None:
    conv_id, message_id = await _message(session, owner)
    csrf = await log_in(client, owner.agent_email, owner.password)
    page = (await client.get(f"/conversations/{conv_id}")).text
    for value in (PHONE, EMAIL, RRN, "+821023456789"):  # thread and customer panel
        assert value not in page, value
    assert "010-****-6789" in page and "reveal" in page
    url = f"/conversations/{conv_id}/messages/{message_id}/reveal"
    assert (await client.post(url, data={"reason": "배송"})).status_code == 403  # no CSRF
    refused = await client.post(url, data={"reason": " "}, headers={"X-CSRF-Token": csrf})
    assert refused.status_code == 422 and refused.text  # the reason is required
    shown = await client.post(url, data={"reason": "배송지 확인"}, headers={"X-CSRF-Token": csrf})
    assert shown.status_code == 200, shown.text
    for value in (PHONE, EMAIL, RRN):
        assert value in shown.text, value
    rows = (await session.scalars(select(PiiAccess))).all()
    assert [(r.action, r.actor_id, r.message_id, r.reason, r.fields) for r in rows] == [
        ("reveal", owner.agent.user_id, message_id, "배송지 확인", ["email", "phone", "rrn"])]
    # another conversation's id in the path: not found, nothing logged
    wrong = f"/conversations/{conv_id + 999}/messages/{message_id}/reveal"
    missing = await client.post(wrong, data={"reason": "x"}, headers={"X-CSRF-Token": csrf})
    assert missing.status_code == 404
    api = await client.post(f"/api/v1/conversations/{conv_id}/messages/{message_id}/reveal",
                            headers=owner.headers, json={"reason": "API 확인"})
    assert api.status_code == 200 and PHONE in api.json()["text"]
    assert len((await session.scalars(select(PiiAccess))).all()) == 2


async def test_a_role_without_the_reveal_permission_sees_masked_values_only(
        client: httpx.AsyncClient, session: AsyncSession, owner: Persona) -> None:
    conv_id, message_id = await _message(session, owner)
    role = await do_create_role(session, actor=owner.admin, role_in=RoleCreate(
        name="Trainee", base_role="agent", permissions=[]))
    await do_create_user(session, actor=owner.admin, user_in=UserCreate(
        email="trainee@acme.example", name="Trainee", password=owner.password, role="agent",
        role_id=role.id))
    await session.commit()
    csrf = await log_in(client, "trainee@acme.example", owner.password)
    page = (await client.get(f"/conversations/{conv_id}")).text
    assert PHONE not in page
    url = f"/conversations/{conv_id}/messages/{message_id}/reveal"
    refused = await client.post(url, data={"reason": "궁금해서"}, headers={"X-CSRF-Token": csrf})
    assert refused.status_code == 403 and PHONE not in refused.text
    assert (await session.scalars(select(PiiAccess))).all() == []

