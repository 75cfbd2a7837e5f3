"""Routing reads, and the translation of stored rows into the pure engine's types.

Agent and entry rows are always read with ``populate_existing`` because their load and status
columns are changed by conditional UPDATE statements that bypass the identity map. The decision
path (``enqueue_facts``, ``list_candidate_agents``, ``list_waiting_items``) reads plain rows in as
few statements as it can: a routing decision has a 5 ms budget (docs/architecture.md, "The
routing decision (measured)").
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any, NamedTuple

from sqlalchemy import (
    BindParameter,
    Float,
    Select,
    Text,
    bindparam,
    cast,
    extract,
    func,
    join,
    literal,
    null,
    select,
    union_all,
)
from sqlalchemy.dialects.postgresql import aggregate_order_by
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession
from sqlalchemy.orm import aliased

from omnidesk.core.channel_manifest import CAPACITY_CLASSES
from omnidesk.core.db import get_in_workspace, utcnow
from omnidesk.core.errors import NotFound
from omnidesk.domains.agents.models import Skill, TeamMember, User, UserSkill
from omnidesk.domains.assist.service import (
    CustomerFacts,
    Segment,
    Tier,
    facts_of_row,
    facts_params,
    facts_query,
    segments_from_settings,
    tiers_from_settings,
    vip_keys,
)
from omnidesk.domains.conversations.models import Conversation
from omnidesk.domains.customers.models import Customer
from omnidesk.domains.inboxes.models import Inbox
from omnidesk.domains.routing.assignment.engine import (
    AgentState,
    Presence,
    QueuePolicy,
    Strategy,
    WorkItem,
)
from omnidesk.domains.routing.models import (
    ACTIVE_ENTRY_STATUSES,
    AgentStateRow,
    QueueEntry,
    RoutingQueue,
    RoutingRuleRow,
    SlaPolicyRow,
)
from omnidesk.domains.routing.planning.erlang import ErlangCPrediction
from omnidesk.domains.routing.planning.erlang import predict as erlang_predict
from omnidesk.domains.routing.rules.matching import RoutingRule, channel_class, parse_rule
from omnidesk.domains.workspaces.models import Workspace
from omnidesk.domains.workspaces.service import (
    Calendar,
    calendar_from,
    get_workspace,
    workspace_calendar,
)

FRESH = {"populate_existing": True}
HELD_KEY = "routing.transaction_rows"
WORKSPACE: BindParameter[int] = bindparam("workspace_id")
POLICY_WEIGHTS = (
    "aging_rate", "priority_weight", "vip_boost", "sentiment_weight", "sla_weight",
    "default_target_seconds",
)  # fmt: skip


def to_seconds(moment: dt.datetime | None) -> float | None:
    """Convert an aware datetime to epoch seconds, the engine's time unit."""
    return None if moment is None else moment.timestamp()


async def get_queue(session: AsyncSession, *, workspace_id: int, queue_id: int) -> RoutingQueue:
    """Return a queue of the workspace or raise NotFound."""
    return await get_in_workspace(session, RoutingQueue, workspace_id=workspace_id,
                                  object_id=queue_id, what="routing queue")


async def get_queue_calendar(
    session: AsyncSession, *, workspace_id: int, queue_id: int
) -> tuple[RoutingQueue, Calendar]:
    """Return a queue and the calendar it works by: its own hours over the workspace's."""
    queue = await get_queue(session, workspace_id=workspace_id, queue_id=queue_id)
    workspace = await get_workspace(session, workspace_id=workspace_id)
    return queue, workspace_calendar(workspace, override=queue.business_hours)


async def get_conversation_calendar(
    session: AsyncSession, *, workspace_id: int, conversation_id: int
) -> Calendar:
    """Return the calendar a conversation's SLA clocks run by: workspace, inbox, then queue hours."""
    # Row shape: the workspace's hours and zone, the inbox's and the queue's hours (None if none).
    stmt: Select[dict[str, Any], str, dict[str, Any] | None, dict[str, Any] | None] = (
        select(Workspace.business_hours, Workspace.timezone, Inbox.hours,
               RoutingQueue.business_hours)
        .select_from(Workspace)
        .outerjoin(Conversation, (Conversation.workspace_id == Workspace.id)
                   & (Conversation.id == conversation_id))
        .outerjoin(Inbox, (Inbox.id == Conversation.inbox_id) & (Inbox.workspace_id == Workspace.id))
        .outerjoin(QueueEntry, (QueueEntry.workspace_id == Workspace.id)
                   & (QueueEntry.conversation_id == conversation_id))
        .outerjoin(RoutingQueue, RoutingQueue.id == QueueEntry.queue_id)
        .where(Workspace.id == workspace_id)
    )  # fmt: skip
    hours, timezone, inbox_hours, queue_hours = (await session.execute(stmt)).one()
    return stacked_calendar(hours, timezone, inbox_hours, queue_hours)


