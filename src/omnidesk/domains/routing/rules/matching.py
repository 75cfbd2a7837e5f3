"""Routing rules: conditions on a conversation that send it to a queue with a priority.

A workspace keeps an ordered list of rules; the first rule whose every condition holds wins.
Within one condition any listed value may match (OR); across conditions all must hold (AND).
Keywords match case-insensitively: ASCII keywords on word boundaries ("card" does not match
"discard"), other keywords as substrings, because Korean particles attach to the word
("환불" must match "환불이", "환불을").
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from omnidesk.channels.manifests import capacity_class
from omnidesk.domains.routing.assignment.engine import PRIORITY_LEVELS

LIST_CONDITIONS = ("channel", "inbox", "language", "intent", "predicted_intent", "tier", "segment",
                   "sentiment")
CONDITIONS = (*LIST_CONDITIONS, "keywords")


@dataclass(frozen=True, slots=True)
class RoutingRule:
    """One rule: when every condition holds, route to ``queue_id`` with ``priority``."""

    queue_id: Hashable
    conditions: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # casefolded
    priority: str | None = None  # None keeps the conversation's own priority
    position: int = 0
    name: str = ""
    patterns: tuple[re.Pattern[str], ...] = ()


@dataclass(frozen=True, slots=True)
class RuleMatch:
    """The outcome of evaluating rules for one conversation."""

    queue_id: Hashable
    priority: str
    rule_name: str | None  # None when the default queue was used


def parse_rule(data: Mapping[str, Any]) -> RoutingRule:
    """Build a rule from stored JSON, rejecting unknown conditions and priorities."""
    raw = data.get("conditions") or {}
    unknown = set(raw) - set(CONDITIONS)
    if unknown:
        raise ValueError(f"unknown rule conditions: {', '.join(sorted(unknown))}")
    priority = data.get("priority")
    if priority is not None and priority not in PRIORITY_LEVELS:
        raise ValueError(f"unknown priority {priority!r}")
    conditions = {key: _as_tuple(value) for key, value in raw.items() if value}
    keywords = conditions.pop("keywords", ())
    conditions = {key: tuple(str(v).casefold() for v in values)
                  for key, values in conditions.items()}
    return RoutingRule(
        queue_id=data["queue_id"],
        conditions=conditions,
        priority=priority,
        position=int(data.get("position", 0)),
        name=str(data.get("name", "")),
        patterns=tuple(_keyword_pattern(word) for word in keywords),
    )


def rule_matches(rule: RoutingRule, conversation: Mapping[str, Any]) -> bool:
    """Tell whether every condition of the rule holds for the conversation."""
    for key in LIST_CONDITIONS:
        allowed = rule.conditions.get(key)
        if allowed and not _values(conversation.get(key)) & set(allowed):
            return False
    if rule.patterns:
        text = str(conversation.get("text") or "")
        return any(pattern.search(text) for pattern in rule.patterns)
    return True


def evaluate_rules(
    rules: Iterable[RoutingRule],
    conversation: Mapping[str, Any],
    *,
    default_queue_id: Hashable,
) -> RuleMatch:
    """Return the queue and priority of the first matching rule, else the default queue."""
    own = str(conversation.get("priority") or "normal")
    for rule in sorted(rules, key=lambda r: r.position):
        if rule_matches(rule, conversation):
            return RuleMatch(rule.queue_id, rule.priority or own, rule.name or None)
    return RuleMatch(default_queue_id, own, None)


def channel_class(kind: str) -> str:
    """Map a channel kind to the capacity class agents are sized in (its manifest says)."""
    return capacity_class(kind)


def _as_tuple(value: Any) -> tuple[str, ...]:
    """Accept one value or a list of values."""
    values = [value] if isinstance(value, str) else list(value)
    return tuple(str(v) for v in values)


def _normalise(value: Any) -> str | None:
    return None if value is None else str(value).casefold()


def _values(value: Any) -> set[str | None]:
    """Casefold a fact; a list fact (a customer's segments) matches when any member does."""
    if isinstance(value, (list, tuple, set, frozenset)):
        return {_normalise(item) for item in value}
    return {_normalise(value)}


def _keyword_pattern(word: str) -> re.Pattern[str]:
    """Compile a keyword: word boundaries for ASCII words, plain substring otherwise."""
    escaped = re.escape(word.strip())
    if word.isascii():
        return re.compile(rf"(?<!\w){escaped}(?!\w)", re.IGNORECASE)
    return re.compile(escaped, re.IGNORECASE)
