"""The staff search: the top bar's box on every workspace page, the popover and the page."""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.domains.search.actions import do_index_new_messages
from tests.conftest import Persona
from tests.domains.search.test_search import say
from tests.web.test_workspace_pages import _login

pytestmark = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)


async def test_an_agent_searches_from_the_top_bar_and_filters_the_results(
        client: httpx.AsyncClient, session: AsyncSession, owner: Persona) -> None:
    conv = await say(session, owner.workspace_id, "현금영수증 발급해 주세요", "+821012340000",
                     "최하늘")
    await do_index_new_messages(session)
    await session.commit()
    await _login(client, owner)
    inbox = await client.get("/inbox")
    assert 'id="search-input"' in inbox.text and "/static/search.js" in inbox.text
    popover = await client.get("/search/popover", params={"q": "영수증"})
    assert f'href="/conversations/{conv.id}#m' in popover.text and "최하늘" in popover.text
    assert f'href="/customers/{conv.customer_id}"' in (
        await client.get("/search/popover", params={"q": "최하늘"})).text
    page = await client.get("/search", params={"q": "영수증", "status": "resolved"})
    assert page.status_code == 200 and f"/conversations/{conv.id}" not in page.text
    assert "검색 결과가 없어요" in page.text or "Nothing found" in page.text
    bad = await client.get("/search", params={"q": "영수증", "assignee": "someone"})
    assert bad.status_code == 422