def stacked_calendar(hours: dict[str, Any] | None, timezone: str,
                     inbox_hours: dict[str, Any] | None,
                     queue_hours: dict[str, Any] | None) -> Calendar:
    """Return the workspace's calendar with the inbox's override, then the queue's, applied."""
    return calendar_from(hours, timezone=timezone, override=inbox_hours).override(queue_hours)


async def get_default_queue(session: AsyncSession, *, workspace_id: int) -> RoutingQueue | None:
    """Return the workspace's default queue, if one is configured."""
    return await session.scalar(
        select(RoutingQueue)
        .where(RoutingQueue.workspace_id == workspace_id, RoutingQueue.is_default.is_(True))
        .order_by(RoutingQueue.id)
        .limit(1)
    )


async def list_queues(session: AsyncSession, *, workspace_id: int) -> list[RoutingQueue]:
    """List the workspace's queues by name."""
    rows = await session.scalars(
        select(RoutingQueue)
        .where(RoutingQueue.workspace_id == workspace_id)
        .order_by(RoutingQueue.name)
    )
    return list(rows.all())


async def get_agent_state(
    session: AsyncSession, *, workspace_id: int, user_id: int
) -> AgentStateRow | None:
    """Return an agent's presence and load row, freshly read."""
    return await session.scalar(
        select(AgentStateRow)
        .where(AgentStateRow.workspace_id == workspace_id, AgentStateRow.user_id == user_id)
        .execution_options(**FRESH)
    )


async def get_entry(
    session: AsyncSession, *, workspace_id: int, conversation_id: int
) -> QueueEntry | None:
    """Return a conversation's queue entry, freshly read."""
    return await session.scalar(
        select(QueueEntry)
        .where(
            QueueEntry.workspace_id == workspace_id,
            QueueEntry.conversation_id == conversation_id,
        )
        .execution_options(**FRESH)
    )


async def list_entries(
    session: AsyncSession,
    *,
    workspace_id: int,
    statuses: tuple[str, ...] = ("waiting",),
    queue_id: int | None = None,
    agent_id: int | None = None,
    limit: int = 500,
) -> list[QueueEntry]:
    """List queue entries in some statuses, oldest first."""
    query = select(QueueEntry).where(
        QueueEntry.workspace_id == workspace_id, QueueEntry.status.in_(statuses)
    )
    if queue_id is not None:
        query = query.where(QueueEntry.queue_id == queue_id)
    if agent_id is not None:
        query = query.where(QueueEntry.agent_id == agent_id)
    query = query.order_by(QueueEntry.enqueued_at, QueueEntry.id).limit(limit)
    return list((await session.scalars(query.execution_options(**FRESH))).all())


async def last_agent_for_customer(
    session: AsyncSession, *, workspace_id: int, customer_id: int, conversation_id: int
) -> tuple[int, dt.datetime] | None:
    """Return who last handled this customer's other conversations, and when (for sticky)."""
    row = await session.execute(
        select(QueueEntry.agent_id, QueueEntry.last_agent_id, QueueEntry.assigned_at,
               QueueEntry.finished_at)
        .where(QueueEntry.workspace_id == workspace_id, QueueEntry.customer_id == customer_id,
               QueueEntry.conversation_id != conversation_id,
               QueueEntry.status.in_(("assigned", "done")))
        .order_by(QueueEntry.assigned_at.desc())
        .limit(1)
    )  # fmt: skip
    found = row.first()
    if found is None or found.agent_id is None:
        return None
    return found.agent_id, found.finished_at or found.assigned_at


class ConversationRow(NamedTuple):
    """The columns of a conversation routing decides on and its events carry, read as a plain
    row (``enqueue_facts``, ``get_conversation_row``) instead of a loaded object."""

    id: int
    workspace_id: int
    customer_id: int
    channel: str
    inbox_id: int | None
    status: str
    priority: str
    assignee_id: int | None
    team_id: int | None
    owner: str
    subject: str | None
    language: str | None
    intent: str | None
    created_at: dt.datetime
    first_response_at: dt.datetime | None


