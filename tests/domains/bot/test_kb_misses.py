"""A question the bot finds no article for is kept for the KB authors, personal data masked."""

from __future__ import annotations

from sqlalchemy import select

from omnidesk.domains.knowledge.models import KbSearchMiss

from .conftest import Chat


async def test_an_unanswered_question_is_recorded_masked(visitor: Chat) -> None:
    await visitor.say("우주선 수리도 하시나요? 연락처는 010-2345-6789 입니다")
    async with visitor.session_factory() as session:
        misses = (await session.scalars(select(KbSearchMiss))).all()
    assert [(m.source, m.workspace_id) for m in misses] == [("bot", visitor.workspace_id)]
    assert "우주선" in misses[0].query and "2345" not in misses[0].query
