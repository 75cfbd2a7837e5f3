"""Index maintenance: rebuild a workspace's search index from its published versions."""

from __future__ import annotations

from sqlalchemy import delete, update
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.domains.knowledge.index.updates import IndexedArticle, bump_state, index_articles
from omnidesk.domains.knowledge.models import KbIndexState, KbPassage, KbTerm
from omnidesk.domains.knowledge.search.embeddings import EmbeddingProvider
from omnidesk.domains.knowledge.service import list_published

# Articles analysed and written per set-based round (one passage insert, one term upsert).
REINDEX_BATCH = 200


async def reindex_workspace(
    session: AsyncSession, *, workspace_id: int, embedder: EmbeddingProvider | None = None
) -> int:
    """Rebuild every passage, term count and total of a workspace; return the article count.

    Term rows are zeroed under a new generation rather than deleted, so processes holding a
    cached vocabulary see the change; the generation keeps increasing for the same reason.
    """
    generation = await bump_state(session, workspace_id, 0, 0)
    await session.execute(update(KbIndexState).where(
        KbIndexState.workspace_id == workspace_id).values(passage_count=0, term_total=0))
    await session.execute(update(KbTerm).where(KbTerm.workspace_id == workspace_id).values(
        passages=0, generation=generation))
    await session.execute(delete(KbPassage).where(KbPassage.workspace_id == workspace_id))
    published = await list_published(session, workspace_id=workspace_id, include_internal=True)
    articles = [IndexedArticle(
        article_id=article.id, workspace_id=workspace_id, locale=article.locale,
        visibility=version.visibility, title=version.title, summary=version.summary,
        body=version.body, tags=list(version.tags), group_id=article.translation_of_id)
        for article, version in published]
    for start in range(0, len(articles), REINDEX_BATCH):
        await index_articles(session, articles[start : start + REINDEX_BATCH], embedder=embedder)
    return len(published)

