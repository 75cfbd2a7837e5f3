"""The public help center, the agent suggestions API and the KB API, through the ASGI app."""

from __future__ import annotations

import io
import json
import re
import zipfile
from pathlib import Path

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.domains.conversations.actions import do_receive_inbound
from omnidesk.domains.conversations.schemas import InboundMessage
from omnidesk.domains.knowledge import views
from omnidesk.web import help_center, kb_admin
from tests.conftest import Persona
from tests.domains.knowledge.kb_setup import import_demo_articles

ARTICLES = ("ko/installation-no-show.md", "en/installation-no-show.md",
            "ko/installation-booking.md", "ko/agent-installation-no-show.md")


@pytest.fixture
async def kb_client(client: httpx.AsyncClient, session: AsyncSession, owner: Persona,
                    tmp_path: Path) -> httpx.AsyncClient:
    """The app with the knowledge routers, and a few demo articles in workspace 'acme'."""
    app = client.app  # type: ignore[attr-defined]
    paths = {getattr(r, "path", "") for r in app.routes}
    for router in (views.router, help_center.router, kb_admin.router):
        if not any(getattr(r, "path", "") in paths for r in router.routes):
            app.include_router(router)
    await import_demo_articles(session, owner.workspace_id, ARTICLES, tmp_path)
    await session.commit()
    return client


async def test_the_help_center_answers_the_no_show_question(kb_client: httpx.AsyncClient) -> None:
    page = await kb_client.get("/help/acme/ko/search", params={"q": "설치 기사님이 안왔어요"},
                               headers={"HX-Request": "true"})
    assert page.status_code == 200 and "<html" not in page.text
    links = re.findall(r'href="(/help/acme/[^"]+)"', page.text)
    assert links[0] == "/help/acme/ko/articles/installation-no-show"
    assert "<mark>" in page.text


async def test_an_article_page_has_title_canonical_and_translation(
        kb_client: httpx.AsyncClient) -> None:
    page = await kb_client.get("/help/acme/ko/articles/installation-no-show")
    assert page.status_code == 200
    assert "<title>설치 기사님이 약속한 시간에 오지 않았어요 · acme</title>" in page.text
    assert ('<link rel="canonical" href="http://testserver/help/acme/ko/articles/'
            'installation-no-show">') in page.text
    assert 'hreflang="en" href="http://testserver/help/acme/en/articles/installation-no-show"' \
        in page.text
    assert "<h2>저희가 해 드리는 것</h2>" in page.text
    assert "script-src 'self'" in page.headers["content-security-policy"]


async def test_home_lists_categories_and_the_root_redirects(kb_client: httpx.AsyncClient) -> None:
    assert (await kb_client.get("/help/acme")).headers["location"] == "/help/acme/ko"
    home = await kb_client.get("/help/acme/en")
    assert home.status_code == 200 and "Installation" in home.text
    assert "Agents only" not in home.text


async def test_internal_articles_are_not_published_to_the_help_center(
        kb_client: httpx.AsyncClient) -> None:
    assert (await kb_client.get("/help/acme/ko/articles/agent-installation-no-show")
            ).status_code == 404
    sitemap = await kb_client.get("/help/acme/sitemap.xml")
    assert sitemap.headers["content-type"].startswith("application/xml")
    assert "/help/acme/en/articles/installation-no-show</loc>" in sitemap.text
    assert "agent-installation-no-show" not in sitemap.text


async def test_a_visitor_votes_once(kb_client: httpx.AsyncClient) -> None:
    page = await kb_client.get("/help/acme/ko/articles/installation-booking")
    token = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)
    url = "/help/acme/ko/articles/installation-booking/vote"
    assert (await kb_client.post(url, data={"helpful": "yes"})).status_code == 403
    first = await kb_client.post(url, data={"helpful": "yes", "csrf": token})
    second = await kb_client.post(url, data={"helpful": "no", "csrf": token})
    assert "감사합니다" in first.text and "이미" in second.text


