"""Automation rule writes: create, change, reorder and delete (admins), audited, with events."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.core.audit import audit
from omnidesk.core.context import Actor
from omnidesk.core.errors import InvalidInput
from omnidesk.core.events import emit
from omnidesk.domains.automation.events import AutomationRuleChanged
from omnidesk.domains.automation.models import AutomationRule
from omnidesk.domains.automation.schemas import RuleCreate, RuleUpdate
from omnidesk.domains.automation.service import get_rule
from omnidesk.domains.automation.triggers import TRIGGER_NAMES


def _check_events(events: list[str]) -> list[str]:
    unknown = [e for e in events if e not in TRIGGER_NAMES]
    if unknown:
        raise InvalidInput(f"rules cannot trigger on {', '.join(unknown)}; they trigger on "
                           f"{', '.join(TRIGGER_NAMES)}", field="events")
    return sorted(set(events))


def _record(session: AsyncSession, actor: Actor, rule: AutomationRule, action: str) -> None:
    audit(session, workspace_id=rule.workspace_id, action=f"automation.rule_{action}",
          actor_kind=actor.audit_kind, actor_id=actor.user_id, object_type="automation_rule",
          object_id=rule.id, data={"name": rule.name})
    emit(session, AutomationRuleChanged(rule_id=rule.id, action=action),
         workspace_id=rule.workspace_id)


async def check_create_rule(session: AsyncSession, *, actor: Actor,
                            rule_in: RuleCreate) -> AutomationRule:
    """Validate and store a rule (last in order unless a position is given)."""
    actor.require("admin")
    position = rule_in.position
    if position is None:
        last = await session.scalar(select(func.max(AutomationRule.position)).where(
            AutomationRule.workspace_id == actor.workspace_id))
        position = 0 if last is None else last + 1
    rule = AutomationRule(
        workspace_id=actor.workspace_id, name=rule_in.name,
        events=_check_events(rule_in.events),
        conditions=[c.model_dump(exclude_none=True) for c in rule_in.conditions],
        actions=[a.model_dump(exclude_none=True) for a in rule_in.actions],
        position=position, enabled=rule_in.enabled, stop_processing=rule_in.stop_processing)
    session.add(rule)
    await session.flush()
    _record(session, actor, rule, "created")
    return rule


async def check_update_rule(session: AsyncSession, *, actor: Actor, rule_id: int,
                            rule_in: RuleUpdate) -> AutomationRule:
    """Change a rule's name, triggers, conditions, actions, order or switches."""
    actor.require("admin")
    rule = await get_rule(session, workspace_id=actor.workspace_id, rule_id=rule_id)
    fields = rule_in.changes()
    if "events" in fields:
        rule.events = _check_events(fields["events"])
    if rule_in.conditions is not None:
        rule.conditions = [c.model_dump(exclude_none=True) for c in rule_in.conditions]
    if rule_in.actions is not None:
        rule.actions = [a.model_dump(exclude_none=True) for a in rule_in.actions]
    for key in ("name", "enabled", "stop_processing", "position"):
        if key in fields:
            setattr(rule, key, fields[key])
    await session.flush()
    _record(session, actor, rule, "updated")
    return rule


async def check_delete_rule(session: AsyncSession, *, actor: Actor, rule_id: int) -> None:
    """Delete a rule and its run log."""
    actor.require("admin")
    rule = await get_rule(session, workspace_id=actor.workspace_id, rule_id=rule_id)
    _record(session, actor, rule, "deleted")
    await session.delete(rule)
    await session.flush()
