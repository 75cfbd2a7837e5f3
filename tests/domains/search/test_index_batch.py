"""The indexer's batches: each distinct line analysed once, the same terms as one message at a
time, one INSERT for the batch, and Korean and English words found afterwards (both databases)."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.domains.conversations.actions import do_receive_inbound
from omnidesk.domains.conversations.schemas import InboundMessage
from omnidesk.domains.knowledge.search import terms
from omnidesk.domains.knowledge.service import analyse_text
from omnidesk.domains.search.actions import analyse_all, do_index_new_messages
from omnidesk.domains.search.models import SearchMessage
from omnidesk.domains.search.service import search
from tests.conftest import Persona
from tests.sql_log import recorded_statements

TEXTS = [
    "감사합니다",
    "지난주에 환불했는데 아직 안 들어왔어요\n주문번호 HB2026120100042 입니다",
    "감사합니다",
    "The refunds have not arrived.\n\n  \n감사합니다",
    "Where is my order?\r\n현금영수증 발급 부탁드려요",
    "",
    "   ",
    "안녕하세요\n안녕하세요",
]


def test_a_batch_stores_the_terms_of_one_text_at_a_time_analysing_each_line_once(
        monkeypatch: pytest.MonkeyPatch) -> None:
    one_at_a_time = [" ".join(analyse_text(t)) for t in TEXTS]
    seen: list[str] = []

    line_analyser = terms.tokenize

    def counted(text: str) -> list[str]:
        if text.strip():
            seen.append(text)
        return line_analyser(text)

    monkeypatch.setattr(terms, "tokenize", counted)
    assert analyse_all(TEXTS) == one_at_a_time
    distinct = {line for t in TEXTS for line in t.splitlines() if line.strip()}
    assert sorted(seen) == sorted(distinct)  # 감사합니다 and 안녕하세요 once each
    assert "환불" in one_at_a_time[1].split() and "주문" in one_at_a_time[1].split()


async def test_a_batch_of_messages_is_written_at_once_and_its_words_are_found(
        session: AsyncSession, owner: Persona) -> None:
    conversations = {}
    for i, text in enumerate(TEXTS):
        msg = await do_receive_inbound(session, workspace_id=owner.workspace_id,
                                       inbound=InboundMessage(
            channel="sms", identity_kind="phone", identity_value=f"+8210555500{i:02d}",
            text=text, provider_message_id=f"batch-{i}"))
        conversations[i] = msg.conversation_id
    await session.commit()

    with recorded_statements(session.bind) as statements:
        assert await do_index_new_messages(session) == len(TEXTS)
    await session.commit()
    inserts = [s for s in statements if s.lstrip().upper().startswith(
        "INSERT INTO SEARCH_MESSAGES ")]
    assert len(inserts) == 1, inserts

    stored = dict((await session.execute(select(SearchMessage.conversation_id,
                                                SearchMessage.terms))).all())
    assert [stored[conversations[i]] for i in range(len(TEXTS))] == [
        " ".join(analyse_text(t)) for t in TEXTS]  # as one message at a time would store

    async def found(q: str) -> set[int]:
        hits = (await search(session, actor=owner.agent, q=q)).conversations
        return {h.conversation_id for h in hits}

    assert await found("환불") == {conversations[1]}
    assert await found("주문번호") == {conversations[1]}  # the second line's words too
    assert await found("refund") == {conversations[3]}
    assert await found("arrive") == {conversations[3]}  # stemmed alike on both sides
    assert await found("영수증") == {conversations[4]}  # a compound's piece
    assert await found("order") == {conversations[4]}
    assert await found("감사합니다") == {conversations[0], conversations[2], conversations[3]}