class QueueRow(NamedTuple):
    """The columns of a queue a decision needs (its policy, team, skills and hours)."""

    id: int
    workspace_id: int
    team_id: int | None
    required_skills: dict[str, Any] | None
    strategy: str
    sticky_window_seconds: float
    overflow_queue_id: int | None
    overflow_after_seconds: float | None
    offer_timeout_seconds: float
    weights: dict[str, Any] | None
    business_hours: dict[str, Any] | None


CONVERSATION_COLUMNS = tuple(getattr(Conversation, name) for name in ConversationRow._fields)
QUEUE_COLUMNS = tuple(getattr(RoutingQueue, name) for name in QueueRow._fields)


@dataclass(frozen=True, slots=True)
class EnqueueFacts:
    """Everything ``do_enqueue`` reads before it decides, loaded by one statement as plain
    columns (no ORM objects: loading them cost more than the rest of the read)."""

    conv: ConversationRow
    workspace: WorkspaceRules  # what the workspace's settings say (VIP keys, tiers, segments)
    calendar: Calendar  # the workspace's, with the conversation's inbox's override applied
    attributes: dict[str, Any]
    tags: list[Any]
    rules: tuple[RoutingRule, ...]  # the active rules, in evaluation order
    entry: tuple[int, str] | None  # the conversation's queue entry: id and status
    default_queue: QueueRow | None
    sla_targets: dict[str, Any] | None  # None: the workspace has no default SLA policy
    sticky: tuple[int, dt.datetime] | None  # see last_agent_for_customer
    customer_facts: CustomerFacts | None  # assist.facts: tier and what segments test


_CONV_END = len(ConversationRow._fields)
_QUEUE_END = _CONV_END + 9 + len(QueueRow._fields)
_FACTS_START = _QUEUE_END + 5


async def enqueue_facts(
    session: AsyncSession, *, workspace_id: int, conversation_id: int,
    now: dt.datetime | None = None,
) -> EnqueueFacts | None:
    """Read a conversation with its customer, workspace, inbox, entry, default queue, rules, SLA,
    sticky agent and the customer's facts.

    The same reads as get_conversation, get_customer, get_workspace, get_entry, get_default_queue,
    the active rules, get_default_sla_policy, the inbox's hours, last_agent_for_customer and
    assist's facts of the customer (``assist.facts.facts_query``, as ``customer_standing`` reads
    them), folded into one Core statement (joins and scalar subqueries) on the session's
    connection; the caller flushes first what it must see. None when the conversation does not
    exist.
    """
    now = now or utcnow()
    connection = await transaction_connection(session)
    row = (
        await connection.execute(
            _enqueue_facts_query(connection.dialect.name),
            {"workspace_id": workspace_id, "conversation_id": conversation_id,
             **facts_params(workspace_id, now)},
        )
    ).first()
    if row is None:
        return None
    conv = ConversationRow._make(row[:_CONV_END])
    (settings_text, hours_text, timezone, customer_id, attributes, tags, inbox_hours_text,
     entry_id, entry_status) = row[_CONV_END:_CONV_END + 9]
    queue = None if row[_CONV_END + 9] is None else QueueRow._make(row[_CONV_END + 9:_QUEUE_END])
    targets, rules, last_agent, last_assigned, last_finished = row[_QUEUE_END:_FACTS_START]
    if customer_id is None:
        raise NotFound("customer not found")
    workspace = workspace_rules(settings_text)
    sticky = None if last_agent is None else (last_agent, last_finished or last_assigned)
    return EnqueueFacts(conv, workspace, inbox_calendar(hours_text, timezone, inbox_hours_text),
                        attributes or {}, tags or [], rules_from_json(rules),
                        None if entry_id is None else (entry_id, entry_status), queue, targets,
                        sticky, facts_of_row(row[_FACTS_START:], workspace.settings, now,
                                             tiers=workspace.tiers))


@dataclass(frozen=True, slots=True)
class WorkspaceRules:
    """A workspace's settings as a decision uses them, parsed once per settings text. Shared by
    every decision while the settings stay the same: read, never change, these values."""

    settings: dict[str, Any]
    tiers: list[Tier]  # assist's tier ladder (tiers_from_settings)
    segments: list[Segment]  # assist's segments (segments_from_settings)
    vip_keys: list[str]


@lru_cache(maxsize=256)
def workspace_rules(text: str | None) -> WorkspaceRules:
    """Parse a workspace's settings as ``enqueue_facts`` reads them (JSON text) into what a
    decision uses: cached by the text itself, as ``rules_from_json``, so a change (in any
    process, by any path) is a different text, never a stale entry to invalidate."""
    settings = (json.loads(text) if text else None) or {}
    return WorkspaceRules(settings, tiers_from_settings(settings),
                          segments_from_settings(settings), vip_keys(settings))


