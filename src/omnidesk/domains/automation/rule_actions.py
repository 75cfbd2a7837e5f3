"""Run a workspace's rules on one event: conditions, the loop guard, actions, the run log.

The loop guard has two parts. Depth: every outbox event the actions write is recorded with the
chain of rules that led to it (`automation_causes`); a rule never runs on an event its own
actions caused, and a chain stops after MAX_DEPTH rules. Rate: a rule runs at most
RATE_LIMIT times on one conversation within RATE_WINDOW (loops through the outside world, e.g.
a webhook whose receiver writes back). Both stop with a warning in the log and a `stopped` run.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
from collections.abc import Iterator
from typing import Any

from sqlalchemy import event as orm_event
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.core.db import utcnow
from omnidesk.core.events import Event, OutboxEvent
from omnidesk.domains.automation.conditions import failed
from omnidesk.domains.automation.models import AutomationCause, AutomationRule, AutomationRun
from omnidesk.domains.automation.schemas import Action, Condition
from omnidesk.domains.automation.service import (
    cause_chain,
    conversation_of,
    gather,
    recent_runs,
    refresh_facts,
    rules_for_event,
)
from omnidesk.domains.automation.step_actions import Source, do_run_steps
from omnidesk.domains.conversations.models import Conversation

log = logging.getLogger("omnidesk.automation")
MAX_DEPTH = 3
RATE_LIMIT = 5
RATE_WINDOW = dt.timedelta(minutes=10)


async def do_apply_rules(session: AsyncSession, *, workspace_id: int, event_id: int,
                         event: Event) -> list[AutomationRun]:
    """Run every enabled rule of the workspace that this event triggers, in order."""
    rules = await rules_for_event(session, workspace_id=workspace_id, event_name=event.name)
    if not rules:
        return []
    chain = await cause_chain(session, event_id=event_id)
    conv = await conversation_of(session, workspace_id=workspace_id, event=event)
    parsed = {r.id: [Condition.model_validate(c) for c in r.conditions] for r in rules}
    needed: set[str] = {c.field for conds in parsed.values() for c in conds}
    facts = await gather(session, workspace_id=workspace_id, event=event, conv=conv,
                         needed=needed)
    runs: list[AutomationRun] = []
    with _collect_emitted(session) as emitted:
        for rule in rules:
            if failed(parsed[rule.id], facts):
                continue
            run = await _run_rule(session, rule, event_id, event, conv, chain)
            runs.append(run)
            if conv is not None:
                refresh_facts(facts, conv)  # the next rule sees what this one changed
            if run.status == "done" and rule.stop_processing:
                break
    ran = [r.rule_id for r in runs if r.status == "done"]
    if ran and emitted:
        await session.flush()
        session.add_all(AutomationCause(event_id=row.id, rule_ids=chain + ran)
                        for row in emitted)
    return runs


async def _run_rule(session: AsyncSession, rule: AutomationRule, event_id: int, event: Event,
                    conv: Conversation | None, chain: list[int]) -> AutomationRun:
    conversation_id = conv.id if conv is not None else None
    reason = await _loop_reason(session, rule, conversation_id, chain)
    run = AutomationRun(workspace_id=rule.workspace_id, rule_id=rule.id, event_id=event_id,
                        event_name=event.name, conversation_id=conversation_id, status="done")
    if reason is not None:
        log.warning("automation loop guard stopped rule %s (%r) on event %s #%s: %s",
                    rule.id, rule.name, event.name, event_id, reason)
        run.status, run.detail = "stopped", {"reason": reason, "chain": chain}
    else:
        results = await do_run_steps(
            session, workspace_id=rule.workspace_id, conv=conv,
            steps=[Action.model_validate(a) for a in rule.actions],
            source=Source("rule", rule.id, rule.name, event_id=event_id,
                          event_name=event.name))
        run.detail = {"steps": [r.as_dict() for r in results], "chain": chain}
    session.add(run)
    return run


async def _loop_reason(session: AsyncSession, rule: AutomationRule,
                       conversation_id: int | None, chain: list[int]) -> str | None:
    """Say why this run would be a loop, or None when it may run."""
    if rule.id in chain:
        path = " → ".join(str(r) for r in [*chain, rule.id])
        return f"the rule would trigger itself (rule chain {path})"
    if len(chain) >= MAX_DEPTH:
        return f"a chain of {len(chain)} rules reached the depth limit of {MAX_DEPTH}"
    recent = await recent_runs(session, rule_id=rule.id, conversation_id=conversation_id,
                               since=utcnow() - RATE_WINDOW)
    if recent >= RATE_LIMIT:
        minutes = int(RATE_WINDOW.total_seconds() // 60)
        return (f"it already ran {recent} times on conversation {conversation_id} "
                f"in {minutes} minutes (limit {RATE_LIMIT})")
    return None


@contextlib.contextmanager
def _collect_emitted(session: AsyncSession) -> Iterator[list[OutboxEvent]]:
    """Keep every outbox event added to this session meanwhile (for the loop guard's causes)."""
    rows: list[OutboxEvent] = []

    def added(_session: Any, obj: object) -> None:
        if isinstance(obj, OutboxEvent):
            rows.append(obj)

    orm_event.listen(session.sync_session, "transient_to_pending", added)
    try:
        yield rows
    finally:
        orm_event.remove(session.sync_session, "transient_to_pending", added)
