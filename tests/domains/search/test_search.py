"""Search: Korean words through the knowledge base's analyser, handles, order numbers, filters,
tenancy, and the indexer catching up with new messages (both databases)."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.core.context import Scope
from omnidesk.domains.commerce.models import Order
from omnidesk.domains.conversations.actions import do_receive_inbound
from omnidesk.domains.conversations.models import Conversation
from omnidesk.domains.conversations.schemas import InboundMessage
from omnidesk.domains.customers.models import Customer
from omnidesk.domains.search import service
from omnidesk.domains.search.actions import do_index_new_messages
from omnidesk.domains.search.schemas import SearchFilter
from omnidesk.domains.search.service import search
from tests.conftest import Persona


async def say(session: AsyncSession, workspace_id: int, text: str, sender: str,
              name: str | None = None, channel: str = "sms") -> Conversation:
    msg = await do_receive_inbound(session, workspace_id=workspace_id, inbound=InboundMessage(
        channel=channel, identity_kind="phone", identity_value=sender, text=text,
        customer_name=name, provider_message_id=f"{sender}-{text[:10]}"))
    await session.commit()
    return await session.get(Conversation, msg.conversation_id)  # type: ignore[return-value]


async def test_a_korean_word_finds_the_conversation_whatever_its_ending(
        session: AsyncSession, owner: Persona, outsider: Persona) -> None:
    refund = await say(session, owner.workspace_id, "지난주에 환불했는데 아직 안 들어왔어요",
                       "+821011112222", "김민지")
    await say(session, owner.workspace_id, "배송이 언제 오나요?", "+821033334444", "박서준")
    await say(session, outsider.workspace_id, "환불 요청합니다", "+821055556666")
    assert (await search(session, actor=owner.agent, q="환불")).conversations == []  # not yet
    assert await do_index_new_messages(session) == 3
    await session.commit()

    found = await search(session, actor=owner.agent, q="환불")
    assert [h.conversation_id for h in found.conversations] == [refund.id]  # not the outsider's
    assert "환불" in found.conversations[0].snippet
    assert found.conversations[0].customer_name == "김민지"
    assert [h.conversation_id for h in (await search(
        session, actor=owner.agent, q="환불 요청")).conversations] == []  # every word must match
    assert await do_index_new_messages(session) == 0  # nothing left to index

    # A limited agent (scoped to a team) finds neither the conversation nor its customer.
    limited = replace(owner.agent, scope=Scope(team_ids=frozenset({999}), inbox_ids=frozenset()))
    hidden = await search(session, actor=limited, q="환불")
    assert hidden.conversations == []
    assert (await search(session, actor=limited, q="김민지")).customers == []
    assert (await search(session, actor=limited, q=f"#{refund.id}")).conversations == []


async def test_customers_are_found_by_name_phone_and_order_with_handles_masked(
        session: AsyncSession, owner: Persona) -> None:
    conv = await say(session, owner.workspace_id, "문의드립니다", "+821098765432", "이서연")
    session.add(Order(workspace_id=owner.workspace_id, external_id="HB2026120100042",
                      customer_id=conv.customer_id, status="paid", currency="KRW", total=1000))
    await session.commit()
    for q in ("이서연", "서연", "98765432", "HB2026120100042"):
        hits = (await search(session, actor=owner.agent, q=q)).customers
        assert [h.customer_id for h in hits] == [conv.customer_id], q
    hit = (await search(session, actor=owner.agent, q="이서연")).customers[0]
    assert hit.handles and not any("98765" in h for h in hit.handles)  # masked, as in the panel
    assert hit.url == f"/customers/{conv.customer_id}"


async def test_filters_narrow_conversation_hits(session: AsyncSession, owner: Persona) -> None:
    open_one = await say(session, owner.workspace_id, "쿠폰이 적용이 안돼요", "+821000000001")
    done = await say(session, owner.workspace_id, "쿠폰 코드가 만료됐어요", "+821000000002")
    done.status = "resolved"
    done.assignee_id = owner.agent.user_id
    await session.commit()
    await do_index_new_messages(session)
    await session.commit()

    async def ids(**flt: object) -> set[int]:
        found = await search(session, actor=owner.agent, q="쿠폰", flt=SearchFilter(**flt))
        return {h.conversation_id for h in found.conversations}

    assert await ids() == {open_one.id, done.id}
    assert await ids(status="resolved") == {done.id}
    assert await ids(assignee="me") == {done.id}
    assert await ids(assignee="none") == {open_one.id}
    assert await ids(channel="email") == set()
    tomorrow = dt.datetime.now(dt.UTC).date() + dt.timedelta(days=1)
    assert await ids(date_from=tomorrow) == set()
    assert await ids(date_to=tomorrow) == {open_one.id, done.id}


async def test_the_api_answers_and_refuses_bad_filters_with_422(
        session: AsyncSession, owner: Persona, client: httpx.AsyncClient) -> None:
    conv = await say(session, owner.workspace_id, "refund not arrived yet", "+821077778888",
                     "Jane Doe")
    await do_index_new_messages(session)
    await session.commit()
    res = await client.get("/api/v1/search", params={"q": "refunds"}, headers=owner.headers)
    assert res.status_code == 200, res.text
    assert [h["conversation_id"] for h in res.json()["conversations"]] == [conv.id]
    res = await client.get("/api/v1/search", params={"q": f"#{conv.id}"}, headers=owner.headers)
    assert [h["url"] for h in res.json()["conversations"]] == [f"/conversations/{conv.id}"]
    bad = await client.get("/api/v1/search", params={"q": "x", "status": "lost"},
                           headers=owner.headers)
    assert bad.status_code == 422
    assert (await client.get("/api/v1/search", params={"q": "x"})).status_code == 401
    assert isinstance(await session.get(Customer, conv.customer_id), Customer)


async def test_older_matches_are_found_past_the_recent_window_newest_first(
        session: AsyncSession, owner: Persona, monkeypatch: pytest.MonkeyPatch) -> None:
    """Past the newest ids (walked in id order) the rest come from the full-text index alone:
    the same conversations, in the same newest-first order, as one query would give."""
    convs = [await say(session, owner.workspace_id, f"환불 문의 {i}번째", f"+82100000100{i}")
             for i in range(4)]
    await say(session, owner.workspace_id, "배송 문의", "+821000009999")  # newest, no match
    await do_index_new_messages(session)
    await session.commit()
    whole = [h.conversation_id for h in (await search(session, actor=owner.agent,
                                                       q="환불")).conversations]
    monkeypatch.setattr(service, "RECENT_IDS", 2)  # the newest two ids: one match in them
    split = [h.conversation_id for h in (await search(session, actor=owner.agent,
                                                       q="환불")).conversations]
    assert whole == split == [c.id for c in reversed(convs)]