async def test_agents_get_suggestions_beside_the_conversation(
        kb_client: httpx.AsyncClient, session: AsyncSession, owner: Persona) -> None:
    message = await do_receive_inbound(session, workspace_id=owner.workspace_id,
                                       inbound=InboundMessage(
                                           channel="web", identity_kind="web_visitor",
                                           identity_value="v-1", text="설치 기사님이 안왔어요"))
    await session.commit()
    response = await kb_client.get("/api/v1/kb/suggestions", headers=owner.headers,
                                   params={"conversation_id": message.conversation_id})
    assert response.status_code == 200
    slugs = [hit["slug"] for hit in response.json()]
    assert slugs[0] == "installation-no-show" and "agent-installation-no-show" in slugs
    assert (await kb_client.get("/api/v1/kb/search", params={"q": "기사"})).status_code == 401


async def test_the_api_creates_publishes_and_finds_an_article(
        kb_client: httpx.AsyncClient, owner: Persona) -> None:
    created = await kb_client.post("/api/v1/kb/articles", headers=owner.headers, json={
        "slug": "sofa-pet", "title": "반려동물 있는 집 소파 고르기",
        "body": "스크래치에 강한 원단"})
    assert created.status_code == 201
    article_id = created.json()["id"]
    published = await kb_client.post(f"/api/v1/kb/articles/{article_id}/publish",
                                      headers=owner.headers)
    assert published.json()["status"] == "published"
    hits = (await kb_client.get("/api/v1/kb/search", headers=owner.headers,
                                params={"q": "강아지 스크래치 소파"})).json()
    assert hits[0]["slug"] == "sofa-pet"


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


async def upload(client: httpx.AsyncClient, owner: Persona, **form: str) -> dict:
    """Upload PNG as an article image with the admin's API token."""
    uploaded = await client.post("/api/v1/kb/attachments", headers=owner.headers, data=form,
                                 files={"file": ("guide.png", PNG, "image/png")})
    assert uploaded.status_code == 201, uploaded.text
    return uploaded.json()  # type: ignore[no-any-return]


async def add_article(client: httpx.AsyncClient, owner: Persona, slug: str, body: str,
                      *, visibility: str = "public", publish: bool = True) -> int:
    """Create an article (published unless told otherwise) and return its id."""
    created = await client.post("/api/v1/kb/articles", headers=owner.headers, json={
        "slug": slug, "title": slug, "body": body, "visibility": visibility})
    article_id: int = created.json()["id"]
    if publish:
        await client.post(f"/api/v1/kb/articles/{article_id}/publish", headers=owner.headers)
    return article_id


async def test_an_uploaded_image_is_served_by_the_help_center_once_a_public_article_shows_it(
        kb_client: httpx.AsyncClient, owner: Persona) -> None:
    body = await upload(kb_client, owner)
    assert body["markdown"] == f"![guide.png]({body['url']})"
    assert (await kb_client.get(body["url"])).status_code == 404  # not shown anywhere yet
    await add_article(kb_client, owner, "with-image", f"설명\n\n{body['markdown']}")
    served = await kb_client.get(body["url"])
    assert served.content == PNG and served.headers["content-type"] == "image/png"
    assert served.headers["cache-control"].startswith("public")
    rejected = await kb_client.post("/api/v1/kb/attachments", headers=owner.headers,
                                    files={"file": ("x.html", b"<script>", "text/html")})
    assert rejected.status_code == 422


async def test_attachments_of_internal_or_draft_articles_are_not_public(
        kb_client: httpx.AsyncClient, owner: Persona) -> None:
    internal = await upload(kb_client, owner)
    await add_article(kb_client, owner, "staff-only", internal["markdown"], visibility="internal")
    draft_id = await add_article(kb_client, owner, "draft", "soon", publish=False)
    linked = await upload(kb_client, owner, article_id=str(draft_id))
    for url in (internal["url"], linked["url"]):
        assert (await kb_client.get(url)).status_code == 404
        staff = await kb_client.get(url, headers=owner.headers)  # the editor's preview
        assert staff.status_code == 200 and staff.headers["cache-control"] == "private, no-store"
    await kb_client.post(f"/api/v1/kb/articles/{draft_id}/publish", headers=owner.headers)
    assert (await kb_client.get(linked["url"])).status_code == 200


