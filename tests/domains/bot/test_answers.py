"""Knowledge-base answers: extractive by default; an LLM on a real local server, checked."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from fastapi import FastAPI, Request

from omnidesk.config import Settings
from omnidesk.core.context import system_actor
from omnidesk.demo import knowledge as kb_demo
from omnidesk.domains.bot.answers import Answer, answer_question
from omnidesk.domains.knowledge.io.importing import import_markdown_folder

from ..assist.live_server import live_server
from .conftest import Chat, Store

ARTICLES = ("delivery-fee.md",)


@pytest.fixture
async def kb(session, store: Store, tmp_path: Path) -> Store:
    """Import two demo help articles (ko + en) into the store's workspace."""
    for locale in ("ko", "en"):
        (tmp_path / locale).mkdir()
        for name in ARTICLES:
            shutil.copy(kb_demo.DEMO_FOLDER / locale / name, tmp_path / locale / name)
    # The default answer bar: a store's first article is answered (IDF assumes a corpus of a
    # few dozen passages, `knowledge.search.ranking.MIN_CORPUS_PASSAGES`).
    await import_markdown_folder(session, actor=system_actor(store.workspace_id), folder=tmp_path)
    await session.commit()
    return store


def _completions(answers: list[str], seen: list[dict]) -> FastAPI:
    app = FastAPI()

    @app.post("/v1/chat/completions")
    async def complete(request: Request) -> dict:
        seen.append(await request.json())
        return {"choices": [{"message": {"role": "assistant", "content": answers.pop(0)}}]}

    return app


async def test_an_extractive_answer_links_the_article(visitor: Chat, kb: Store) -> None:
    reply = await visitor.say("배송비는 얼마인가요?")
    assert "http" not in reply  # the widget shows a titled card, not a raw URL
    [message] = await visitor.bot_messages()
    [card] = message.meta["cards"]
    assert card["url"].endswith("/help/acme/ko/articles/delivery-fee") and card["title"]
    assert message.meta["bot"]["source"] == "kb_extractive"
    assert message.meta["bot"]["citations"] == ["delivery-fee"]


async def test_a_grounded_llm_answer_cites_and_never_sees_personal_data(
        visitor: Chat, kb: Store, session) -> None:
    from omnidesk.domains.knowledge.service import search

    [passage] = await search(session, workspace_id=kb.workspace_id, query="배송비 알려주세요", limit=1,
                             locale="ko")
    sentence = passage.text.split(". ")[0].rstrip(".") + ". [1]"
    seen: list[dict] = []
    with live_server(_completions([sentence], seen)) as url:
        visitor.settings = Settings(database_url="sqlite://", llm_base_url=f"{url}/v1",
                                    llm_model="local-test")
        reply = await visitor.say("배송비 알려주세요, 연락처는 minji.kim@example.com")
    [message] = await visitor.bot_messages()
    assert message.meta["bot"]["source"] == "kb_generated"
    assert "[1]" not in reply and "http" not in reply
    assert "/help/acme/ko/articles/" in message.meta["cards"][0]["url"]
    prompt = str(seen[0]["messages"])
    assert "minji.kim@example.com" not in prompt and "@example.com" in prompt
    assert seen[0]["model"] == "local-test"


async def test_an_unsupported_llm_answer_falls_back_to_the_extract(visitor: Chat,
                                                                   kb: Store) -> None:
    seen: list[dict] = []
    made_up = "배송비는 화성까지 무료이며 드론으로 한 시간 안에 도착합니다. [1]"
    with live_server(_completions([made_up], seen)) as url:
        visitor.settings = Settings(database_url="sqlite://", llm_base_url=f"{url}/v1")
        reply = await visitor.say("배송비는 얼마인가요?")
    assert seen and "화성" not in reply
    [message] = await visitor.bot_messages()
    assert message.meta["bot"]["source"] == "kb_extractive"


async def test_an_unreachable_llm_falls_back_to_the_extract(visitor: Chat, kb: Store) -> None:
    visitor.settings = Settings(database_url="sqlite://", llm_base_url="http://127.0.0.1:9/v1",
                                llm_timeout_seconds=2)
    await visitor.say("How much is the delivery fee?")
    [message] = await visitor.bot_messages()
    assert message.meta["cards"][0]["url"].endswith("/help/acme/en/articles/delivery-fee")


@pytest.fixture
async def fee_kb(session, store: Store) -> Store:
    """Load the whole demo help center, where the delivery and return fee articles compete."""
    await kb_demo.load_demo_articles(session, store.workspace_id)
    await session.commit()
    return store


async def _answer(session, store: Store, question: str) -> Answer | None:
    return await answer_question(session, workspace_id=store.workspace_id, workspace_slug="acme",
                                 question=question, lang="ko", min_score=9.0,
                                 base_url="https://desk.example")


async def test_a_delivery_fee_question_never_quotes_the_return_fee_article(
        session, fee_kb: Store) -> None:
    answer = await _answer(session, fee_kb, "배송비 얼마예요?")
    assert answer is not None
    if answer.source == "kb_clarify":  # two close articles: the customer picks one
        assert "delivery-fee" in answer.citations and 2 <= len(answer.choices) <= 3
        assert "골라 주세요" in answer.text and "http" not in answer.text  # links are cards
        assert any(link["url"].endswith("/ko/articles/delivery-fee") for link in answer.links)
    else:
        assert answer.citations == ["delivery-fee"]


async def test_a_clear_question_is_answered_without_a_clarifying_question(
        session, fee_kb: Store) -> None:
    answer = await _answer(session, fee_kb, "반품 배송비 얼마에요")
    assert answer is not None and answer.source == "kb_extractive"
    assert answer.citations == ["returns-shipping-fee"] and not answer.choices


async def test_an_llm_answer_with_a_number_not_in_the_passage_falls_back(
        visitor: Chat, kb: Store) -> None:
    seen: list[dict] = []
    wrong = "주문 금액 30,000원 이상이면 무료배송입니다. [1]"
    with live_server(_completions([wrong], seen)) as url:
        visitor.settings = Settings(database_url="sqlite://", llm_base_url=f"{url}/v1")
        reply = await visitor.say("배송비는 얼마인가요?")
    assert seen and "30,000원 이상이면" not in reply
    [message] = await visitor.bot_messages()
    assert message.meta["bot"]["source"] == "kb_extractive"