@lru_cache(maxsize=256)
def inbox_calendar(hours: str | None, timezone: str, inbox_hours: str | None) -> Calendar:
    """Build the calendar of the workspace's hours and zone with an inbox's override (JSON texts,
    as ``enqueue_facts`` reads them), cached by the texts themselves (see workspace_rules)."""
    return stacked_calendar(json.loads(hours) if hours else None, timezone,
                            json.loads(inbox_hours) if inbox_hours else None, None)


async def get_conversation_row(
    session: AsyncSession, *, workspace_id: int, conversation_id: int
) -> ConversationRow:
    """Return a conversation's routing columns as a plain row (one Core read), or NotFound."""
    connection = await transaction_connection(session)
    row = (await connection.execute(_conversation_row_query(), {
        "workspace_id": workspace_id, "conversation_id": conversation_id})).first()
    if row is None:
        raise NotFound("conversation not found")
    return ConversationRow._make(row)


@cache
def _conversation_row_query() -> Select[Any]:
    """Build the conversation row read once."""
    return select(*CONVERSATION_COLUMNS).where(
        Conversation.id == bindparam("conversation_id"), Conversation.workspace_id == WORKSPACE)


async def get_queue_row(session: AsyncSession, *, workspace_id: int, queue_id: int) -> QueueRow:
    """Return a queue's decision columns as a plain row (one Core read), or NotFound."""
    connection = await transaction_connection(session)
    row = (await connection.execute(_queue_row_query(), {
        "workspace_id": workspace_id, "queue_id": queue_id})).first()
    if row is None:
        raise NotFound("routing queue not found")
    return QueueRow._make(row)


@cache
def _queue_row_query() -> Select[Any]:
    """Build the queue row read once."""
    return select(*QUEUE_COLUMNS).where(
        RoutingQueue.id == bindparam("queue_id"), RoutingQueue.workspace_id == WORKSPACE)


@lru_cache(maxsize=512)
def rules_from_json(text: str | None) -> tuple[RoutingRule, ...]:
    """Parse the active rules as ``enqueue_facts`` reads them (one JSON array), in evaluation order.

    Cached by the text itself, so a workspace whose rules did not change parses them once per
    process, and a change (in any process) is a different text: never stale.
    """
    items = json.loads(text) if text else []
    items.sort(key=lambda item: (item["position"], item["id"]))
    return tuple(parse_rule(item) for item in items)


def _rules_json(dialect: str) -> Any:
    """Build the scalar subquery that reads a workspace's active rules as one JSON text."""
    rule = RoutingRuleRow
    fields = ("id", rule.id, "position", rule.position, "name", rule.name,
              "queue_id", rule.queue_id, "priority", rule.priority)  # fmt: skip
    active = (rule.workspace_id == WORKSPACE, rule.is_active.is_(True))
    if dialect == "postgresql":
        item = func.jsonb_build_object(*fields, "conditions", rule.conditions)
        ordered = aggregate_order_by(item, rule.position, rule.id)
        return select(cast(func.jsonb_agg(ordered), Text)).where(*active).scalar_subquery()
    rows = (
        select(func.json_object(*fields, "conditions", func.json(rule.conditions)).label("item"))
        .where(*active)
        .order_by(rule.position, rule.id)
        .subquery()
    )
    return select(func.json_group_array(func.json(rows.c.item))).scalar_subquery()


