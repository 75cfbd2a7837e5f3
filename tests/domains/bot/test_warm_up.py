"""The bot's warm-up at start loads what the first turn needs, so that turn reads no model."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from omnidesk.domains.bot.service import warm_up_workspaces, workspace_intent_model
from omnidesk.domains.nlu.actions import do_store_model
from omnidesk.domains.nlu.classifier import train_intent_model
from tests.conftest import Persona
from tests.sql_log import recorded_statements

ROWS = {"order_status": ["택배 언제 와요?", "배송 조회", "where is my order", "track my package"],
        "refund_status": ["환불 언제 돼요", "환불 처리 됐나요", "refund status", "my refund"]}


async def test_after_the_warm_up_the_first_turn_reads_no_model_bytes(
        session: AsyncSession, session_factory: async_sessionmaker[AsyncSession],
        owner: Persona) -> None:
    texts = [t for examples in ROWS.values() for t in examples]
    labels = [label for label, examples in ROWS.items() for _ in examples]
    await do_store_model(session, workspace_id=owner.workspace_id,
                         model=train_intent_model(texts, labels, folds=2))
    await session.commit()
    await warm_up_workspaces(session_factory)
    with recorded_statements(session.bind) as statements:
        model = await workspace_intent_model(session, workspace_id=owner.workspace_id)
    assert model.predict("환불 언제 돼요?").intent == "refund_status"
    assert statements and not [s for s in statements if "model_bytes" in s]


async def test_the_warm_up_fits_the_help_centers_article_relevance_before_readiness(
        session: AsyncSession, session_factory: async_sessionmaker[AsyncSession],
        owner: Persona) -> None:
    """The first question after ``/readyz`` finds the knowledge base's learned relevance
    fitted: it no longer starts fitting after the process says it is ready."""
    from omnidesk.core.context import system_actor
    from omnidesk.domains.knowledge.actions import do_create_article, do_publish_article
    from omnidesk.domains.knowledge.schemas import ArticleCreate
    from omnidesk.domains.knowledge.search import learned

    actor = system_actor(owner.workspace_id)
    for slug, title in (("refund-timeline", "환불 기간"), ("installer-no-show", "설치 기사 미방문")):
        article = await do_create_article(session, actor=actor, article_in=ArticleCreate(
            slug=slug, title=title, body=f"{title} 안내입니다."))
        await do_publish_article(session, actor=actor, article_id=article.id)
    await session.commit()
    learned._FITTED.clear()
    await warm_up_workspaces(session_factory)
    assert len(learned._FITTED) == 1
