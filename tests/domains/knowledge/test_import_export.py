"""Import from markdown folders, FAQ CSV and Zendesk exports; export everything and back."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.core.context import Actor, system_actor
from omnidesk.domains.knowledge.io.exporting import export_knowledge_base
from omnidesk.domains.knowledge.io.importing import (
    import_faq_csv,
    import_markdown_folder,
    import_zendesk,
)
from omnidesk.domains.knowledge.service import (
    get_published,
    list_articles,
    list_translations,
    search,
)
from omnidesk.domains.workspaces.actions import do_create_workspace
from omnidesk.domains.workspaces.schemas import WorkspaceCreate

ZENDESK_EXPORT = {
    "categories": [{"id": 11, "name": "Shipping", "locale": "en-us"}],
    "sections": [{"id": 21, "name": "Delivery", "category_id": 11, "locale": "en-us"}],
    "articles": [{
        "id": 31, "section_id": 21, "locale": "en-us", "source_locale": "en-us",
        "title": "Where is my parcel?", "label_names": ["tracking"], "draft": False,
        "body": "<p>Open <strong>My Page</strong> to track it.</p><script>alert(1)</script>"
                "<ul><li>Courier</li><li>Tracking number</li></ul>",
        "translations": [{"locale": "ko", "title": "택배는 어디쯤 있나요?",
                          "body": "<p>마이페이지에서 배송 조회를 누르세요.</p>"}],
    }],
}


async def _actor(session: AsyncSession) -> Actor:
    ws = await do_create_workspace(session, workspace_in=WorkspaceCreate(slug="acme", name="A"))
    return system_actor(ws.id)


def _write(folder: Path, name: str, text: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")


async def test_a_markdown_folder_imports_with_translations(session: AsyncSession,
                                                          tmp_path: Path) -> None:
    actor = await _actor(session)
    _write(tmp_path / "ko", "gift.md", "---\nslug: gift-card\ntitle: 기프트카드 잔액\n"
           "tags: [상품권]\n---\n잔액은 마이페이지에서 확인합니다.\n")
    _write(tmp_path / "en", "gift.md", "---\nslug: gift-card\ntitle: Gift card balance\n"
           "translation_of: gift-card\n---\nSee the balance under My Page.\n")
    report = await import_markdown_folder(session, actor=actor, folder=tmp_path)
    await session.commit()
    assert (report.created, report.errors) == (2, [])
    ko, _ = await get_published(session, workspace_id=actor.workspace_id, locale="ko",
                                slug="gift-card")
    assert [t.locale for t in await list_translations(session, article=ko)] == ["en"]
    again = await import_markdown_folder(session, actor=actor, folder=tmp_path)
    assert (again.created, again.unchanged) == (0, 2)


async def test_faq_csv_rows_become_articles(session: AsyncSession) -> None:
    actor = await _actor(session)
    data = ("question,answer,tags\n"
            "주문 후 배송지 변경이 되나요?,결제완료 상태에서만 바꿀 수 있어요.,배송지|주소\n"
            "빈 답변,,\n")
    report = await import_faq_csv(session, actor=actor, data=data)
    await session.commit()
    assert report.created == 1 and len(report.errors) == 1
    hits = await search(session, workspace_id=actor.workspace_id, query="주소 바꾸기")
    assert hits[0].title == "주문 후 배송지 변경이 되나요?"


async def test_a_zendesk_export_imports_sanitized_with_its_translation(
        session: AsyncSession) -> None:
    actor = await _actor(session)
    report = await import_zendesk(session, actor=actor, export=ZENDESK_EXPORT)
    await session.commit()
    assert report.created == 2
    _, version = await get_published(session, workspace_id=actor.workspace_id, locale="en",
                                      slug="where-is-my-parcel")
    assert "**My Page**" in version.body and "alert" not in version.body
    assert "- Courier" in version.body
    hits = await search(session, workspace_id=actor.workspace_id, query="택배 어디", locale="ko")
    assert hits[0].slug == "where-is-my-parcel"


async def test_export_then_import_reproduces_the_knowledge_base(session: AsyncSession,
                                                                tmp_path: Path) -> None:
    actor = await _actor(session)
    await import_zendesk(session, actor=actor, export=ZENDESK_EXPORT)
    await session.commit()
    count = await export_knowledge_base(session, workspace_id=actor.workspace_id,
                                        folder=tmp_path)
    assert count == 2 and (tmp_path / "en" / "where-is-my-parcel.md").exists()
    settings = json.loads((tmp_path / "_kb.json").read_text())
    assert {c["slug"] for c in settings["categories"]} == {"zd-11", "zd-section-21"}
    other = system_actor((await do_create_workspace(
        session, workspace_in=WorkspaceCreate(slug="copy", name="copy"))).id)
    report = await import_markdown_folder(session, actor=other, folder=tmp_path)
    await session.commit()
    assert report.created == 2
    copied = await list_articles(session, workspace_id=other.workspace_id)
    assert sorted((a.locale, a.slug, a.status) for a in copied) == [
        ("en", "where-is-my-parcel", "published"), ("ko", "where-is-my-parcel", "published")]
