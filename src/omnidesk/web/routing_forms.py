"""The routing settings forms: posted text in, routing schemas out, a clear message on a typo.

The reading helpers shared with the other settings pages live in `settings_forms`; the same
schemas as the JSON API validate the values, so both doors accept exactly the same settings.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, get_args, overload

from omnidesk.domains.routing.assignment.engine import PRIORITY_LEVELS
from omnidesk.domains.routing.models import RoutingQueue, RoutingRuleRow, SlaPolicyRow
from omnidesk.domains.routing.rules.matching import CONDITIONS
from omnidesk.domains.routing.schemas import (
    QueueCreate,
    QueueUpdate,
    RuleCreate,
    RuleUpdate,
    SlaPolicyCreate,
    SlaPolicyUpdate,
    StrategyName,
)
from omnidesk.domains.routing.sla.clocks import METRICS
from omnidesk.web.settings_forms import FormError, is_checked, number_text
from omnidesk.web.settings_forms import integer as _integer
from omnidesk.web.settings_forms import items as _items
from omnidesk.web.settings_forms import number as _number
from omnidesk.web.settings_forms import validate as _validate

STRATEGIES: tuple[str, ...] = get_args(StrategyName)
PRIORITIES = tuple(PRIORITY_LEVELS)
TARGET_UNITS = {"minutes": 60, "hours": 3600}  # business time: the calendar's open hours
TARGET_FIELDS = tuple(f"target_{p}_{m}" for p in PRIORITIES for m in METRICS)
Form = Mapping[str, str]


@overload
def queue_in(form: Form, *, update: Literal[False]) -> QueueCreate: ...
@overload
def queue_in(form: Form, *, update: Literal[True]) -> QueueUpdate: ...
def queue_in(form: Form, *, update: bool) -> QueueCreate | QueueUpdate:
    """Read the queue form; blank optional fields mean none (team, overflow) or the default."""
    data = {
        "name": form.get("name", "").strip(),
        "team_id": _integer(form, "team_id"),
        "required_skills": _skills(form.get("required_skills", "")),
        "strategy": form.get("strategy") or "longest_idle",
        "sticky_window_seconds": _number(form, "sticky_window_seconds") or 0.0,
        "overflow_queue_id": _integer(form, "overflow_queue_id"),
        "overflow_after_seconds": _number(form, "overflow_after_seconds"),
        "offer_timeout_seconds": _number(form, "offer_timeout_seconds"),
        "is_default": is_checked(form, "is_default"),
    }
    # a blank field keeps the stored value (or the default); only team and overflow clear
    data = {k: v for k, v in data.items() if v is not None or k in QueueUpdate.nullable}
    return _validate(QueueUpdate, data) if update else _validate(QueueCreate, data)


@overload
def rule_in(form: Form, *, update: Literal[False], position: int = 0) -> RuleCreate: ...
@overload
def rule_in(form: Form, *, update: Literal[True], position: int = 0) -> RuleUpdate: ...
def rule_in(form: Form, *, update: bool, position: int = 0) -> RuleCreate | RuleUpdate:
    """Read the rule form; each condition is a comma-separated list (any value may match)."""
    conditions = {key: _items(form.get(key, "")) for key in CONDITIONS}
    conditions["channel"] = [c.lower() for c in conditions["channel"]]
    queue_id = _integer(form, "queue_id")
    if queue_id is None:
        raise FormError("queue_id", "Choose a queue.")
    data: dict[str, Any] = {
        "name": form.get("name", "").strip(), "queue_id": queue_id,
        "priority": form.get("priority") or None, "is_active": is_checked(form, "is_active"),
        "conditions": conditions,
    }  # fmt: skip
    if not update:
        data["position"] = position
    return _validate(RuleUpdate, data) if update else _validate(RuleCreate, data)


def sla_in(form: Form, *, update: bool) -> SlaPolicyCreate | SlaPolicyUpdate:
    """Read the SLA form: a target in business minutes or hours per priority and metric (stored
    in business seconds), blank = none."""
    targets: dict[str, dict[str, float]] = {}
    for priority in PRIORITIES:
        for metric in METRICS:
            name = f"target_{priority}_{metric}"
            amount = _number(form, name)
            if amount is None:
                continue
            unit = form.get(f"{name}_unit") or "minutes"
            if unit not in TARGET_UNITS:
                raise FormError(name, "Choose minutes or hours.")
            targets.setdefault(priority, {})[metric] = amount * TARGET_UNITS[unit]
    data: dict[str, Any] = {
        "name": form.get("name", "").strip(), "targets": targets,
        "is_default": is_checked(form, "is_default"),
    }  # fmt: skip
    warn = _number(form, "warn_before_seconds")
    if warn is not None:
        data["warn_before_seconds"] = warn
    return _validate(SlaPolicyUpdate, data) if update else _validate(SlaPolicyCreate, data)


def queue_values(queue: RoutingQueue) -> dict[str, str]:
    """Fill the queue form from a stored queue."""
    return {
        "name": queue.name, "team_id": number_text(queue.team_id),
        "required_skills": skills_text(queue.required_skills), "strategy": queue.strategy,
        "sticky_window_seconds": number_text(queue.sticky_window_seconds),
        "overflow_queue_id": number_text(queue.overflow_queue_id),
        "overflow_after_seconds": number_text(queue.overflow_after_seconds),
        "offer_timeout_seconds": number_text(queue.offer_timeout_seconds),
        "is_default": "on" if queue.is_default else "",
    }  # fmt: skip


def rule_values(rule: RoutingRuleRow) -> dict[str, str]:
    """Fill the rule form from a stored rule."""
    values = {key: ", ".join(_as_list((rule.conditions or {}).get(key))) for key in CONDITIONS}
    values.update(name=rule.name, queue_id=str(rule.queue_id), priority=rule.priority or "",
                  is_active="on" if rule.is_active else "")  # fmt: skip
    return values


def sla_values(policy: SlaPolicyRow) -> dict[str, str]:
    """Fill the SLA form from a stored policy."""
    values = {"name": policy.name, "warn_before_seconds": number_text(policy.warn_before_seconds),
              "is_default": "on" if policy.is_default else ""}  # fmt: skip
    for priority, metrics in (policy.targets or {}).items():
        for metric, seconds in (metrics or {}).items():
            amount, unit = target_text(seconds)
            values[f"target_{priority}_{metric}"] = amount
            values[f"target_{priority}_{metric}_unit"] = unit
    return values


def target_text(seconds: float) -> tuple[str, str]:
    """Write a stored target as an amount and its unit (hours when whole, else minutes)."""
    unit = "hours" if seconds % TARGET_UNITS["hours"] == 0 else "minutes"
    return number_text(seconds / TARGET_UNITS[unit]), unit


def new_values(kind: str) -> dict[str, str]:
    """Return the empty form of a kind, with the defaults an admin usually keeps."""
    if kind == "queue":
        return {"strategy": "longest_idle", "sticky_window_seconds": "0",
                "offer_timeout_seconds": "20"}  # fmt: skip
    if kind == "rule":
        return {"is_active": "on"}
    return {"warn_before_seconds": "300", "is_default": "on"}


def skills_text(skills: Mapping[str, Any] | None) -> str:
    """Write required skills as `name:level, name:level`."""
    return ", ".join(f"{name}:{level}" for name, level in sorted((skills or {}).items()))


def _skills(raw: str) -> dict[str, int]:
    skills: dict[str, int] = {}
    for item in _items(raw):
        name, _, level = item.partition(":")
        if not name.strip() or (level.strip() and not level.strip().isdigit()):
            raise FormError("required_skills", "Write skills as name:level, e.g. installation:3.")
        skills[name.strip()] = int(level.strip() or 1)
    return skills


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    return [value] if isinstance(value, str) else [str(v) for v in value]