async def test_an_upload_whose_content_is_not_its_type_is_refused(
        kb_client: httpx.AsyncClient, owner: Persona) -> None:
    for name, data, kind in (("fake.png", b"<svg onload=alert(1)>", "image/png"),
                             ("page.pdf", b"<html><script>", "application/pdf"),
                             ("x.txt", b"MZ\x00\x00binary", "text/plain"),
                             ("x.svg", b"<svg/>", "image/svg+xml")):
        refused = await kb_client.post("/api/v1/kb/attachments", headers=owner.headers,
                                       files={"file": (name, data, kind)})
        assert refused.status_code == 422, name


async def test_a_cookie_session_upload_needs_the_csrf_token(
        kb_client: httpx.AsyncClient, owner: Persona) -> None:
    login = await kb_client.get("/login")
    token = re.search(r'name="csrf" value="([^"]+)"', login.text).group(1)
    await kb_client.post("/login", data={"email": f"admin@{owner.slug}.example",
                                         "password": owner.password, "csrf": token})
    page = await kb_client.get("/inbox")
    csrf = re.search(r'"X-CSRF-Token": "([^"]+)"', page.text).group(1)
    files = {"file": ("guide.png", PNG, "image/png")}
    forged = await kb_client.post("/api/v1/kb/attachments", files=files)
    assert forged.status_code == 403 and "CSRF" in forged.json()["message"]
    assert (await kb_client.post("/api/v1/kb/attachments", files=files,
                                 data={"csrf": "nope"})).status_code == 403
    by_field = await kb_client.post("/api/v1/kb/attachments", files=files, data={"csrf": csrf})
    by_header = await kb_client.post("/api/v1/kb/attachments", files=files,
                                     headers={"X-CSRF-Token": csrf})
    assert by_field.status_code == 201 and by_header.status_code == 201


async def test_the_agent_side_panel_offers_link_and_passage_inserts(
        kb_client: httpx.AsyncClient, session: AsyncSession, owner: Persona) -> None:
    message = await do_receive_inbound(session, workspace_id=owner.workspace_id,
                                       inbound=InboundMessage(
                                           channel="web", identity_kind="web_visitor",
                                           identity_value="v-2", text="설치 기사님이 안왔어요"))
    await session.commit()
    login = await kb_client.get("/login")
    token = re.search(r'name="csrf" value="([^"]+)"', login.text).group(1)
    await kb_client.post("/login", data={"email": owner.agent_email, "password": owner.password,
                                         "csrf": token})
    panel = await kb_client.get("/kb-admin/suggestions",
                                params={"conversation_id": message.conversation_id})
    assert panel.status_code == 200
    inserts = re.findall(r'data-kb-insert="([^"]+)"', panel.text)
    assert inserts[0] == "http://testserver/help/acme/ko/articles/installation-no-show"
    assert any("기사님" in text and "http" not in text for text in inserts)


async def _staff_login(client: httpx.AsyncClient, email: str, password: str) -> str:
    """Log in through the form; return the CSRF token the staff pages carry."""
    login = await client.get("/login")
    token = re.search(r'name="csrf" value="([^"]+)"', login.text).group(1)
    await client.post("/login", data={"email": email, "password": password, "csrf": token})
    page = await client.get("/kb-admin/new")
    return re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)


def _ids(page: httpx.Response) -> list[str]:
    return re.findall(r'<a href="/kb-admin/articles/(\d+)">', page.text)


def _titles(page: httpx.Response) -> list[str]:
    return re.findall(r'<a href="/kb-admin/articles/\d+">([^<]+)</a>', page.text)