@cache
def _enqueue_facts_query(dialect: str) -> Select[Any]:
    """Build the enqueue_facts statement once per dialect; building it costs more than running it."""
    previous, default_queue = aliased(QueueEntry), aliased(RoutingQueue)
    previous_id = (
        select(QueueEntry.id)
        .where(QueueEntry.workspace_id == WORKSPACE,
               QueueEntry.customer_id == Conversation.customer_id,
               QueueEntry.conversation_id != Conversation.id,
               QueueEntry.status.in_([literal("assigned"), literal("done")]))  # not expanding
        .order_by(QueueEntry.assigned_at.desc())
        .limit(1)
        .correlate(Conversation)
        .scalar_subquery()
    )  # fmt: skip
    default_id = (
        select(RoutingQueue.id)
        .where(RoutingQueue.workspace_id == WORKSPACE, RoutingQueue.is_default.is_(True))
        .order_by(RoutingQueue.id)
        .limit(1)
        .scalar_subquery()
    )
    sla_targets = (
        select(SlaPolicyRow.targets)
        .where(SlaPolicyRow.workspace_id == WORKSPACE, SlaPolicyRow.is_default.is_(True))
        .order_by(SlaPolicyRow.id)
        .limit(1)
        .scalar_subquery()
    )
    asked = aliased(Conversation, name="facts_conversation")
    the_customer = cast(  # the conversation's customer: a value read once by primary key
        # (PostgreSQL: an InitPlan), not a subquery `IN` would join to every row the facts'
        # subqueries scan. No workspace test here: the statement's row is the conversation in
        # the workspace, and the facts' subqueries each keep to the workspace.
        select(asked.customer_id).where(asked.id == bindparam("conversation_id"))
        .scalar_subquery(), Conversation.customer_id.type)
    facts = facts_query(dialect, [the_customer]).subquery("customer_facts")
    return (
        select(*CONVERSATION_COLUMNS, cast(Workspace.settings, Text),
               cast(Workspace.business_hours, Text), Workspace.timezone, Customer.id,
               Customer.attributes, Customer.tags, cast(Inbox.hours, Text),
               QueueEntry.id, QueueEntry.status,
               *(getattr(default_queue, name) for name in QueueRow._fields), sla_targets,
               _rules_json(dialect), previous.agent_id, previous.assigned_at,
               previous.finished_at, *facts.c)
        .join(Workspace, Workspace.id == Conversation.workspace_id)
        .outerjoin(Customer, (Customer.id == Conversation.customer_id)
                   & (Customer.workspace_id == WORKSPACE))
        .outerjoin(QueueEntry, (QueueEntry.conversation_id == Conversation.id)
                   & (QueueEntry.workspace_id == WORKSPACE))
        .outerjoin(Inbox, (Inbox.id == Conversation.inbox_id) & (Inbox.workspace_id == WORKSPACE))
        .outerjoin(default_queue, (default_queue.id == func.coalesce(Inbox.default_queue_id,
                                                                     default_id))
                   & (default_queue.workspace_id == WORKSPACE))
        .outerjoin(previous, previous.id == previous_id)
        .outerjoin(facts, facts.c[0] == Conversation.customer_id)
        .where(Conversation.id == bindparam("conversation_id"),
               Conversation.workspace_id == WORKSPACE)
    )  # fmt: skip


def transaction_rows(session: AsyncSession) -> dict[tuple[type, int], Any]:
    """Return the plain rows routing read in the session's current transaction, by (row type,
    id): ``do_enqueue`` leaves the queue and conversation rows there so that ``do_assign_next``
    in the same transaction does not read them again (and ``transaction_connection`` keeps the
    connection there). A new transaction starts empty, and the assignment that changes a
    conversation takes its row out."""
    transaction = session.sync_session.get_transaction()
    held = session.info.get(HELD_KEY)
    if held is None or held[0] is not transaction:
        held = session.info[HELD_KEY] = (transaction, {})
    rows: dict[tuple[type, int], Any] = held[1]
    return rows


async def transaction_connection(session: AsyncSession) -> AsyncConnection:
    """Return the session's connection (``session.connection()``), asked of the session once per
    transaction (kept in ``transaction_rows``): each ask costs a greenlet switch and the
    session's bookkeeping, four times per decision."""
    held = session.info.get(HELD_KEY)
    if held is not None and held[0] is session.sync_session.get_transaction():
        kept: AsyncConnection | None = held[1].get((AsyncConnection, 0))
        if kept is not None:
            return kept
    connection = await session.connection()  # begins the transaction when none is open
    transaction_rows(session)[AsyncConnection, 0] = connection
    return connection


AGENT_COLUMNS = (
    AgentStateRow.user_id, AgentStateRow.presence, AgentStateRow.idle_since,
    AgentStateRow.last_assignment_at,
    *(getattr(AgentStateRow, f"{ch}_{what}") for ch in CAPACITY_CLASSES
      for what in ("capacity", "load")),
)  # fmt: skip
ITEM_COLUMNS = (
    QueueEntry.id, QueueEntry.channel, QueueEntry.language, QueueEntry.required_skills,
    QueueEntry.priority, QueueEntry.vip, QueueEntry.sentiment, QueueEntry.enqueued_at,
    QueueEntry.sla_due_at, QueueEntry.last_agent_id, QueueEntry.last_agent_at,
)  # fmt: skip


