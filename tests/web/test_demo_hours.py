"""The demo store's hours are stated once (DEMO_BUSINESS_HOURS) and every page shows those."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.demo.knowledge import DEMO_FOLDER
from omnidesk.demo.loader import DEMO_BUSINESS_HOURS
from omnidesk.demo.store import DEMO_SLUG
from omnidesk.domains.engagement.actions import do_ensure_web_inbox
from omnidesk.domains.knowledge.search.engine import search
from omnidesk.domains.workspaces.models import Workspace
from tests.conftest import make_persona
from tests.domains.knowledge.kb_setup import import_demo_articles

HOURS_KO = "월–금 09:00–18:00, 토 09:00–13:00"
HOURS_EN = "Mon–Fri 09:00–18:00, Sat 09:00–13:00"
ARTICLES = ("ko/contact-hours.md", "en/contact-hours.md", "ko/membership-vip-benefits.md",
            "en/membership-vip-benefits.md")
CLOCK = re.compile(r"\b\d{1,2}:\d{2}\b")


async def demo_workspace(session: AsyncSession, tmp_path: Path) -> int:
    persona = await make_persona(session, DEMO_SLUG)
    workspace = await session.get(Workspace, persona.workspace_id)
    assert workspace is not None
    workspace.business_hours = dict(DEMO_BUSINESS_HOURS)
    await import_demo_articles(session, persona.workspace_id, ARTICLES, tmp_path)
    await session.commit()
    return persona.workspace_id


def test_the_demo_articles_state_no_hours_of_their_own() -> None:
    for name in ARTICLES:
        body = (DEMO_FOLDER / name).read_text(encoding="utf-8")
        assert not CLOCK.search(body), f"{name} states hours; use {{{{hours}}}}"
        assert "{{hours}}" in body


async def test_store_footer_help_center_and_widget_show_the_demo_hours(
        client: httpx.AsyncClient, session: AsyncSession, tmp_path: Path) -> None:
    workspace_id = await demo_workspace(session, tmp_path)
    footer = (await client.get("/demo/store")).text.split('class="store-foot"')[1]
    assert HOURS_KO in footer and "1588-4321" in footer
    for locale, hours in (("ko", HOURS_KO), ("en", HOURS_EN)):
        article = (await client.get(f"/help/{DEMO_SLUG}/{locale}/articles/contact-hours")).text
        body = article.split('id="support-hours"')[0]
        assert body.count(hours) >= 3 and "{{" not in article  # chat, phone and VIP rows
        assert article.split('id="support-hours"')[1].count(hours) == 1  # the footer
        vip = (await client.get(f"/help/{DEMO_SLUG}/{locale}/articles/membership-vip-benefits"))
        assert hours in vip.text and "{{" not in vip.text
    found = await client.get(f"/help/{DEMO_SLUG}/ko/search", params={"q": "VIP 전용 상담 전화"})
    assert "membership-vip-benefits" in found.text and "{{" not in found.text
    # What the bot quotes and agents insert comes from the same search: hours filled in too.
    passages = await search(session, workspace_id=workspace_id, query="상담 전화 운영 시간",
                            locale="ko", limit=10, per_article=10)
    assert any(HOURS_KO in p.text for p in passages)
    assert not any("{{" in p.text + p.snippet for p in passages)
    frame = await client.get("/widget/frame", params={"workspace": DEMO_SLUG},
                             headers={"Accept-Language": "ko"})
    assert HOURS_KO in frame.text


async def test_pages_of_the_site_show_its_web_inbox_hours_as_the_widget_does(
        client: httpx.AsyncClient, session: AsyncSession, tmp_path: Path) -> None:
    """The website chat inbox has its own hours: store footer, help center and widget agree."""
    workspace_id = await demo_workspace(session, tmp_path)
    inbox = await do_ensure_web_inbox(session, workspace_id=workspace_id)
    inbox.hours = {"weekly": {day: [["10:00", "16:00"]] for day in ("mon", "tue", "wed")}}
    await session.commit()
    chat_ko, chat_en = "월–수 10:00–16:00", "Mon–Wed 10:00–16:00"
    footer = (await client.get("/demo/store")).text.split('class="store-foot"')[1]
    assert chat_ko in footer and HOURS_KO not in footer
    for locale, hours, store in (("ko", chat_ko, HOURS_KO), ("en", chat_en, HOURS_EN)):
        page = (await client.get(f"/help/{DEMO_SLUG}/{locale}/articles/contact-hours")).text
        body, help_footer = page.split('id="support-hours"')
        assert hours in body and hours in help_footer and store not in page
    found = await client.get(f"/help/{DEMO_SLUG}/ko/search", params={"q": "VIP 전용 상담 전화"})
    assert chat_ko in found.text and HOURS_KO not in found.text
    state = (await client.get("/widget/api/state", params={"workspace": DEMO_SLUG})).json()
    assert state["summary"] == chat_ko
