"""Builders for routing database tests: agents, queues, customers and conversations."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.core.context import Actor
from omnidesk.domains.agents.actions import do_create_user
from omnidesk.domains.agents.schemas import SkillLevel, UserCreate
from omnidesk.domains.conversations.actions import do_open_conversation
from omnidesk.domains.customers.actions import do_create_customer
from omnidesk.domains.customers.schemas import CustomerCreate
from omnidesk.domains.routing.actions import do_set_presence
from omnidesk.domains.routing.models import RoutingQueue, RoutingRuleRow


async def make_agent(
    session: AsyncSession,
    actor: Actor,
    name: str,
    *,
    capacity: dict[str, int] | None = None,
    skills: dict[str, int] | None = None,
    languages: tuple[str, ...] = ("ko", "en"),
    online: bool = True,
) -> int:
    """Create an agent user and, unless told otherwise, put them online."""
    user = await do_create_user(
        session,
        actor=actor,
        user_in=UserCreate(
            email=f"{name}@acme.example",
            name=name,
            role="agent",
            languages=list(languages),
            capacity=capacity or {"voice": 1, "chat": 2, "email": 5},
            skills=[SkillLevel(name=k, level=v) for k, v in (skills or {}).items()],
        ),
    )
    if online:
        await do_set_presence(
            session, workspace_id=actor.workspace_id, user_id=user.id, presence="online"
        )
    return user.id


async def make_queue(session: AsyncSession, workspace_id: int, name: str, **kwargs: Any) -> int:
    """Create a routing queue and return its id."""
    queue = RoutingQueue(workspace_id=workspace_id, name=name, **kwargs)
    session.add(queue)
    await session.flush()
    return queue.id


async def make_rule(
    session: AsyncSession,
    workspace_id: int,
    queue_id: int,
    conditions: dict[str, Any],
    **kwargs: Any,
) -> None:
    """Create a routing rule."""
    session.add(
        RoutingRuleRow(
            workspace_id=workspace_id,
            queue_id=queue_id,
            conditions=conditions,
            name=kwargs.pop("name", "rule"),
            **kwargs,
        )
    )
    await session.flush()


async def make_conversation(
    session: AsyncSession,
    actor: Actor,
    *,
    channel: str = "web",
    customer_id: int | None = None,
    language: str | None = "ko",
    attributes: dict[str, Any] | None = None,
    subject: str | None = None,
) -> tuple[int, int]:
    """Open a conversation (with a new customer unless one is given); return (conv, customer)."""
    if customer_id is None:
        customer = await do_create_customer(
            session,
            actor=actor,
            customer_in=CustomerCreate(name="고객", attributes=attributes or {}),
        )
        customer_id = customer.id
    conv = await do_open_conversation(
        session,
        workspace_id=actor.workspace_id,
        customer_id=customer_id,
        channel=channel,
        language=language,
        subject=subject,
    )
    return conv.id, customer_id