async def list_candidate_agents(
    session: AsyncSession, *, workspace_id: int, queue: RoutingQueue | QueueRow, lock: bool = False
) -> list[AgentState]:
    """Return the online agents who may serve a queue (its team, if any), as engine states.

    One statement whatever the number of agents: plain rows, one per agent and skill (an outer
    join), not ORM objects, run on the session's connection without the ORM's overhead (nor its
    autoflush: ``do_assign_next``, the caller, has flushed what the read must see). With ``lock`` the agent rows are locked in id order (PostgreSQL) until
    the transaction ends, which serialises concurrent matching for the same agents instead of
    letting it deadlock.
    """
    params = {"workspace_id": workspace_id, "team_id": queue.team_id}
    query = _candidates_query(queue.team_id is not None, lock)
    rows = (await (await transaction_connection(session)).execute(query, params)).all()  # Core: no ORM
    agents: dict[int, AgentState] = {}
    for row in rows:
        agent = agents.get(row[0])
        if agent is None:
            agent = agents[row[0]] = agent_state(row)
        if row[-2] is not None:
            agent.skills[row[-2]] = row[-1]
    return list(agents.values())


_CAPACITY_AT = slice(4, 4 + 2 * len(CAPACITY_CLASSES), 2)  # AGENT_COLUMNS' capacity columns
_LOAD_AT = slice(5, 5 + 2 * len(CAPACITY_CLASSES), 2)  # and their load columns
_PRESENCES = {presence.value: presence for presence in Presence}


def agent_state(row: Any) -> AgentState:
    """Build the engine's view of an agent, without skills, from a row of the candidates
    statement (AGENT_COLUMNS, then the languages, skill and level), by position: 50 agents per
    decision, where reading columns by name cost about four times as much."""
    return AgentState(
        id=row[0],
        presence=_PRESENCES[row[1]],
        languages=languages_from_json(row[-3]),
        skills={},
        capacity=dict(zip(CAPACITY_CLASSES, row[_CAPACITY_AT], strict=True)),
        load=dict(zip(CAPACITY_CLASSES, row[_LOAD_AT], strict=True)),
        idle_since=_seconds(row[2]) or 0.0,
        last_assignment_at=_seconds(row[3]) or float("-inf"),
    )


def _seconds(moment: dt.datetime | float | None) -> float | None:
    """Return a time as epoch seconds: a datetime (SQLite) or already seconds (PostgreSQL's
    decision statement reads the agents' times as epoch seconds)."""
    return moment.timestamp() if isinstance(moment, dt.datetime) else moment


@lru_cache(maxsize=256)
def languages_from_json(text: str | None) -> frozenset[str]:
    """Parse an agent's languages as the candidates statement reads them (JSON text), cached by
    the text itself: the same few lists recur for every agent and decision, never stale."""
    return frozenset(json.loads(text) or ()) if text else frozenset()


@cache
def _candidates_query(by_team: bool, lock: bool) -> Select[Any]:
    """Build the candidate agents statement once per variant."""
    levels = join(UserSkill, Skill, Skill.id == UserSkill.skill_id)
    query = (
        select(*AGENT_COLUMNS, cast(User.languages, Text).label("languages"),
               Skill.name.label("skill"), UserSkill.level)
        .join(User, User.id == AgentStateRow.user_id)
        .outerjoin(levels, UserSkill.user_id == AgentStateRow.user_id)
        .where(AgentStateRow.workspace_id == WORKSPACE, AgentStateRow.presence == "online",
               User.is_active.is_(True))
        .order_by(AgentStateRow.user_id)
    )  # fmt: skip
    if by_team:
        members = select(TeamMember.user_id).where(TeamMember.team_id == bindparam("team_id"))
        query = query.where(AgentStateRow.user_id.in_(members))
    return query.with_for_update(of=AgentStateRow) if lock else query


async def list_decision_inputs(
    session: AsyncSession, *, workspace_id: int, queue: RoutingQueue | QueueRow, limit: int = 500
) -> tuple[list[AgentState], list[WorkItem]]:
    """Return the online agents who may serve a queue, locked (``list_candidate_agents`` with
    ``lock``), and its waiting items (``list_waiting_items``): one statement on PostgreSQL (the
    items come as one JSON array in a row of their own), two elsewhere. No items when no agent."""
    connection = await transaction_connection(session)
    if connection.dialect.name != "postgresql":
        candidates = await list_candidate_agents(session, workspace_id=workspace_id,
                                                 queue=queue, lock=True)
        if not candidates:
            return [], []
        return candidates, await list_waiting_items(session, workspace_id=workspace_id,
                                                queue_id=queue.id, limit=limit)
    params = {"workspace_id": workspace_id, "team_id": queue.team_id, "queue_id": queue.id}
    rows = (await connection.execute(
        _decision_inputs_query(queue.team_id is not None, limit), params)).all()
    found: Any = "[]"
    agents: dict[int, AgentState] = {}
    for full in rows:
        if full[0] is None:  # the items' row
            found = full[-1]
            continue
        row = full[:-1]
        agent = agents.get(row[0])
        if agent is None:
            agent = agents[row[0]] = agent_state(row)
        if row[-2] is not None:
            agent.skills[row[-2]] = row[-1]
    if not agents:
        return [], []
    return ([agents[user_id] for user_id in sorted(agents)],
            [_work_item_from_json(item) for item in json.loads(found or "[]")])


