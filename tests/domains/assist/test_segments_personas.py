"""Rule-based segments and K-means personas over customers' facts, with readable descriptions."""

from __future__ import annotations

from decimal import Decimal

import pytest

from omnidesk.core.errors import InvalidInput
from omnidesk.domains.assist.personas import cluster_personas
from omnidesk.domains.assist.segments import (
    CustomerFacts,
    parse_segment,
    segments_for,
    segments_from_settings,
)


def _facts(i: int, **values: object) -> CustomerFacts:
    return CustomerFacts(customer_id=i, **values)  # type: ignore[arg-type]


def test_default_segments_follow_tier_rfm_contacts_and_behaviour() -> None:
    segments = segments_from_settings({})
    vip = _facts(1, tier="vip", spent=Decimal(2_500_000), orders=12, recency_days=5)
    lapsed = _facts(2, orders=3, recency_days=200, spent=Decimal(400_000))
    new = _facts(3, orders=1, recency_days=3, spent=Decimal(50_000), contacts=4, avg_csat=2.0)
    browser = _facts(4, carts_30d=2, recency_days=60, orders=1)
    keys = {f.customer_id: [s.key for s in segments_for(f, segments)]
            for f in (vip, lapsed, new, browser)}
    assert keys == {1: ["vip", "champions"], 2: ["at_risk"],
                    3: ["new", "frequent_contact", "unhappy"], 4: ["cart_abandoner"]}
    assert vip.rfm() == (5, 5, 5) and lapsed.rfm() == (2, 3, 2)


def test_custom_segments_read_attributes_tags_and_any_of_rules() -> None:
    segment = parse_segment({
        "key": "b2b", "name_ko": "기업 고객", "name_en": "Business", "match": "any",
        "rules": [{"field": "attribute.company", "op": "exists", "value": True},
                  {"field": "tag", "op": "contains", "value": "법인"}]})
    assert segment.matches(_facts(1, attributes={"company": "한빛"}))
    assert segment.matches(_facts(2, tags=["법인"]))
    assert not segment.matches(_facts(3))
    assert segment.describe("ko") == "속성 company 있음 또는 태그 포함 법인"
    assert segment.describe("en") == "attribute company is set or tag includes 법인"


def test_segment_descriptions_read_like_sentences_in_both_languages() -> None:
    champions = next(s for s in segments_from_settings(None) if s.key == "champions")
    assert champions.describe("ko") == "최근성 점수 >= 4 그리고 빈도 점수 >= 3 그리고 금액 점수 >= 3"
    assert champions.describe("en") == (
        "recency score >= 4 and frequency score >= 3 and monetary score >= 3")


@pytest.mark.parametrize("rule", [{"field": "password", "op": "=", "value": 1},
                                  {"field": "tier", "op": "__import__", "value": "os"}])
def test_unknown_fields_or_operators_are_refused(rule: dict[str, object]) -> None:
    with pytest.raises(InvalidInput):
        parse_segment({"key": "x", "rules": [rule]})


def test_personas_group_similar_customers_and_describe_them() -> None:
    big = [_facts(i, spent=Decimal(3_000_000), orders=12, recency_days=10, contacts=1,
                  avg_csat=4.9, items=12, installation_items=10) for i in range(6)]
    unhappy = [_facts(10 + i, spent=Decimal(60_000), orders=1, recency_days=300, contacts=6,
                      avg_csat=1.5, items=1) for i in range(6)]
    personas = cluster_personas(big + unhappy, max_personas=2)
    assert sorted(p.size for p in personas) == [6, 6]
    by_member = {p.customer_ids[0]: p for p in personas}
    assert set(by_member[0].customer_ids) == set(range(6))
    assert "큰" in by_member[0].name_ko or "자주" in by_member[0].name_ko
    assert by_member[10].description_en.startswith("6 customers who are ")
    assert by_member[10].description_ko.endswith("고객 6명")
    assert cluster_personas(big[:5]) == []  # too few customers to cluster
