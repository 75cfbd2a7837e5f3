"""Search quality on the demo knowledge base (SQLite and PostgreSQL)."""

from __future__ import annotations

from pathlib import Path

import pytest

from omnidesk.domains.knowledge.search import engine, learned
from omnidesk.domains.knowledge.search.analysis import plan_query
from omnidesk.domains.knowledge.search.evaluation import DEFAULT_QUERIES, evaluate, read_queries
from omnidesk.domains.knowledge.search.snapshot import load_snapshot
from omnidesk.domains.knowledge.service import search, suggest_for_conversation
from tests.domains.knowledge.conftest import DemoKb

pytestmark = pytest.mark.asyncio(loop_scope="session")


async def _top(kb: DemoKb, query: str, **kwargs: object) -> list[str]:
    async with kb.session() as session:
        hits = await search(session, workspace_id=kb.workspace_id, query=query, **kwargs)
    return [hit.slug for hit in hits]


async def test_the_installer_no_show_question_finds_its_article_first(demo_kb: DemoKb) -> None:
    assert (await _top(demo_kb, "설치 기사님이 안왔어요"))[0] == "installation-no-show"
    assert (await _top(demo_kb, "설치기사님이안왔어요"))[0] == "installation-no-show"


async def test_hits_carry_a_highlighted_passage(demo_kb: DemoKb) -> None:
    async with demo_kb.session() as session:
        [hit] = await search(session, workspace_id=demo_kb.workspace_id,
                             query="설치 기사님이 안왔어요", limit=1)
    assert hit.locale == "ko" and hit.visibility == "public"
    assert "<mark>" in hit.snippet and "기사" in hit.matched_terms


@pytest.mark.parametrize(("query", "slug"), [
    ("환블 기간", "refund-timeline"),
    ("환볼", "refund-timeline"),
    ("refnud time", "refund-timeline"),
    ("how long is the warrenty", "warranty-periods"),
])
async def test_typos_still_find_the_article(demo_kb: DemoKb, query: str, slug: str) -> None:
    assert slug in (await _top(demo_kb, query, limit=3))


async def test_workspace_synonyms_bridge_words_the_articles_do_not_use(demo_kb: DemoKb) -> None:
    # "money back" appears in no Korean article; the demo synonym set maps it to 환불.
    assert (await _top(demo_kb, "돈 돌려받기 언제", locale="ko"))[0] == "refund-timeline"
    assert (await _top(demo_kb, "money back", locale="ko"))[0] == "refund-timeline"


async def test_a_word_no_article_uses_is_bridged_by_the_language_model(demo_kb: DemoKb) -> None:
    # No demo article says 빛깔 (hue); the articles say 색상, its neighbour in Kiwi's embeddings.
    async with demo_kb.session() as session:
        [hit] = await search(session, workspace_id=demo_kb.workspace_id, query="빛깔 교환",
                             limit=1)
    assert hit.slug == "exchange-how-to" and "색상" in hit.matched_terms


async def test_internal_articles_stay_out_of_public_search(demo_kb: DemoKb) -> None:
    public = await _top(demo_kb, "상담원 환불 예외 처리 기준", limit=10)
    internal = await _top(demo_kb, "상담원 환불 예외 처리 기준", include_internal=True)
    assert "agent-refund-exceptions" not in public
    assert internal[0] == "agent-refund-exceptions"


async def test_locale_filter_and_language_preference(demo_kb: DemoKb) -> None:
    async with demo_kb.session() as session:
        en = await search(session, workspace_id=demo_kb.workspace_id, query="refund", locale="en")
        mixed = await search(session, workspace_id=demo_kb.workspace_id, query="the installer "
                             "did not show up")
    assert en and all(hit.locale == "en" for hit in en)
    assert (mixed[0].slug, mixed[0].locale) == ("installation-no-show", "en")
    assert len({hit.slug for hit in mixed}) == len(mixed), "translations collapse into one hit"


async def test_agent_suggestions_include_the_internal_procedure(demo_kb: DemoKb) -> None:
    async with demo_kb.session() as session:
        hits = await suggest_for_conversation(
            session, workspace_id=demo_kb.workspace_id,
            customer_messages=["안녕하세요", "오늘 냉장고 설치날인데", "설치 기사님이 안왔어요"])
    slugs = [hit.slug for hit in hits]
    assert slugs[0] == "installation-no-show"
    assert "agent-installation-no-show" in slugs


