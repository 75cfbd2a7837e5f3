"""Article lifecycle: drafts, publishing into the index, versions and restore, permissions."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from omnidesk.core.context import Actor, system_actor
from omnidesk.core.errors import PermissionDenied
from omnidesk.core.events import OutboxEvent
from omnidesk.domains.knowledge.actions import (
    do_create_article,
    do_publish_article,
    do_restore_version,
    do_unpublish_article,
    do_update_article,
)
from omnidesk.domains.knowledge.schemas import ArticleCreate, ArticleUpdate, SynonymSetCreate
from omnidesk.domains.knowledge.service import get_published, list_versions, search
from omnidesk.domains.knowledge.site_actions import do_create_synonym_set
from omnidesk.domains.workspaces.actions import do_create_workspace
from omnidesk.domains.workspaces.schemas import WorkspaceCreate

NO_SHOW = ArticleCreate(
    slug="installer-no-show", title="설치 기사님이 오지 않았어요",
    summary="방문 시간이 30분 지나도 오지 않으면 채팅으로 알려 주세요.",
    body="## 보상\n한빛포인트 10,000점을 드립니다.\n\n## 재방문\n48시간 안에 다시 예약합니다.",
    tags=["노쇼", "미방문"])


async def _workspace(session: AsyncSession, slug: str) -> Actor:
    ws = await do_create_workspace(session, workspace_in=WorkspaceCreate(slug=slug, name=slug))
    return system_actor(ws.id)


async def _slugs(session: AsyncSession, actor: Actor, query: str, **kwargs: object) -> list[str]:
    hits = await search(session, workspace_id=actor.workspace_id, query=query, **kwargs)
    return [hit.slug for hit in hits]


async def test_a_draft_is_not_searchable_until_published(session: AsyncSession) -> None:
    actor = await _workspace(session, "acme")
    article = await do_create_article(session, actor=actor, article_in=NO_SHOW)
    await session.commit()
    assert await _slugs(session, actor, "기사님 안와요") == []
    await do_publish_article(session, actor=actor, article_id=article.id)
    await session.commit()
    assert await _slugs(session, actor, "기사님 안와요") == ["installer-no-show"]
    rows = (await session.scalars(select(OutboxEvent).order_by(OutboxEvent.id))).all()
    assert [r.name for r in rows][-2:] == ["kb_article.created", "kb_article.published"]
    assert rows[-1].payload == {"article_id": article.id, "slug": "installer-no-show",
                                "locale": "ko", "version": 1, "visibility": "public",
                                "passages": 3}


async def test_edits_stay_off_the_live_version_until_republished(session: AsyncSession) -> None:
    actor = await _workspace(session, "acme")
    article = await do_create_article(session, actor=actor, article_in=NO_SHOW)
    await do_publish_article(session, actor=actor, article_id=article.id)
    await do_update_article(session, actor=actor, article_id=article.id, article_in=ArticleUpdate(
        body="## 보상\n한빛포인트 20,000점과 커피 쿠폰을 드립니다.", note="보상 인상"))
    await session.commit()
    _, live = await get_published(session, workspace_id=actor.workspace_id, locale="ko",
                                  slug="installer-no-show")
    assert "10,000점" in live.body
    assert await _slugs(session, actor, "커피 쿠폰") == []
    await do_publish_article(session, actor=actor, article_id=article.id)
    await session.commit()
    assert await _slugs(session, actor, "커피 쿠폰") == ["installer-no-show"]


async def test_restoring_a_version_records_who_changed_what(session: AsyncSession) -> None:
    actor = await _workspace(session, "acme")
    article = await do_create_article(session, actor=actor, article_in=NO_SHOW)
    await do_update_article(session, actor=actor, article_id=article.id,
                            article_in=ArticleUpdate(title="기사 미방문 안내", note="제목 변경"))
    await do_restore_version(session, actor=actor, article_id=article.id, number=1, publish=True)
    await session.commit()
    versions = await list_versions(session, workspace_id=actor.workspace_id,
                                   article_id=article.id)
    assert [v.number for v in versions] == [3, 2, 1]
    assert versions[0].title == NO_SHOW.title and versions[0].note == "restored version 1"
    assert versions[1].changed_fields == ["title"] and versions[1].author_kind == "system"
    assert article.published_version_id == versions[0].id


async def test_unpublishing_removes_the_article_from_search(session: AsyncSession) -> None:
    actor = await _workspace(session, "acme")
    article = await do_create_article(session, actor=actor, article_in=NO_SHOW)
    await do_publish_article(session, actor=actor, article_id=article.id)
    await session.commit()
    await do_unpublish_article(session, actor=actor, article_id=article.id)
    await session.commit()
    assert await _slugs(session, actor, "기사님 안와요") == []


async def test_search_never_crosses_workspaces(session: AsyncSession) -> None:
    owner = await _workspace(session, "acme")
    outsider = await _workspace(session, "globex")
    article = await do_create_article(session, actor=owner, article_in=NO_SHOW)
    await do_publish_article(session, actor=owner, article_id=article.id)
    await session.commit()
    assert await _slugs(session, outsider, "기사님 안와요", include_internal=True) == []


async def test_agents_cannot_edit_articles(session: AsyncSession) -> None:
    owner = await _workspace(session, "acme")
    agent = Actor(workspace_id=owner.workspace_id, user_id=None, role="agent")
    with pytest.raises(PermissionDenied):
        await do_create_article(session, actor=agent, article_in=NO_SHOW)


async def test_a_new_synonym_applies_to_the_next_query(session: AsyncSession) -> None:
    actor = await _workspace(session, "acme")
    article = await do_create_article(session, actor=actor, article_in=NO_SHOW)
    await do_publish_article(session, actor=actor, article_id=article.id)
    await session.commit()
    assert await _slugs(session, actor, "바람맞았어요") == []
    await do_create_synonym_set(session, actor=actor,
                                synonyms_in=SynonymSetCreate(phrases=["바람맞다", "미방문"]))
    await session.commit()
    assert await _slugs(session, actor, "바람맞았어요") == ["installer-no-show"]


async def test_the_cached_vocabulary_follows_publishes_and_reindexing(
        session: AsyncSession) -> None:
    from omnidesk.domains.knowledge.index.maintenance import reindex_workspace

    actor = await _workspace(session, "acme")
    first = await do_create_article(session, actor=actor, article_in=NO_SHOW)
    await do_publish_article(session, actor=actor, article_id=first.id)
    await session.commit()
    assert await _slugs(session, actor, "환블") == []  # the cached snapshot has no 환불 yet
    refund = await do_create_article(session, actor=actor, article_in=ArticleCreate(
        slug="refund-timeline", title="환불 기간", body="카드 환불은 5~7영업일 걸립니다."))
    await do_publish_article(session, actor=actor, article_id=refund.id)
    await session.commit()
    assert await _slugs(session, actor, "환블") == ["refund-timeline"]
    await do_unpublish_article(session, actor=actor, article_id=refund.id)
    assert await reindex_workspace(session, workspace_id=actor.workspace_id) == 1
    await session.commit()
    assert await _slugs(session, actor, "환블") == []
    assert await _slugs(session, actor, "기사님 안와요") == ["installer-no-show"]


async def test_the_learned_relevance_follows_publishes_and_edits(session: AsyncSession) -> None:
    from omnidesk.domains.knowledge.search.learned import model_for
    from omnidesk.domains.knowledge.search.snapshot import load_snapshot

    actor = await _workspace(session, "acme")

    async def relevance(question: str) -> dict[int, float]:
        model = await model_for(session, await load_snapshot(session, actor.workspace_id),
                                actor.workspace_id)
        return model.relevance(question) if model else {}

    first = await do_create_article(session, actor=actor, article_in=NO_SHOW)
    await do_publish_article(session, actor=actor, article_id=first.id)
    await session.commit()
    assert await relevance("기사님 안와요") == {}  # one article: nothing to tell apart
    refund = await do_create_article(session, actor=actor, article_in=ArticleCreate(
        slug="refund-timeline", title="환불 기간", body="카드 환불은 5~7영업일 걸립니다.",
        tags=["환불 언제", "돈 돌려받기"]))
    await do_publish_article(session, actor=actor, article_id=refund.id)
    await session.commit()
    learned = await relevance("돈은 언제 돌려받아요")
    assert learned[refund.id] > learned[first.id]
    # a published edit is learned from; an unpublished draft is not
    await do_update_article(session, actor=actor, article_id=first.id, article_in=ArticleUpdate(
        tags=["노쇼", "미방문", "돈 돌려받기 보상"]))
    await session.commit()
    assert await relevance("돈은 언제 돌려받아요") == learned
    await do_publish_article(session, actor=actor, article_id=first.id)
    await session.commit()
    assert (await relevance("돈은 언제 돌려받아요"))[first.id] > learned[first.id]


async def _publish_two(session: AsyncSession, actor: Actor) -> None:
    """Publish two articles (an installer no-show, a refund timeline): a help center to fit."""
    for article_in in (NO_SHOW, ArticleCreate(slug="refund-timeline", title="환불 기간",
                                              body="카드 환불은 5~7영업일 걸립니다.")):
        article = await do_create_article(session, actor=actor, article_in=article_in)
        await do_publish_article(session, actor=actor, article_id=article.id)
    await session.commit()


async def test_warming_fits_each_help_center_once_before_its_first_question(
        session: AsyncSession, session_factory: async_sessionmaker[AsyncSession]) -> None:
    from omnidesk.domains.knowledge.search import learned

    actor = await _workspace(session, "acme")
    await _workspace(session, "empty")  # no help center: nothing to fit
    await _publish_two(session, actor)
    learned._FITTED.clear()
    assert await learned.warm_article_models(session_factory) == 1
    [warmed] = learned._FITTED.values()
    assert await learned.train(session, actor.workspace_id) is warmed  # the question's fit


async def test_questions_asked_while_a_help_center_is_fitted_wait_for_that_one_fit(
        session: AsyncSession, session_factory: async_sessionmaker[AsyncSession],
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The first customers after a start ask while the warm-up fits: they share its fit
    instead of each spending a second of CPU on the same model."""
    from omnidesk.domains.knowledge.search import learned

    actor = await _workspace(session, "acme")
    await _publish_two(session, actor)
    learned._FITTED.clear()
    fits = []

    def counted(examples: list[tuple[str, int]]) -> learned.ArticleModel | None:
        fits.append(len(examples))
        return real_fit(examples)

    real_fit = learned.fit
    monkeypatch.setattr(learned, "fit", counted)
    async with session_factory() as other:
        first, second = await asyncio.gather(learned.train(session, actor.workspace_id),
                                              learned.train(other, actor.workspace_id))
    assert first is second is not None
    assert len(fits) == 1
