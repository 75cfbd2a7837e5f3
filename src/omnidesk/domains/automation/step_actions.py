"""The one action runner: rules and macros run their steps here, in the caller's transaction.

Each step goes through the owning domain's action (assignment, status, labels, messages), and
each leaves an `automation` line in the conversation's timeline naming the rule or macro, the
step and its outcome, so an agent can see why a conversation changed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.core.context import system_actor
from omnidesk.core.db import utcnow
from omnidesk.core.errors import DomainError
from omnidesk.core.events import emit
from omnidesk.domains.automation.events import AutomationNotified
from omnidesk.domains.automation.schemas import Action
from omnidesk.domains.automation.service import get_endpoint
from omnidesk.domains.automation.webhook_actions import do_request_deliveries
from omnidesk.domains.conversations.actions import (
    check_update_conversation,
    do_add_message,
    do_assign,
    do_set_status,
    log_event,
)
from omnidesk.domains.conversations.models import Conversation
from omnidesk.domains.conversations.schemas import ConversationUpdate
from omnidesk.domains.customers.service import get_customer
from omnidesk.domains.feedback.actions import do_plan_survey


@dataclass(frozen=True)
class Source:
    """Who runs the steps: a rule (as `automation`) or a macro (as the agent who ran it)."""

    kind: str  # rule | macro
    id: int
    name: str
    actor_kind: str = "automation"
    actor_id: int | None = None
    event_id: int | None = None  # the event a rule runs on (what a webhook step sends)
    event_name: str = ""


@dataclass(frozen=True)
class StepResult:
    """What one step did: `done`, `skipped` (nothing to act on) or `failed` (and why)."""

    type: str
    outcome: str
    note: str = ""

    def as_dict(self) -> dict[str, str]:
        """Return the result as stored in a run's detail."""
        return {"type": self.type, "outcome": self.outcome, "note": self.note}


async def do_run_steps(session: AsyncSession, *, workspace_id: int, conv: Conversation | None,
                       steps: list[Action], source: Source) -> list[StepResult]:
    """Run the steps in order; a step that fails is recorded and the next one still runs."""
    results = []
    for step in steps:
        try:
            result = await _run_step(session, workspace_id, conv, step, source)
        except DomainError as exc:
            result = StepResult(step.type, "failed", exc.message)
        if conv is not None and result.outcome != "skipped":
            log_event(session, conv, "automation", actor_kind=source.actor_kind,
                      actor_id=source.actor_id,
                      data={"source": source.kind, "source_id": source.id, "name": source.name,
                            "action": step.type, **step.params(), "outcome": result.outcome,
                            "note": result.note})
        results.append(result)
    return results


async def _run_step(session: AsyncSession, workspace_id: int, conv: Conversation | None,
                    step: Action, source: Source) -> StepResult:
    if step.type == "notify":
        return _notify(session, workspace_id, conv, step, source)
    if step.type == "webhook":
        return await _webhook(session, workspace_id, step, source)
    if conv is None:
        return StepResult(step.type, "skipped", "the event concerns no conversation")
    who: dict[str, Any] = {"actor_kind": source.actor_kind, "actor_id": source.actor_id}
    if step.type == "assign_agent":
        await do_assign(session, conv=conv, assignee_id=step.user_id, team_id=conv.team_id,
                        reason=f"{source.kind}: {source.name}", **who)
    elif step.type == "assign_team":
        await do_assign(session, conv=conv, assignee_id=None, team_id=step.team_id,
                        reason=f"{source.kind}: {source.name}", **who)
    elif step.type in {"set_priority", "add_label", "remove_label"}:
        await _update(session, workspace_id, conv, step)
    elif step.type == "send_survey":
        return await _survey(session, conv)
    elif step.type in {"reply", "note"}:
        text = await _fill(session, conv, step.text or "")
        author = "agent" if source.kind == "macro" else ("bot" if step.type == "reply"
                                                          else "system")
        await do_add_message(session, conv=conv, text=text, author_kind=author,
                             author_id=source.actor_id, is_private=step.type == "note")
    else:
        return await _status(session, conv, step, who)
    return StepResult(step.type, "done")


async def _update(session: AsyncSession, workspace_id: int, conv: Conversation,
                  step: Action) -> None:
    """Change priority or labels through the conversation's update action."""
    if step.type == "set_priority":
        change = ConversationUpdate(priority=step.priority)
    else:
        labels = set(conv.labels)
        labels = labels | {step.label or ""} if step.type == "add_label" \
            else labels - {step.label or ""}
        change = ConversationUpdate(labels=sorted(labels))
    await check_update_conversation(session, actor=system_actor(workspace_id),
                                    conversation_id=conv.id, update=change)


async def _status(session: AsyncSession, conv: Conversation, step: Action,
                  who: dict[str, Any]) -> StepResult:
    if step.type == "snooze":
        until = utcnow() + dt.timedelta(hours=step.hours or 24)
        await do_set_status(session, conv=conv, status="snoozed", snoozed_until=until, **who)
        return StepResult(step.type, "done", until.isoformat(timespec="minutes"))
    target = "resolved" if step.type == "resolve" else "open"
    if conv.status == target:
        return StepResult(step.type, "skipped", f"already {target}")
    await do_set_status(session, conv=conv, status=target, **who)
    return StepResult(step.type, "done")


def _notify(session: AsyncSession, workspace_id: int, conv: Conversation | None, step: Action,
            source: Source) -> StepResult:
    """Tell the named user, or else the conversation's assignee, through the realtime feed."""
    user_id = step.user_id or (conv.assignee_id if conv is not None else None)
    if user_id is None:
        return StepResult(step.type, "skipped", "nobody to notify (no user, no assignee)")
    emit(session, AutomationNotified(
        user_id=user_id, conversation_id=conv.id if conv is not None else None,
        rule_id=source.id if source.kind == "rule" else None, text=step.text or ""),
        workspace_id=workspace_id)
    return StepResult(step.type, "done", f"user {user_id}")


async def _webhook(session: AsyncSession, workspace_id: int, step: Action,
                   source: Source) -> StepResult:
    """Send the rule's event to one endpoint (signed, retried like every webhook)."""
    endpoint = await get_endpoint(session, workspace_id=workspace_id,
                                  endpoint_id=step.endpoint_id or 0)
    if source.event_id is None:
        return StepResult(step.type, "skipped", "only rules send their event to a webhook")
    await do_request_deliveries(session, workspace_id=workspace_id, event_id=source.event_id,
                                event_name=source.event_name, endpoints=[endpoint])
    return StepResult(step.type, "done", endpoint.name)


async def _survey(session: AsyncSession, conv: Conversation) -> StepResult:
    """Plan the workspace's survey for a resolved conversation (its settings, opt-outs, cap)."""
    if conv.status != "resolved":
        return StepResult("send_survey", "skipped", "surveys follow a resolved conversation")
    survey = await do_plan_survey(session, workspace_id=conv.workspace_id,
                                  conversation_id=conv.id)
    if survey is None:
        return StepResult("send_survey", "skipped", "survey settings say no (off, opted out "
                                                    "or asked recently)")
    return StepResult("send_survey", "done", f"survey {survey.id}")


async def _fill(session: AsyncSession, conv: Conversation, text: str) -> str:
    """Fill `{{customer.name}}` and `{{conversation.id}}` in a reply or note."""
    if "{{customer.name}}" in text:
        customer = await get_customer(session, workspace_id=conv.workspace_id,
                                      customer_id=conv.customer_id)
        text = text.replace("{{customer.name}}", customer.name or "")
    return text.replace("{{conversation.id}}", str(conv.id))
