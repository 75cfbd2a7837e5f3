"""What reports read from feedback: answers by slice, the workspace's low-score thresholds."""

from __future__ import annotations

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.channels.manifests import KINDS
from omnidesk.core.errors import NotFound
from omnidesk.domains.conversations.actions import do_open_conversation
from omnidesk.domains.customers.actions import do_create_customer
from omnidesk.domains.customers.schemas import CustomerCreate
from omnidesk.domains.feedback.models import Survey, SurveyAnswer
from omnidesk.domains.feedback.service import (
    AnswerFilter,
    access_answers,
    access_visitor_survey,
    get_settings,
    is_low,
    list_answers,
)
from tests.conftest import Persona


async def _answer(session: AsyncSession, owner: Persona, score: int, agent_id: int | None,
                  kind: str = "csat") -> SurveyAnswer:
    customer = await do_create_customer(session, actor=owner.admin,
                                        customer_in=CustomerCreate(name="고객"))
    conv = await do_open_conversation(session, workspace_id=owner.workspace_id,
                                      customer_id=customer.id, channel=KINDS[0])
    survey = Survey(workspace_id=owner.workspace_id, conversation_id=conv.id,
                    customer_id=customer.id, kind=kind, channel=conv.channel, status="answered",
                    agent_id=agent_id)
    session.add(survey)
    await session.flush()
    answer = SurveyAnswer(workspace_id=owner.workspace_id, survey_id=survey.id,
                          conversation_id=conv.id, customer_id=customer.id, kind=kind,
                          score=score, channel=conv.channel, agent_id=agent_id, via="widget",
                          is_low=score <= 2)
    session.add(answer)
    await session.flush()
    return answer


async def test_answers_read_newest_first_by_slice_and_agents_see_their_own(
        session: AsyncSession, owner: Persona, outsider: Persona) -> None:
    settings = await get_settings(session, workspace_id=owner.workspace_id)
    assert not settings.enabled and settings.kind == "csat" and settings.cap_days == 14
    assert is_low(settings, "csat", 2) and not is_low(settings, "csat", 3)
    assert is_low(settings, "nps", 6) and not is_low(settings, "nps", 7)
    mine = await _answer(session, owner, 1, owner.agent.user_id)
    other = await _answer(session, owner, 5, owner.admin.user_id)
    await _answer(session, outsider, 3, None)
    await session.commit()
    rows, cursor = await list_answers(session, workspace_id=owner.workspace_id)
    assert [r.id for r in rows] == [other.id, mine.id] and cursor is None
    low, _ = await list_answers(session, workspace_id=owner.workspace_id,
                                flt=AnswerFilter(low_only=True))
    assert [r.id for r in low] == [mine.id]
    own, _ = await access_answers(session, actor=owner.agent)
    assert [r.id for r in own] == [mine.id]
    every, _ = await access_answers(session, actor=owner.admin)
    assert len(every) == 2
    with pytest.raises(NotFound):  # a widget visitor answers only a survey put to them
        await access_visitor_survey(session, workspace_id=owner.workspace_id,
                                    customer_id=other.customer_id, survey_id=mine.survey_id)
