"""Optional dense retrieval: passages embedded on publish, fused with lexical by rank."""

from __future__ import annotations

import math

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.core.context import system_actor
from omnidesk.domains.knowledge.actions import do_create_article, do_publish_article
from omnidesk.domains.knowledge.models import KbPassage
from omnidesk.domains.knowledge.schemas import ArticleCreate
from omnidesk.domains.knowledge.search.embeddings import EmbeddingProvider, HashedNgramEmbedder
from omnidesk.domains.knowledge.search.ranking import cosine_ranking
from omnidesk.domains.knowledge.service import search
from omnidesk.domains.workspaces.actions import do_create_workspace
from omnidesk.domains.workspaces.schemas import WorkspaceCreate


async def test_the_local_embedder_gives_unit_vectors_that_favour_similar_text() -> None:
    embedder = HashedNgramEmbedder(dimensions=256)
    assert isinstance(embedder, EmbeddingProvider)
    a, b, c = await embedder.embed(["설치 기사 방문", "설치기사 방문 일정", "포인트 유효기간"])
    assert math.isclose(sum(x * x for x in a), 1.0, rel_tol=1e-6)
    assert sum(x * y for x, y in zip(a, b)) > sum(x * y for x, y in zip(a, c))


async def test_dense_and_lexical_rankings_are_fused(session: AsyncSession) -> None:
    ws = await do_create_workspace(session, workspace_in=WorkspaceCreate(slug="acme", name="A"))
    actor, embedder = system_actor(ws.id), HashedNgramEmbedder()
    for slug, title in (("sofa-care", "가죽 소파 관리 방법"), ("points", "포인트 유효기간")):
        article = await do_create_article(session, actor=actor, article_in=ArticleCreate(
            slug=slug, title=title, body=f"{title}에 대한 안내입니다."))
        await do_publish_article(session, actor=actor, article_id=article.id, embedder=embedder)
    await session.commit()
    vectors = (await session.scalars(select(KbPassage.vector))).all()
    assert vectors and all(len(v) == embedder.dimensions for v in vectors)
    stored = dict((await session.execute(select(KbPassage.id, KbPassage.vector))).all())
    [query_vector] = await embedder.embed(["가죽소파 관리법"])
    dense_top = await session.get(KbPassage, cosine_ranking(query_vector, stored, 5)[0])
    assert dense_top.text.startswith("가죽 소파")
    for query, slug in (("가죽소파 관리법", "sofa-care"), ("포인트 유효기간이", "points")):
        fused = await search(session, workspace_id=ws.id, query=query, embedder=embedder)
        assert fused[0].slug == slug