async def test_the_admin_list_searches_filters_and_sorts(
        kb_client: httpx.AsyncClient, owner: Persona) -> None:
    await _staff_login(kb_client, f"admin@{owner.slug}.example", owner.password)
    everything = await kb_client.get("/kb-admin")
    assert everything.status_code == 200 and len(_titles(everything)) == len(ARTICLES)
    english = await kb_client.get("/kb-admin", params={"locale": "en"})
    assert len(_titles(english)) == 1
    found = await kb_client.get("/kb-admin", params={"q": "BOOKING"})
    assert len(_titles(found)) == 1 and 'value="BOOKING"' in found.text
    by_title = _titles(await kb_client.get("/kb-admin", params={"sort": "title"}))
    assert by_title == sorted(by_title)
    drafts = await kb_client.get("/kb-admin", params={"status": "draft"})
    assert _titles(drafts) == [] and "조건에 맞는 문서가 없습니다." in drafts.text
    for bad in ({"locale": "fr"}, {"status": "gone"}, {"sort": "random"}, {"category": "nope"}):
        assert (await kb_client.get("/kb-admin", params=bad)).status_code == 400, bad


async def test_a_supervisor_writes_translates_and_publishes_a_korean_article(
        kb_client: httpx.AsyncClient, owner: Persona) -> None:
    csrf = await _staff_login(kb_client, f"admin@{owner.slug}.example", owner.password)
    form = {"csrf": csrf, "slug": "gift-wrap", "title": "선물 포장이 되나요?", "locale": "ko",
            "body": "네, 주문할 때 **선물 포장**을 고르시면 됩니다."}
    created = await kb_client.post("/kb-admin/articles", data=form)
    assert created.status_code == 303
    editor = await kb_client.get(created.headers["location"])
    assert "선물 포장이 되나요?" in editor.text and "<strong>선물 포장</strong>" in editor.text
    assert "/kb-admin/new?locale=en&amp;translation_of=gift-wrap" in editor.text
    article_id = created.headers["location"].rsplit("/", 1)[1]
    published = await kb_client.post(f"/kb-admin/articles/{article_id}", data={
        "csrf": csrf, "title": form["title"], "body": form["body"], "action": "publish"})
    assert published.status_code == 303
    live = await kb_client.get("/help/acme/ko/articles/gift-wrap")
    assert live.status_code == 200 and "선물 포장이 되나요?" in live.text
    english = await kb_client.post("/kb-admin/articles", data={
        "csrf": csrf, "slug": "gift-wrap", "title": "Do you gift-wrap?", "locale": "en",
        "translation_of": "gift-wrap"})
    assert english.status_code == 303
    assert ">en</a>" in (await kb_client.get(created.headers["location"])).text


async def test_creating_an_article_refuses_bad_input_and_agents(
        kb_client: httpx.AsyncClient, owner: Persona) -> None:
    csrf = await _staff_login(kb_client, f"admin@{owner.slug}.example", owner.password)
    bad_slug = await kb_client.post("/kb-admin/articles", data={
        "csrf": csrf, "slug": "Bad Slug!", "title": "x", "locale": "ko"})
    assert bad_slug.status_code == 422 and "slug" in bad_slug.text
    assert 'value="Bad Slug!"' in bad_slug.text  # the form keeps what was typed
    taken = await kb_client.post("/kb-admin/articles", data={
        "csrf": csrf, "slug": "installation-booking", "title": "x", "locale": "ko"})
    assert taken.status_code == 409
    unknown = await kb_client.post("/kb-admin/articles", data={
        "csrf": csrf, "slug": "x", "title": "x", "locale": "ko", "category": "nope"})
    assert unknown.status_code == 422
    forged = await kb_client.post("/kb-admin/articles", data={"slug": "y", "title": "y"})
    assert forged.status_code == 403
    kb_client.cookies.clear()
    agent_csrf = await _staff_login(kb_client, owner.agent_email, owner.password)
    refused = await kb_client.post("/kb-admin/articles", data={
        "csrf": agent_csrf, "slug": "agent-try", "title": "t", "locale": "ko"})
    assert refused.status_code == 403
    agent_list = await kb_client.get("/kb-admin")
    assert _titles(agent_list) and "/kb-admin/new" not in agent_list.text  # agents read only
    assert "/kb-admin/import" not in agent_list.text
    assert _titles(await kb_client.get("/kb-admin", params={"q": "agent-try"})) == []
    editor = await kb_client.get(f"/kb-admin/articles/{_ids(agent_list)[0]}")
    assert editor.status_code == 200 and 'value="publish"' not in editor.text
    imported = await kb_client.post("/kb-admin/import", data={"csrf": agent_csrf,
                                                              "kind": "faq_csv"},
                                    files={"file": ("f.csv", b"question,answer\nq,a\n", "text/csv")})
    assert imported.status_code == 403


