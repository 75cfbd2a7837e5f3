"""Search text pipeline without a database: pieces, spelling, synonyms, passages, highlights."""

from __future__ import annotations

from omnidesk.core.text import jamo
from omnidesk.domains.knowledge.index.passages import split_passages
from omnidesk.domains.knowledge.io.frontmatter import (
    MarkdownDocument,
    dump_markdown,
    parse_markdown,
)
from omnidesk.domains.knowledge.io.html_to_markdown import html_to_markdown
from omnidesk.domains.knowledge.search.analysis import plan_query
from omnidesk.domains.knowledge.search.highlight import highlight
from omnidesk.domains.knowledge.search.ranking import reciprocal_rank_fusion
from omnidesk.domains.knowledge.search.synonyms import SynonymSet
from omnidesk.domains.knowledge.search.terms import index_terms
from omnidesk.domains.knowledge.search.typos import Vocabulary, edit_distance

VOCAB = Vocabulary({"환불": 12, "기간": 30, "배송": 40, "조회": 9, "refund": 7, "warranty": 3,
                    "돈": 2, "돌려받": 1})


def test_long_compounds_also_index_their_syllable_pairs() -> None:
    assert index_terms("현금영수증") == ["현금영수증", "현금", "금영", "영수", "수증"]


def test_hangul_spelling_is_compared_letter_by_letter() -> None:
    assert jamo("환불") == "ㅎㅘㄴㅂㅜㄹ"
    assert edit_distance(jamo("환블"), jamo("환불")) == 1
    assert edit_distance("refnud", "refund") == 1


def test_unknown_words_are_corrected_to_close_index_terms() -> None:
    assert VOCAB.corrections("환블") == ["환불"]
    assert VOCAB.corrections("refnud") == ["refund"]
    assert VOCAB.corrections("warrenty") == ["warranty"]
    assert VOCAB.corrections("환불") == [], "known terms are left alone"


def test_the_query_plan_repairs_typos_and_adds_synonyms() -> None:
    sets = [SynonymSet.from_phrases(["환불", "refund", "돈 돌려받기"])]
    plan = {t.term: t for t in plan_query("환블 기간", VOCAB, sets)}
    assert plan["환불"].origin == "corrected" and plan["기간"].origin == "typed"
    assert {"refund", "돈", "돌려받"} <= set(plan)
    assert all(plan[t].origin == "synonym" for t in ("refund", "돈", "돌려받"))


def test_a_two_syllable_typo_kiwi_breaks_apart_is_still_repaired() -> None:
    assert "환불" in {t.term for t in plan_query("환볼", VOCAB)}


def test_articles_split_into_summary_and_section_passages() -> None:
    passages = split_passages(title="설치 예약", summary="달력에서 날짜를 고릅니다.",
                              body="intro\n\n## 방문 전 안내\n- 전날 오후 6시\n\n## 변경\n바꾸기")
    assert [(p.position, p.heading) for p in passages] == [
        (0, "설치 예약"), (1, "설치 예약"), (2, "방문 전 안내"), (3, "변경")]
    assert passages[2].text == "전날 오후 6시"


def test_highlights_mark_terms_and_escape_html() -> None:
    snippet = highlight("설치 기사님이 <b>늦으면</b> installers call", ["기사", "instal"])
    assert snippet == ("설치 <mark>기사</mark>님이 &lt;b&gt;늦으면&lt;/b&gt; "
                       "<mark>installers</mark> call")


def test_reciprocal_rank_fusion_rewards_agreement() -> None:
    fused = reciprocal_rank_fusion([[1, 2, 3], [2, 3, 1]])
    assert max(fused, key=fused.get) == 2


def test_front_matter_round_trips() -> None:
    doc = MarkdownDocument(meta={"slug": "a", "title": "[상담원] 절차: 1단계", "tags": ["x", "y"]},
                           body="본문")
    parsed = parse_markdown(dump_markdown(doc))
    assert parsed.meta == doc.meta and parsed.body == "본문"


def test_zendesk_html_becomes_markdown_without_scripts() -> None:
    html = '<h2>Title</h2><p>See <a href="https://x.example">this</a></p><script>x()</script>' \
           "<ol><li>one</li><li>two</li></ol>"
    assert html_to_markdown(html) == "## Title\n\nSee [this](https://x.example)\n\n1. one\n2. two"
