"""Bulk indexing: a batch is analysed a line at a time, each distinct line once, the English
lines without the Korean analyser, and gives the rows indexing one article at a time gives."""

from __future__ import annotations

import pytest

from omnidesk.core import text
from omnidesk.domains.knowledge.index.updates import IndexedArticle, build_rows
from omnidesk.domains.knowledge.search.analysis import plan_query
from omnidesk.domains.knowledge.search.terms import index_terms
from omnidesk.domains.knowledge.search.typos import Vocabulary

SHARED = "## 배송 조회\n주문 내역에서 배송 상태를 확인합니다.\n\n문의는 고객센터로 연락 주세요."


def _article(article_id: int, title: str, body: str) -> IndexedArticle:
    return IndexedArticle(article_id=article_id, workspace_id=1, locale="ko", visibility="public",
                          title=title, summary=f"{title} 안내입니다.", body=body, tags=["배송"])


ARTICLES = [
    _article(1, "배송 조회", SHARED),
    _article(2, "배송 지연", SHARED + "\n\n## 지연 보상\n5영업일이 지나면 포인트를 드립니다."),
    _article(3, "Cash receipt", "## 현금영수증\n결제할 때 휴대폰 번호를 입력합니다.\n"
             "Request it with your points at checkout."),
]


@pytest.fixture
def analysed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record every text the Korean analyser is given."""
    seen: list[str] = []
    real = text.korean_morphemes

    def recording(norm: str) -> list[tuple[str, str]]:
        seen.append(norm)
        return real(norm)

    monkeypatch.setattr(text, "korean_morphemes", recording)
    return seen


def test_a_batch_indexes_the_rows_one_article_at_a_time_gives() -> None:
    one_by_one = [row for article in ARTICLES for row in build_rows([article])]
    assert build_rows(ARTICLES) == one_by_one
    assert [(r["article_id"], r["heading"]) for r in one_by_one] == [
        (1, "배송 조회"), (1, "배송 조회"), (2, "배송 지연"), (2, "배송 조회"), (2, "지연 보상"),
        (3, "Cash receipt"), (3, "현금영수증")]


def test_a_batch_analyses_each_distinct_line_once(analysed: list[str]) -> None:
    build_rows(ARTICLES)
    assert analysed, "the Korean lines went to the analyser"
    assert len(analysed) == len(set(analysed))
    assert text.normalize("주문 내역에서 배송 상태를 확인합니다.") in analysed


def test_lines_without_hangul_are_indexed_without_the_analyser(analysed: list[str]) -> None:
    rows = build_rows([ARTICLES[2]])
    assert analysed and not [t for t in analysed if "checkout" in t]
    # Analysed with the Korean lines around it, "checkout." came out as "che" + "ckout.".
    assert {"현금영수증", "휴대폰", "request", "point", "checkout"} <= set(
        rows[1]["body_terms"].split())


def test_the_query_is_analysed_as_the_index_is_a_line_at_a_time() -> None:
    passage = "현금영수증 발급\nRequest it with your points at checkout."
    vocabulary = Vocabulary(dict.fromkeys(index_terms(passage), 1))
    planned = {t.term for t in plan_query(passage, vocabulary)}
    assert set(index_terms(passage)) <= planned
    assert {"발급", "request", "point", "checkout"} <= planned


def test_a_bulk_batch_on_the_analyser_threads_indexes_the_same_rows(
        monkeypatch: pytest.MonkeyPatch) -> None:
    one_by_one = [row for article in ARTICLES for row in build_rows([article])]
    # A process whose analyser has worker threads (as `omnidesk serve` builds it); every
    # batch of two Korean lines or more goes to them.
    monkeypatch.setattr(text, "_analyser", text._Analyser())
    monkeypatch.setattr(text, "BULK_MIN_LINES", 2)
    monkeypatch.setattr(text, "BULK_WORKERS", 2)
    text.warm_analyser()
    assert build_rows(ARTICLES) == one_by_one
