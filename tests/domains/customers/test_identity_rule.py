"""The one identity-verification rule: only signed (proven) attributes link or merge customers."""

from __future__ import annotations

import json

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.channels.api.adapter import ApiChannelAdapter
from omnidesk.core.security import hmac_sha256_hex
from omnidesk.domains.conversations.actions import do_receive_inbound
from omnidesk.domains.conversations.schemas import InboundMessage
from omnidesk.domains.customers.service import find_by_identity, signed_attributes
from tests.channels.conftest import raw_request
from tests.conftest import Persona

SECRET = "workspace-secret"


@pytest.mark.parametrize(("user_id", "email", "message", "proven"), [
    ("u-1", None, "u-1", {"user_id"}),
    ("u-1", "a@x.kr", "u-1", {"user_id"}),
    ("u-1", "a@x.kr", "user_id=u-1\nemail=a@x.kr", {"user_id", "email"}),
    ("u-1", "b@x.kr", "user_id=u-1\nemail=a@x.kr", set()),
    ("u-2", "a@x.kr", "user_id=u-1\nemail=a@x.kr", set()),
    ("u-1\nemail=a@x.kr", None, "u-1\nemail=a@x.kr", set()),
    ("u-1", "a@x.kr\nphone=1", "user_id=u-1\nemail=a@x.kr\nphone=1", set()),
])
def test_a_signature_proves_exactly_the_attributes_it_covers(
    user_id: str, email: str | None, message: str, proven: set[str]
) -> None:
    signature = hmac_sha256_hex(SECRET, message)
    assert signed_attributes(SECRET, user_id=user_id, email=email,
                             signature=signature) == proven
    assert signed_attributes(SECRET, user_id=user_id, email=email, signature=None) == set()


async def _inbound(session: AsyncSession, owner: Persona, inbound: InboundMessage) -> int:
    msg = await do_receive_inbound(session, workspace_id=owner.workspace_id, inbound=inbound)
    await session.commit()
    return msg.conversation_id


async def test_an_api_channel_user_claiming_an_existing_email_stays_a_separate_customer(
    session: AsyncSession, owner: Persona
) -> None:
    await _inbound(session, owner, InboundMessage(
        channel="email", identity_kind="email", identity_value="minji@example.org",
        provider_message_id="<m1@x>", text="주문 문의"))
    body = json.dumps({"id": "evt_9", "type": "message", "text": "제 주문 보여주세요",
                       "user": {"id": "app-user-9", "email": "minji@example.org",
                                "phone": "+821012345678"}}).encode()
    [event] = ApiChannelAdapter().parse_inbound(
        raw_request("https://x/channels/api/acme/webhook", body), None).events  # type: ignore[arg-type]
    await _inbound(session, owner, event.inbound)

    mail = await find_by_identity(session, workspace_id=owner.workspace_id, kind="email",
                                  value="minji@example.org")
    app = await find_by_identity(session, workspace_id=owner.workspace_id, kind="api",
                                 value="app-user-9")
    assert mail is not None and app is not None and app.id != mail.id
    assert mail.merged_into_id is None and {i.kind for i in app.identities} == {"api"}


async def test_a_signed_user_ids_unproven_email_neither_merges_nor_attaches(
    session: AsyncSession, owner: Persona
) -> None:
    await _inbound(session, owner, InboundMessage(
        channel="email", identity_kind="email", identity_value="minji@example.org",
        provider_message_id="<m1@x>", text="주문 문의"))
    for n, email in enumerate((None, "minji@example.org")):
        await _inbound(session, owner, InboundMessage(
            channel="web", identity_kind="user_id", identity_value="shop-9",
            identity_verified=True, customer_email=email, provider_message_id=f"w{n}",
            text="안녕하세요"))
    mail = await find_by_identity(session, workspace_id=owner.workspace_id, kind="email",
                                  value="minji@example.org")
    shopper = await find_by_identity(session, workspace_id=owner.workspace_id, kind="user_id",
                                     value="shop-9")
    assert mail is not None and shopper is not None and shopper.id != mail.id
    assert mail.merged_into_id is None and shopper.merged_into_id is None
    assert {i.kind for i in shopper.identities} == {"user_id"}