def _work_item_from_json(item: list[Any]) -> WorkItem:
    """Build an engine item from one element of the decision statement's items array (the
    columns of ``_decision_inputs_query``, times as epoch seconds)."""
    (entry_id, channel, language, skills, priority, vip, sentiment, enqueued_at, sla_due_at,
     last_agent_id, last_agent_at) = item
    return WorkItem(
        id=entry_id, channel=channel, language=language,
        skills={name: int(level) for name, level in (skills or {}).items()},
        priority=priority, vip=vip, sentiment=sentiment, enqueued_at=float(enqueued_at or 0.0),
        sla_due_at=None if sla_due_at is None else float(sla_due_at),
        last_agent_id=last_agent_id,
        last_agent_at=None if last_agent_at is None else float(last_agent_at),
    )  # fmt: skip


@cache
def _decision_inputs_query(by_team: bool, limit: int) -> Any:
    """Build the PostgreSQL statement of ``list_decision_inputs`` once per variant: the locked
    candidates (a CTE, so the lock order stays ascending user id), then one row whose last
    column holds the waiting items as a JSON array of arrays, oldest first."""
    locked = _candidates_query(by_team, True).cte("candidates")

    def epoch(column: Any) -> Any:
        return extract("epoch", column)

    waiting = (
        select(QueueEntry.id, QueueEntry.channel, QueueEntry.language,
               QueueEntry.required_skills, QueueEntry.priority, QueueEntry.vip,
               QueueEntry.sentiment, epoch(QueueEntry.enqueued_at).label("enqueued"),
               epoch(QueueEntry.sla_due_at), QueueEntry.last_agent_id,
               epoch(QueueEntry.last_agent_at), QueueEntry.enqueued_at.label("at"))
        .where(QueueEntry.workspace_id == WORKSPACE, QueueEntry.status == "waiting",
               QueueEntry.queue_id == bindparam("queue_id"))
        .order_by(QueueEntry.enqueued_at, QueueEntry.id)
        .limit(limit)
        .subquery("waiting")
    )  # fmt: skip
    item = func.json_build_array(*list(waiting.c)[:-1])
    items = select(cast(func.json_agg(aggregate_order_by(item, waiting.c.at, waiting.c.id)),
                        Text)).scalar_subquery()
    columns: list[Any] = list(locked.c)
    for at in (2, 3):  # idle_since, last_assignment_at (AGENT_COLUMNS) as epoch seconds:
        columns[at] = cast(epoch(columns[at]), Float)  # no datetimes to build and convert back
    return union_all(
        select(*columns, null().label("items")),
        select(*(null() for _ in columns), items),
    )


async def list_waiting_items(
    session: AsyncSession, *, workspace_id: int, queue_id: int, limit: int = 500
) -> list[WorkItem]:
    """Return a queue's waiting entries as engine items, oldest first, from plain rows (on the
    session's connection, as ``list_candidate_agents`` reads)."""
    params = {"workspace_id": workspace_id, "queue_id": queue_id}
    rows = await (await transaction_connection(session)).execute(_waiting_query(limit), params)  # Core
    return [work_item(row) for row in rows.all()]


@cache
def _waiting_query(limit: int) -> Select[Any]:
    """Build the waiting items statement once."""
    return (
        select(*ITEM_COLUMNS)
        .where(QueueEntry.workspace_id == WORKSPACE, QueueEntry.status == "waiting",
               QueueEntry.queue_id == bindparam("queue_id"))
        .order_by(QueueEntry.enqueued_at, QueueEntry.id)
        .limit(limit)
    )  # fmt: skip


def agent_capacity(user_capacity: Mapping[str, Any] | None) -> dict[str, int]:
    """Return the capacity per class an agent works with, from the user's settings (a class
    the user does not name has none)."""
    return {ch: int((user_capacity or {}).get(ch, 0)) for ch in CAPACITY_CLASSES}


def capacity_columns(user_capacity: Mapping[str, Any] | None) -> dict[str, int]:
    """Return the agent state's capacity columns for a user's capacity settings."""
    return {f"{ch}_capacity": n for ch, n in agent_capacity(user_capacity).items()}


