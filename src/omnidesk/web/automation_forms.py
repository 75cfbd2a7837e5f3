"""Rules as text for the automation page: one condition or action per line, parsed strictly.

Conditions: `field op values` (values separated by commas), e.g. `channel in sms, email`,
`text contains 환불, refund`, `business_hours is true`, `minutes_since_last_reply gte 30`,
`attribute plan eq gold`. Actions: `type` or `type: argument`, e.g. `set_priority: urgent`,
`assign_team: 2`, `add_label: vip`, `reply: 안녕하세요 {{customer.name}}님`, `snooze: 24`,
`notify: 3 | SLA breached` (user id, then text; without an id the assignee is told).
A line that does not parse is a ValueError naming its number; the schema checks the rest.
"""

from __future__ import annotations

from typing import Any

from omnidesk.domains.automation.schemas import ACTION_PARAMS, Action, Condition

ARGUMENT = {"assign_agent": "user_id", "assign_team": "team_id", "set_priority": "priority",
            "add_label": "label", "remove_label": "label", "reply": "text", "note": "text",
            "snooze": "hours", "webhook": "endpoint_id"}


def parse_conditions(text: str) -> list[Condition]:
    """Read condition lines (blank lines skipped)."""
    out = []
    for number, line in _lines(text):
        parts = line.split(None, 3 if line.startswith("attribute ") else 2)
        if len(parts) < 2:
            raise ValueError(f"condition line {number}: write it as 'field operator values'")
        data: dict[str, Any] = {"field": parts[0]}
        if parts[0] == "attribute":
            if len(parts) < 3:
                raise ValueError(f"condition line {number}: 'attribute name operator value'")
            data["key"], parts = parts[1], parts[1:]
        data["op"] = parts[1]
        data["value"] = _value(parts[0] if parts[0] != data.get("key") else "attribute",
                               parts[2] if len(parts) > 2 else "")
        try:
            out.append(Condition.model_validate(data))
        except ValueError as exc:
            raise ValueError(f"condition line {number}: {_first_error(exc)}") from exc
    return out


def _value(field_name: str, raw: str) -> Any:
    if field_name == "business_hours":
        return {"true": True, "false": False}.get(raw.strip().lower(), raw)
    if field_name.startswith("minutes_") or field_name == "score":
        try:
            return float(raw)
        except ValueError:
            return raw
    if field_name == "attribute":
        return raw.strip()
    values: list[Any] = [v.strip() for v in raw.split(",") if v.strip()]
    return [int(v) for v in values if v.isdigit()] if field_name == "inbox" else values


def parse_actions(text: str) -> list[Action]:
    """Read action lines (blank lines skipped)."""
    out = []
    for number, line in _lines(text):
        kind, _, argument = (p.strip() for p in line.partition(":"))
        if kind not in ACTION_PARAMS:
            raise ValueError(f"action line {number}: unknown action {kind!r}")
        data: dict[str, Any] = {"type": kind}
        if kind == "notify":
            who, _, said = argument.partition("|")
            if said:
                data["user_id"], data["text"] = who.strip(), said.strip()
            else:
                data["text"] = argument
        elif kind in ARGUMENT and argument:
            data[ARGUMENT[kind]] = argument
        try:
            out.append(Action.model_validate(data))
        except ValueError as exc:
            raise ValueError(f"action line {number}: {_first_error(exc)}") from exc
    return out


def condition_lines(conditions: list[dict[str, Any]]) -> str:
    """Write stored conditions back as lines."""
    lines = []
    for c in conditions:
        value = c.get("value")
        shown = ", ".join(str(v) for v in value) if isinstance(value, list) else str(value)
        if isinstance(value, bool):
            shown = str(value).lower()
        name = f"attribute {c.get('key')}" if c.get("field") == "attribute" else c.get("field")
        lines.append(f"{name} {c.get('op')} {shown}".strip())
    return "\n".join(lines)


def action_lines(actions: list[dict[str, Any]]) -> str:
    """Write stored actions back as lines."""
    lines = []
    for a in actions:
        kind = a.get("type", "")
        if kind == "notify":
            who = f"{a['user_id']} | " if a.get("user_id") else ""
            lines.append(f"notify: {who}{a.get('text', '')}")
        elif kind in ARGUMENT:
            value = a.get(ARGUMENT[kind])
            lines.append(f"{kind}: {_number(value)}")
        else:
            lines.append(kind)
    return "\n".join(lines)


def _number(value: Any) -> str:
    return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)


def _lines(text: str) -> list[tuple[int, str]]:
    return [(n, line.strip()) for n, line in enumerate(text.splitlines(), start=1)
            if line.strip()]


def _first_error(exc: ValueError) -> str:
    errors = getattr(exc, "errors", None)
    if callable(errors):
        first = errors()[0]
        return str(first.get("msg", exc)).removeprefix("Value error, ")
    return str(exc)
