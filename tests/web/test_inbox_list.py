"""The inbox list: agents land on Mine, latest activity first (or longest waiting), their own
unread counts, relative dates, pages, and bulk assign / label / resolve."""

from __future__ import annotations

import datetime as dt
import re

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.channels.web.manifest import MANIFEST as WEB
from omnidesk.domains.conversations.actions import do_add_message, do_assign, do_receive_inbound
from omnidesk.domains.conversations.schemas import InboundMessage
from omnidesk.domains.conversations.service import find_conversation
from omnidesk.domains.engagement.actions import do_mark_read
from omnidesk.domains.engagement.models import agent_reader
from omnidesk.web.rendering import relative_date
from tests.conftest import Persona
from tests.web.test_workspace_pages import _login

SQLITE = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
START = dt.datetime(2026, 12, 1, 1, 0, tzinfo=dt.UTC)


async def _customer_writes(session: AsyncSession, who: Persona, visitor: str, text: str,
                           at: dt.datetime, assign: bool = True) -> int:
    msg = await do_receive_inbound(session, workspace_id=who.workspace_id, inbound=InboundMessage(
        channel=WEB.kind, identity_kind=WEB.identity_kind, identity_value=visitor, text=text,
        sent_at=at))
    conv = await find_conversation(session, workspace_id=who.workspace_id,
                                   conversation_id=msg.conversation_id)
    assert conv is not None
    if assign and conv.assignee_id is None:
        await do_assign(session, conv=conv, assignee_id=who.agent.user_id)
    await session.commit()
    return conv.id


def _order(html: str) -> list[int]:
    return [int(i) for i in re.findall(r'class="conv-item[^"]*" data-conversation-id="(\d+)"', html)]


@SQLITE
async def test_an_agent_lands_on_mine_sorted_by_latest_activity_with_their_unread_counts(
    client: httpx.AsyncClient, session: AsyncSession, owner: Persona
) -> None:
    first = await _customer_writes(session, owner, "v-1", "먼저 온 문의", START)
    second = await _customer_writes(session, owner, "v-2", "나중에 온 문의", START + dt.timedelta(hours=1))
    await _customer_writes(session, owner, "v-3", "아무도 안 맡은 문의", START, assign=False)
    await _login(client, owner)
    page = (await client.get("/inbox")).text
    assert 'class="active" data-view="mine"' in page
    assert _order(page) == [second, first]  # the unassigned one is not "mine"

    # The first customer writes again: their conversation moves to the top, 2 unread.
    await _customer_writes(session, owner, "v-1", "답이 없네요", START + dt.timedelta(hours=2))
    listing = (await client.get("/inbox/list")).text
    assert _order(listing) == [first, second]
    assert re.search(rf'data-conversation-id="{first}".*?unread-count[^>]*>2<', listing, re.DOTALL)
    # Longest waiting first puts the first customer (waiting since START) on top too, and the
    # second (waiting an hour less) after.
    assert _order((await client.get("/inbox/list?sort=waiting")).text) == [first, second]

    # The agent reads the first conversation: its count goes; another agent's reading doesn't.
    await do_mark_read(session, workspace_id=owner.workspace_id, conversation_id=second,
                       reader=agent_reader(owner.admin.user_id or 0), message_id=10**9)
    conv = await find_conversation(session, workspace_id=owner.workspace_id, conversation_id=first)
    assert conv is not None
    await do_add_message(session, conv=conv, text="확인해 볼게요", author_kind="agent",
                         author_id=owner.agent.user_id)
    await do_mark_read(session, workspace_id=owner.workspace_id, conversation_id=first,
                       reader=agent_reader(owner.agent.user_id or 0), message_id=10**9)
    await session.commit()
    listing = (await client.get("/inbox/list")).text
    counts = dict(re.findall(r'data-conversation-id="(\d+)".*?(?:unread-count[^>]*>(\d+)<|</li>)',
                             listing, re.DOTALL))
    assert counts == {str(first): "", str(second): "1"}


@SQLITE
async def test_the_list_comes_in_pages_that_load_as_the_agent_scrolls(
    client: httpx.AsyncClient, session: AsyncSession, owner: Persona
) -> None:
    for i in range(53):
        await _customer_writes(session, owner, f"p-{i}", f"문의 {i}", START + dt.timedelta(minutes=i))
    await _login(client, owner)
    page = (await client.get("/inbox")).text
    assert len(_order(page)) == 50
    more = re.search(r'hx-get="(/inbox/list\?[^"]*offset=50[^"]*)" hx-trigger="intersect once"', page)
    assert more is not None
    rest = (await client.get(more.group(1).replace("&amp;", "&"))).text
    assert len(_order(rest)) == 3 and "offset=100" not in rest
    assert set(_order(page)).isdisjoint(_order(rest))


@SQLITE
async def test_bulk_actions_assign_label_and_resolve_the_selected_conversations(
    client: httpx.AsyncClient, session: AsyncSession, owner: Persona
) -> None:
    a = await _customer_writes(session, owner, "b-1", "배송 문의", START, assign=False)
    b = await _customer_writes(session, owner, "b-2", "배송 문의 2", START, assign=False)
    token = await _login(client, owner)
    refused = await client.post("/inbox/bulk", data={"action": "resolve", "ids": [a, b]})
    assert refused.status_code == 403
    for action, extra in (("assign_me", {}), ("label", {"label": "배송"}), ("resolve", {})):
        done = await client.post("/inbox/bulk", data={"action": action, "ids": [a, b],
                                                      "csrf": token, **extra})
        assert done.status_code == 303, done.text
    listing = (await client.get("/inbox/list?view=mine&status=resolved")).text
    assert set(_order(listing)) == {a, b}
    assert listing.count('<span class="label">배송</span>') == 2
    empty = await client.post("/inbox/bulk", data={"action": "label", "ids": [a], "csrf": token})
    assert empty.status_code == 422


def test_dates_read_as_inbox_lists_say_them_in_both_languages() -> None:
    now = dt.datetime(2026, 12, 5, 6, 0, tzinfo=dt.UTC)  # 15:00 in Seoul
    today = dt.datetime(2026, 12, 5, 1, 30, tzinfo=dt.UTC)
    yesterday, earlier = now - dt.timedelta(days=1), dt.datetime(2026, 12, 2, 3, tzinfo=dt.UTC)
    last_year = dt.datetime(2025, 3, 9, 3, tzinfo=dt.UTC)
    assert relative_date(today, "ko", now=now) == "10:30"
    assert [relative_date(d, "ko", now=now) for d in (yesterday, earlier, last_year)] == [
        "어제", "12월 2일", "2025년 3월 9일"]
    assert [relative_date(d, "en", now=now) for d in (yesterday, earlier, last_year)] == [
        "Yesterday", "Dec 2", "Mar 9, 2025"]
