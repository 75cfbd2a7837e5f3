"""Authors see what readers could not find (help center searches, masked) and votes per article."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.domains.knowledge.models import KbSearchMiss
from omnidesk.web import help_center, kb_admin
from tests.conftest import Persona
from tests.domains.knowledge.kb_setup import import_demo_articles


@pytest.fixture
async def kb(client: httpx.AsyncClient, session: AsyncSession, owner: Persona,
             tmp_path: Path) -> httpx.AsyncClient:
    app = client.app  # type: ignore[attr-defined]
    paths = {getattr(r, "path", "") for r in app.routes}
    for router in (help_center.router, kb_admin.router):
        if not any(getattr(r, "path", "") in paths for r in router.routes):
            app.include_router(router)
    await import_demo_articles(session, owner.workspace_id, ("ko/installation-booking.md",),
                               tmp_path)
    await session.commit()
    return client


async def test_searches_with_no_result_and_votes_reach_the_authors(
        kb: httpx.AsyncClient, session: AsyncSession, owner: Persona) -> None:
    search = "/help/acme/ko/search"
    for _ in range(2):
        await kb.get(search, params={"q": "우주선 환불  문의 010-2345-6789"})
    await kb.get(search, params={"q": "잠수함 수리"})
    await kb.get(search, params={"q": "잠수"}, headers={"HX-Request": "true"})  # typing: kept out
    await kb.get(search, params={"q": "설치 예약"})  # found something
    stored = (await session.scalars(select(KbSearchMiss.query))).all()
    assert sorted(stored) == ["우주선 환불 문의 010-****-6789"] * 2 + ["잠수함 수리"]
    page = await kb.get("/help/acme/ko/articles/installation-booking")
    csrf = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)
    await kb.post("/help/acme/ko/articles/installation-booking/vote",
                  data={"helpful": "no", "csrf": csrf})
    login = await kb.get("/login")
    token = re.search(r'name="csrf" value="([^"]+)"', login.text).group(1)
    await kb.post("/login", data={"email": f"admin@{owner.slug}.example",
                                  "password": owner.password, "csrf": token})
    listing = await kb.get("/kb-admin")
    rows = re.findall(r"<tr><td>([^<]+)</td><td>([^<]+)</td><td>(\d+)</td></tr>", listing.text)
    assert rows[0][1:] == ("고객센터 검색", "2") and "우주선" in rows[0][0]
    assert rows[1][0] == "잠수함 수리" and "2345" not in listing.text
    assert "<td>0 / 1</td>" in listing.text