async def test_the_help_center_carries_the_widget_and_contact_us_unless_turned_off(
        kb_client: httpx.AsyncClient, session: AsyncSession, owner: Persona) -> None:
    url = "/help/acme/ko/articles/installation-booking"
    page = await kb_client.get(url)
    assert '<script src="/widget.js" data-workspace="acme" async>' in page.text
    contact = re.search(r'data-contact-text="([^"]+)">문의하기<', page.text)
    assert contact and contact.group(1).startswith("이 글에 대해 문의드려요: ")
    assert contact.group(1).endswith(f"(http://testserver{url})")
    csrf = await _staff_login(kb_client, f"admin@{owner.slug}.example", owner.password)
    assert 'name="widget" value="on" checked' in (await kb_client.get("/kb-admin")).text
    turned = await kb_client.post("/kb-admin/help-center", data={"csrf": csrf})  # unchecked
    assert turned.status_code == 303
    off = await kb_client.get(url)
    assert off.status_code == 200 and "/widget.js" not in off.text
    assert "data-contact-text" not in off.text
    await kb_client.post("/kb-admin/help-center", data={"csrf": csrf, "widget": "on"})
    assert "/widget.js" in (await kb_client.get(url)).text
    kb_client.cookies.clear()
    agent_csrf = await _staff_login(kb_client, owner.agent_email, owner.password)
    refused = await kb_client.post("/kb-admin/help-center", data={"csrf": agent_csrf})
    assert refused.status_code == 403 and "/widget.js" in (await kb_client.get(url)).text


async def test_faq_csv_and_zendesk_json_import_from_the_page_and_the_export_downloads(
        kb_client: httpx.AsyncClient, owner: Persona) -> None:
    csrf = await _staff_login(kb_client, f"admin@{owner.slug}.example", owner.password)
    faq = "question,answer,tags\n배송은 얼마나 걸리나요?,보통 2~3일 걸려요.,배송\n,빈 질문,\n"
    done = await kb_client.post("/kb-admin/import", data={"csrf": csrf, "kind": "faq_csv",
                                                          "locale": "ko"},
                                files={"file": ("faq.csv", faq.encode(), "text/csv")})
    assert done.status_code == 200 and "새로 만듦 1" in done.text and "line 3" in done.text
    zendesk = {"categories": [{"id": 7, "name": "Orders", "locale": "en-us"}],
               "sections": [],
               "articles": [{"id": 1, "title": "Tracking", "body": "<p>Use the link.</p>",
                             "locale": "en-us", "draft": False}]}
    done = await kb_client.post("/kb-admin/import", data={"csrf": csrf, "kind": "zendesk_json"},
                                files={"file": ("zd.json", json.dumps(zendesk).encode(),
                                                "application/json")})
    assert done.status_code == 200 and "새로 만듦 1" in done.text
    titles = _titles(await kb_client.get("/kb-admin", params={"q": "배송은"}))
    assert titles == ["배송은 얼마나 걸리나요?"]
    assert _titles(await kb_client.get("/kb-admin", params={"q": "tracking"})) == ["Tracking"]
    for bad in ({"kind": "zendesk_json", "file": b"not json"},
                {"kind": "zendesk_json", "file": b"[1, 2]"},
                {"kind": "faq_csv", "file": b"\xff\xfe\x00bad"},
                {"kind": "word", "file": b"x"}):
        refused = await kb_client.post("/kb-admin/import", data={"csrf": csrf, "kind": bad["kind"]},
                                       files={"file": ("x", bad["file"], "text/plain")})
        assert refused.status_code == 422, bad
    export = await kb_client.get("/kb-admin/export")
    assert export.headers["content-type"] == "application/zip"
    names = zipfile.ZipFile(io.BytesIO(export.content)).namelist()
    assert "ko/installation-booking.md" in names and len([n for n in names if n.endswith(".md")]
                                                         ) == len(ARTICLES) + 2