def capacity_class_of(kind: str) -> str:
    """Return the capacity class a conversation on a channel kind uses (``channel_class``)."""
    return channel_class(kind)


def is_available(presence: str) -> bool:
    """Tell whether an agent in this presence receives new work (only online agents do)."""
    return Presence(presence) is Presence.ONLINE


def at_capacity(capacity: Mapping[str, int], load: Mapping[str, int]) -> bool:
    """Tell whether an agent is at capacity: the open work of some class fills that class
    (the engine's ``AgentState.utilisation`` reaches 1; classes without capacity do not count).
    A blended agent with chat 3 and email 5 is at capacity with three chats, though routing
    could still offer them an email (``AgentState.is_full`` is that stricter test)."""
    return AgentState(id=0, capacity=dict(capacity), load=dict(load)).utilisation() >= 1


def work_item(entry: Any) -> WorkItem:
    """Build the engine's view of a waiting entry (a QueueEntry or a row of ITEM_COLUMNS)."""
    return WorkItem(
        id=entry.id,
        channel=entry.channel,
        language=entry.language,
        skills={name: int(level) for name, level in (entry.required_skills or {}).items()},
        priority=entry.priority,
        vip=entry.vip,
        sentiment=entry.sentiment,
        enqueued_at=to_seconds(entry.enqueued_at) or 0.0,
        sla_due_at=to_seconds(entry.sla_due_at),
        last_agent_id=entry.last_agent_id,
        last_agent_at=to_seconds(entry.last_agent_at),
    )


def queue_policy(queue: RoutingQueue | QueueRow) -> QueuePolicy:
    """Build the engine's policy from a queue (loaded or as a plain row)."""
    weights = {k: float(v) for k, v in (queue.weights or {}).items() if k in POLICY_WEIGHTS}
    return QueuePolicy(
        strategy=Strategy(queue.strategy),
        sticky_window_seconds=queue.sticky_window_seconds,
        overflow_queue_id=queue.overflow_queue_id,
        overflow_after_seconds=queue.overflow_after_seconds,
        offer_timeout_seconds=queue.offer_timeout_seconds,
        **weights,
    )


async def get_default_sla_policy(
    session: AsyncSession, *, workspace_id: int
) -> SlaPolicyRow | None:
    """Return the workspace's default SLA policy, if any."""
    return await session.scalar(
        select(SlaPolicyRow)
        .where(SlaPolicyRow.workspace_id == workspace_id, SlaPolicyRow.is_default.is_(True))
        .order_by(SlaPolicyRow.id)
        .limit(1)
    )


def is_active(entry: QueueEntry | None) -> bool:
    """Tell whether an entry is still waiting, offered or assigned."""
    return entry is not None and entry.status in ACTIVE_ENTRY_STATUSES


async def sla_due_times(
    session: AsyncSession, *, workspace_id: int, conversation_ids: list[int]
) -> dict[int, dt.datetime]:
    """Return when each still-queued or assigned conversation's SLA target falls due."""
    if not conversation_ids:
        return {}
    rows = await session.execute(select(QueueEntry.conversation_id, QueueEntry.sla_due_at).where(
        QueueEntry.workspace_id == workspace_id, QueueEntry.conversation_id.in_(conversation_ids),
        QueueEntry.status.in_(ACTIVE_ENTRY_STATUSES), QueueEntry.sla_due_at.is_not(None)))
    return {int(cid): due for cid, due in rows.all() if due is not None}


def predict_staffing(agents: int, arrivals_per_hour: float, aht_seconds: float,
                     target_seconds: float) -> ErlangCPrediction:
    """Predict wait and service level with Erlang C (``routing.planning.erlang`` owns it)."""
    return erlang_predict(agents, arrivals_per_hour, aht_seconds, target_seconds)


async def waiting_position(session: AsyncSession, *, workspace_id: int,
                           conversation_id: int) -> int | None:
    """Return the conversation's place in its queue (1 = next), or None when not waiting."""
    entry = await session.scalar(select(QueueEntry).where(
        QueueEntry.workspace_id == workspace_id, QueueEntry.conversation_id == conversation_id))
    if entry is None or entry.status != "waiting":
        return None
    ahead = await session.scalar(select(func.count()).select_from(QueueEntry).where(
        QueueEntry.workspace_id == workspace_id, QueueEntry.queue_id == entry.queue_id,
        QueueEntry.status == "waiting",
        (QueueEntry.enqueued_at < entry.enqueued_at)
        | ((QueueEntry.enqueued_at == entry.enqueued_at) & (QueueEntry.id < entry.id))))
    return int(ahead or 0) + 1
