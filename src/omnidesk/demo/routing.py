"""The demo workspace's routing: a queue per team, rules, an SLA policy and agents' presence.

Written straight into the tables like the rest of the demo (no presence events), then the open
conversations are queued, and those already assigned are marked so, so loads and the supervisor
view start out consistent with the inbox.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.core.db import utcnow
from omnidesk.domains.agents.models import Team, User
from omnidesk.domains.conversations.models import Conversation
from omnidesk.domains.routing.actions import do_enqueue
from omnidesk.domains.routing.assignment.transfer_actions import do_sync_assignment
from omnidesk.domains.routing.models import (
    AgentStateRow,
    RoutingQueue,
    RoutingRuleRow,
    SlaPolicyRow,
)
from omnidesk.domains.routing.service import capacity_columns

DELIVERY, INSTALL, BILLING, ENGLISH, GENERAL = "배송·주문", "설치·A/S", "결제·회원", "English", "전체"
QUEUES: list[dict[str, Any]] = [
    {"name": DELIVERY, "team": DELIVERY, "strategy": "longest_idle", "is_default": True,
     "overflow": GENERAL, "overflow_after_seconds": 900},
    {"name": INSTALL, "team": INSTALL, "required_skills": {"installation": 3},
     "strategy": "best_skill", "overflow": GENERAL, "overflow_after_seconds": 900},
    {"name": BILLING, "team": BILLING, "required_skills": {"payments": 2},
     "strategy": "least_busy", "overflow": GENERAL, "overflow_after_seconds": 900},
    {"name": ENGLISH, "required_skills": {"english": 3}, "strategy": "longest_idle"},
    {"name": GENERAL, "strategy": "round_robin", "sticky_window_seconds": 86400},
]  # fmt: skip
INSTALL_INTENTS = ["installation_booking", "installation_defect", "installation_no_show",
                   "repair", "warranty"]  # fmt: skip
BILLING_INTENTS = ["payment_error", "payment_question", "refund_request", "refund_status",
                   "receipt", "tax_invoice", "membership_tier", "points", "coupon", "account"]
TOPICS: list[tuple[str, str, dict[str, list[str]]]] = [
    ("영어 문의", ENGLISH, {"language": ["en"]}),
    ("설치·A/S 의도", INSTALL, {"intent": INSTALL_INTENTS}),
    ("설치·A/S 키워드", INSTALL, {"keywords": ["설치", "기사", "A/S", "고장", "수리"]}),
    ("결제·회원 의도", BILLING, {"intent": BILLING_INTENTS}),
    ("결제·회원 키워드", BILLING, {"keywords": ["결제", "환불", "영수증", "포인트", "쿠폰"]}),
]
SLA_TARGETS = {
    "urgent": {"first_response": 300, "resolution": 4 * 3600},
    "high": {"first_response": 900, "resolution": 8 * 3600},
    "normal": {"first_response": 1800, "resolution": 24 * 3600},
    "low": {"first_response": 4 * 3600, "resolution": 72 * 3600},
}
PRESENCE = {
    "agent@hanbit.example": "online", "taemin.kang@hanbit.example": "online",
    "seoa.yoon@hanbit.example": "online", "yuna.song@hanbit.example": "online",
    "dohyun.lee@hanbit.example": "online", "haeun.jung@hanbit.example": "away",
    "jaewon.lim@hanbit.example": "busy", "supervisor@hanbit.example": "online",
}  # fmt: skip


async def load_routing_demo(session: AsyncSession, workspace_id: int) -> str:
    """Create the demo queues, rules, SLA policy and presence; queue the open conversations."""
    queues = await _create_queues(session, workspace_id)
    rules = _rules(workspace_id, queues)
    session.add_all(rules)
    session.add(SlaPolicyRow(workspace_id=workspace_id, name="기본 SLA", targets=SLA_TARGETS,
                             warn_before_seconds=300, is_default=True))  # fmt: skip
    online = await _create_agent_states(session, workspace_id)
    await session.flush()
    queued = await _queue_open_conversations(session, workspace_id)
    return (f", {len(queues)} routing queues with {len(rules)} rules ({online} agents online, "
            f"{queued} open conversations queued)")  # fmt: skip


async def _create_queues(session: AsyncSession, workspace_id: int) -> dict[str, RoutingQueue]:
    teams = {t.name: t.id for t in (await session.scalars(
        select(Team).where(Team.workspace_id == workspace_id))).all()}  # fmt: skip
    queues = {}
    for spec in QUEUES:
        queue = RoutingQueue(
            workspace_id=workspace_id, name=spec["name"], team_id=teams.get(spec.get("team", "")),
            required_skills=spec.get("required_skills", {}), strategy=spec["strategy"],
            sticky_window_seconds=spec.get("sticky_window_seconds", 0.0),
            is_default=spec.get("is_default", False), offer_timeout_seconds=20.0,
        )  # fmt: skip
        session.add(queue)
        queues[spec["name"]] = queue
    await session.flush()
    for spec in QUEUES:
        if "overflow" in spec:
            queues[spec["name"]].overflow_queue_id = queues[spec["overflow"]].id
            queues[spec["name"]].overflow_after_seconds = spec["overflow_after_seconds"]
    return queues


def _rules(workspace_id: int, queues: dict[str, RoutingQueue]) -> list[RoutingRuleRow]:
    """Each topic twice: VIP customers first with high priority, then everyone."""
    rules, position = [], 10
    for name, queue, conditions in TOPICS:
        for vip in (True, False):
            extra = {"tier": ["vip"]} if vip else {}
            rules.append(RoutingRuleRow(
                workspace_id=workspace_id, name=f"{name} (VIP)" if vip else name,
                position=position, conditions={**conditions, **extra},
                queue_id=queues[queue].id, priority="high" if vip else None))  # fmt: skip
            position += 10
    rules.append(RoutingRuleRow(workspace_id=workspace_id, name="VIP", position=position,
                                conditions={"tier": ["vip"]}, queue_id=queues[DELIVERY].id,
                                priority="high"))  # fmt: skip
    return rules


async def _create_agent_states(session: AsyncSession, workspace_id: int) -> int:
    users = (await session.scalars(select(User).where(User.workspace_id == workspace_id))).all()
    now = utcnow()
    for user in users:
        capacity = capacity_columns(user.capacity)
        session.add(AgentStateRow(
            workspace_id=workspace_id, user_id=user.id,
            presence=PRESENCE.get(user.email, "offline"), idle_since=now,
            presence_changed_at=now, **capacity))  # fmt: skip
    return sum(1 for u in users if PRESENCE.get(u.email) == "online")


async def _queue_open_conversations(session: AsyncSession, workspace_id: int) -> int:
    rows = await session.scalars(
        select(Conversation)
        .where(Conversation.workspace_id == workspace_id, Conversation.status == "open")
        .order_by(Conversation.id)
    )
    count = 0
    for conv in rows.all():
        since = conv.waiting_since or conv.last_message_at or conv.created_at
        if conv.assignee_id is None:
            entry = await do_enqueue(
                session, workspace_id=workspace_id, conversation_id=conv.id, now=since
            )
        else:
            entry = await do_sync_assignment(
                session, workspace_id=workspace_id, conversation_id=conv.id, now=since
            )
        count += entry is not None
    return count
