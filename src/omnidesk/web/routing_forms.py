"""The routing settings forms: posted text in, routing schemas out, a clear message on a typo.

Every field arrives as text so that a letter in a number or a blank name becomes a message on
the re-rendered form (with what the admin typed kept) instead of FastAPI's JSON 422. The same
schemas as the JSON API validate the values, so both doors accept exactly the same settings.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any, get_args

from pydantic import BaseModel, ValidationError

from omnidesk.domains.routing.engine import PRIORITY_LEVELS
from omnidesk.domains.routing.models import RoutingQueue, RoutingRuleRow, SlaPolicyRow
from omnidesk.domains.routing.rules import CONDITIONS
from omnidesk.domains.routing.schemas import (
    QueueCreate,
    QueueUpdate,
    RuleCreate,
    RuleUpdate,
    SlaPolicyCreate,
    SlaPolicyUpdate,
    StrategyName,
)
from omnidesk.domains.routing.sla import METRICS

STRATEGIES: tuple[str, ...] = get_args(StrategyName)
PRIORITIES = tuple(PRIORITY_LEVELS)
TARGET_FIELDS = tuple(f"target_{p}_{m}" for p in PRIORITIES for m in METRICS)
Form = Mapping[str, str]


class FormError(ValueError):
    """A posted value that cannot be read; ``message`` is a msgid or a validator's text."""

    def __init__(self, field: str | None, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


def text_form(raw: Mapping[str, Any]) -> dict[str, str]:
    """Keep the posted text fields (uploads have no place here), without the CSRF token."""
    return {k: v for k, v in raw.items() if isinstance(v, str) and k != "csrf"}


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
    if update and data["offer_timeout_seconds"] is None:
        del data["offer_timeout_seconds"]
    return _validate(QueueUpdate if update else QueueCreate, data)  # type: ignore[return-value]


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
    return _validate(RuleUpdate if update else RuleCreate, data)  # type: ignore[return-value]


def sla_in(form: Form, *, update: bool) -> SlaPolicyCreate | SlaPolicyUpdate:
    """Read the SLA form: a target in business seconds per priority and metric, blank = none."""
    targets: dict[str, dict[str, float]] = {}
    for priority in PRIORITIES:
        for metric in METRICS:
            seconds = _number(form, f"target_{priority}_{metric}")
            if seconds is not None:
                targets.setdefault(priority, {})[metric] = seconds
    data: dict[str, Any] = {
        "name": form.get("name", "").strip(), "targets": targets,
        "is_default": is_checked(form, "is_default"),
    }  # fmt: skip
    warn = _number(form, "warn_before_seconds")
    if warn is not None:
        data["warn_before_seconds"] = warn
    return _validate(SlaPolicyUpdate if update else SlaPolicyCreate, data)  # type: ignore[return-value]


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
            values[f"target_{priority}_{metric}"] = number_text(seconds)
    return values


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


def _validate(model: type[BaseModel], data: dict[str, Any]) -> BaseModel:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        error = exc.errors()[0]
        names = [part for part in error["loc"] if isinstance(part, str)]
        message = str(error["msg"]).removeprefix("Value error, ")
        raise FormError(names[-1] if names else None, message) from exc


def _number(form: Form, field: str) -> float | None:
    raw = form.get(field, "").strip().replace(",", "")
    if not raw:
        return None
    try:
        value = float(raw)
    except ValueError:
        raise FormError(field, "Enter a number.") from None
    if not math.isfinite(value):
        raise FormError(field, "Enter a number.")
    return value


def _integer(form: Form, field: str) -> int | None:
    raw = form.get(field, "").strip()
    if not raw:
        return None
    if not raw.isdigit():
        raise FormError(field, "Choose one of the listed values.")
    return int(raw)


def _skills(raw: str) -> dict[str, int]:
    skills: dict[str, int] = {}
    for item in _items(raw):
        name, _, level = item.partition(":")
        if not name.strip() or (level.strip() and not level.strip().isdigit()):
            raise FormError("required_skills", "Write skills as name:level, e.g. installation:3.")
        skills[name.strip()] = int(level.strip() or 1)
    return skills


def _items(raw: str) -> list[str]:
    return [part.strip() for part in raw.replace("\n", ",").split(",") if part.strip()]


def is_checked(form: Form, field: str) -> bool:
    """Tell whether a checkbox was ticked."""
    return form.get(field, "") not in ("", "0", "off", "false")


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    return [value] if isinstance(value, str) else [str(v) for v in value]


def number_text(value: float | None) -> str:
    """Write a stored number for a form or a table: 300.0 as 300, none as blank."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