async def test_the_labelled_query_set_scores_well(demo_kb: DemoKb) -> None:
    queries = read_queries(DEFAULT_QUERIES.read_text(encoding="utf-8"))
    assert len(queries) >= 150
    async with demo_kb.session() as session:
        report = await evaluate(session, workspace_id=demo_kb.workspace_id, queries=queries)
    assert report.recall_at_1 >= 0.88
    assert report.recall_at_5 >= 0.95
    assert report.mrr >= 0.9


HELD_OUT = {
    # set: (path, recall@1 floor, recall@5 floor). Measured on the demo KB: the language-model
    # bridge (2026-12-06) heldout.csv 0.860 / 0.985 -> 0.868 / 0.993, kb_holdout2.csv
    # 0.804 / 0.981 -> 0.810 / 0.987; the learned article relevance (2026-12-07) 0.897 / 0.993
    # and 0.861 / 0.994. The floors leave about 5 queries of slack each, so a ranking change
    # that loses more than that fails here.
    "heldout": (DEFAULT_QUERIES.with_name("heldout.csv"), 0.86, 0.97),
    "holdout2": (Path(__file__).parents[2] / "data" / "kb_holdout2.csv", 0.83, 0.96),
}


@pytest.mark.parametrize("name", sorted(HELD_OUT))
async def test_held_out_query_sets_keep_their_recall(demo_kb: DemoKb, name: str) -> None:
    path, floor_at_1, floor_at_5 = HELD_OUT[name]
    queries = read_queries(path.read_text(encoding="utf-8"))
    assert len(queries) >= 130
    async with demo_kb.session() as session:
        report = await evaluate(session, workspace_id=demo_kb.workspace_id, queries=queries)
    assert report.recall_at_1 >= floor_at_1, report.misses
    assert report.recall_at_5 >= floor_at_5, report.misses


@pytest.mark.parametrize(("query", "slug"), [
    ("설치 기사님이 안왔어요", "installation-no-show"),
    ("환불 언제 되나요", "refund-timeline"),
    ("warranty period", "warranty-periods"),
])
async def test_a_large_index_ranks_a_bounded_share_and_still_finds_the_article(
    demo_kb: DemoKb, monkeypatch: pytest.MonkeyPatch, query: str, slug: str
) -> None:
    # At 100,000 articles common words match tens of thousands of passages; a search then
    # ranks at most RANKED_AT_MOST of them (some having all of the customer's rarest words,
    # some having the rarest terms). A budget of 4 puts the small demo index on that path.
    monkeypatch.setattr(engine, "RANKED_AT_MOST", 4)
    async with demo_kb.session() as session:
        snapshot = await load_snapshot(session, demo_kb.workspace_id)
        plan = plan_query(query, snapshot.vocabulary, snapshot.synonym_sets)
    tiers, bounded = engine.candidate_tiers(plan, snapshot)
    assert bounded and [every for _, every in tiers] == [True, False]
    assert slug in (await _top(demo_kb, query, limit=3))


async def test_a_small_index_ranks_every_match_in_one_query(demo_kb: DemoKb) -> None:
    async with demo_kb.session() as session:
        snapshot = await load_snapshot(session, demo_kb.workspace_id)
        plan = plan_query("설치 기사님이 안왔어요", snapshot.vocabulary, snapshot.synonym_sets)
    assert engine.candidate_tiers(plan, snapshot) == (
        [(engine._picking_terms(plan, snapshot), False)], False)


@pytest.mark.parametrize(("query", "slug", "lexical_rank"), [
    ("비번 생각이 안나요ㅠ", "account-password-reset", 2),  # 비번 = 비밀번호, in no article
    ("택배가 일주일째 안와요", "delivery-delayed", 2),  # 안와요 matched the installer no-show
    ("반품 배송비 얼마에요", "returns-shipping-fee", 1),  # and the clear case stays clear
])
async def test_the_learned_relevance_puts_the_meant_article_first(
        demo_kb: DemoKb, monkeypatch: pytest.MonkeyPatch, query: str, slug: str,
        lexical_rank: int) -> None:
    assert (await _top(demo_kb, query))[0] == slug
    monkeypatch.setattr(learned, "WEIGHT", 0.0)  # the lexical ranking alone
    assert (await _top(demo_kb, query)).index(slug) + 1 == lexical_rank


async def test_a_help_center_too_large_for_a_model_keeps_the_lexical_ranking(
        demo_kb: DemoKb, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(learned, "MAX_ARTICLES", 10)
    async with demo_kb.session() as session:
        assert await learned.train(session, demo_kb.workspace_id) is None
