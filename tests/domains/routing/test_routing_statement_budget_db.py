"""A regression guard on the routing decision's round trips (SQLite and PostgreSQL).

Timing belongs in bench/routing_decision.py; this only counts statements, which do not depend on
the machine. Enqueue reads everything it needs (rules included) in one statement, and the decision
reads agents and waiting items once each, however many agents, skills and entries there are.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from omnidesk.domains.routing.actions import do_assign_next, do_enqueue, do_release
from omnidesk.domains.routing.models import SlaPolicyRow
from tests.conftest import Persona

from .routing_setup import make_agent, make_conversation, make_queue, make_rule

# was 28 before the decision path was folded (see the bench), then 14; +7 since the customer's
# tier and segments are the computed ones (assist.service.customer_standing: workspace, customer,
# orders, order items, behaviour, conversations) instead of a stored attribute that disagreed;
# +1 since the facts carry the customer's CSAT from their survey answers; -4 since the rules are
# read within enqueue's statement, customer_standing finds the workspace it loaded, the entry and
# the agent's capacity are claimed in one statement and the events go in as one INSERT (both
# PostgreSQL only: SQLite claims in two and inserts the events one by one); -2 since assigning
# reads whether the agent is active, not the user with their skills and teams; -6 since the
# customer's facts (customer, orders, order items, behaviour, CSAT, conversations) are one statement;
# -1 since the capacity claim requires an active user and assigning does not read the user again;
# -2 on PostgreSQL since the decision writes with Core: the entry's INSERT writes its event and
# the conversation's UPDATE its log row and event (data-modifying CTEs; SQLite: one each); -1 on
# PostgreSQL since the locked candidates and the waiting items are one read, -1 since the claim
# of entry and capacity assigns the conversation in the same statement; -1 since enqueue reads the
# customer's facts (assist.facts.facts_query, the statement customer_standing runs) within its own
STATEMENTS_PER_DECISION = {"postgresql": 4, "sqlite": 10}


async def test_a_routing_decision_stays_within_its_statement_budget(
    session: AsyncSession,
    session_factory: async_sessionmaker[AsyncSession],
    engine: AsyncEngine,
    owner: Persona,
) -> None:
    ws = owner.workspace_id
    queue = await make_queue(session, ws, "general", is_default=True)
    other = await make_queue(session, ws, "billing")
    await make_rule(session, ws, other, {"keywords": ["refund"]})
    session.add(SlaPolicyRow(workspace_id=ws, name="sla", is_default=True,
                             targets={"normal": {"first_response": 600}}))  # fmt: skip
    for n in range(5):
        await make_agent(session, owner.admin, f"agent{n}", skills={"billing": 3, "tv": n % 5 + 1})
    earlier, customer = await make_conversation(session, owner.admin)
    conv, _ = await make_conversation(session, owner.admin, customer_id=customer)
    await do_enqueue(session, workspace_id=ws, conversation_id=earlier)  # sticky history
    (helped,) = await do_assign_next(session, workspace_id=ws, queue_id=queue)
    await do_release(session, workspace_id=ws, conversation_id=earlier)
    await session.commit()

    statements: list[str] = []

    def count(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        statements.append(statement)

    event.listen(engine.sync_engine, "before_cursor_execute", count)
    try:
        async with session_factory() as fresh:  # as the event dispatcher runs it
            await do_enqueue(fresh, workspace_id=ws, conversation_id=conv)
            assigned = await do_assign_next(fresh, workspace_id=ws, queue_id=queue)
            await fresh.flush()
            counted = len(statements)
            await fresh.commit()
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", count)
    assert [entry.conversation_id for entry in assigned] == [conv]
    assert assigned[0].last_agent_id == helped.agent_id  # the sticky read ran in the same statement
    assert counted <= STATEMENTS_PER_DECISION[engine.dialect.name], "\n".join(statements)
