"""Routing rules send conversations to queues by channel, language, intent, tier and keywords."""

from __future__ import annotations

import pytest

from omnidesk.domains.routing.rules.matching import channel_class, evaluate_rules, parse_rule

RULES = [
    parse_rule(
        {
            "name": "vip",
            "queue_id": "vip",
            "priority": "high",
            "position": 1,
            "conditions": {"tier": ["vip", "gold"]},
        }
    ),
    parse_rule(
        {
            "name": "refunds-ko",
            "queue_id": "billing-ko",
            "position": 2,
            "conditions": {"language": "ko", "keywords": ["환불", "결제"]},
        }
    ),
    parse_rule(
        {
            "name": "cards",
            "queue_id": "billing",
            "position": 3,
            "conditions": {"channel": ["web", "kakao"], "keywords": ["card"]},
        }
    ),
    parse_rule(
        {
            "name": "cancel",
            "queue_id": "retention",
            "priority": "urgent",
            "position": 4,
            "conditions": {"intent": "cancel_subscription", "segment": "enterprise"},
        }
    ),
]


def route(**conversation: object) -> tuple[object, str, str | None]:
    result = evaluate_rules(RULES, conversation, default_queue_id="general")
    return result.queue_id, result.priority, result.rule_name


def test_the_first_matching_rule_wins() -> None:
    assert route(tier="VIP", language="ko", text="환불 해주세요") == ("vip", "high", "vip")


def test_korean_keywords_match_with_attached_particles() -> None:
    assert route(language="ko", text="환불이 안 돼요") == ("billing-ko", "normal", "refunds-ko")
    assert route(language="en", text="환불이 안 돼요")[0] == "general"


def test_ascii_keywords_match_whole_words_only() -> None:
    assert route(channel="web", text="My CARD was charged twice")[0] == "billing"
    assert route(channel="web", text="please discard my order")[0] == "general"
    assert route(channel="email", text="my card")[0] == "general"


def test_every_condition_must_hold_and_the_rule_may_set_priority() -> None:
    assert route(intent="cancel_subscription", segment="enterprise")[:2] == ("retention", "urgent")
    assert route(intent="cancel_subscription", segment="smb")[0] == "general"


def test_unmatched_conversations_keep_their_priority_in_the_default_queue() -> None:
    assert route(priority="high", text="hello") == ("general", "high", None)


def test_it_rejects_unknown_conditions_and_priorities() -> None:
    with pytest.raises(ValueError, match="unknown rule conditions"):
        parse_rule({"queue_id": 1, "conditions": {"colour": "red"}})
    with pytest.raises(ValueError, match="unknown priority"):
        parse_rule({"queue_id": 1, "priority": "asap"})


def test_channel_kinds_map_to_capacity_classes() -> None:
    assert [channel_class(k) for k in ("voice", "email", "kakao", "web")] == [
        "voice",
        "email",
        "chat",
        "chat",
    ]


def test_a_segment_condition_matches_when_any_of_the_customers_segments_does() -> None:
    rule = parse_rule({"queue_id": "care", "conditions": {"segment": ["At_Risk"]}})
    many = {"segment": ["new", "at_risk"], "priority": "normal"}
    assert evaluate_rules([rule], many, default_queue_id="general").queue_id == "care"
    none = {"segment": [], "priority": "normal"}
    assert evaluate_rules([rule], none, default_queue_id="general").queue_id == "general"
