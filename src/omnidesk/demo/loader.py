"""Load the generated demo workspace (한빛리빙) into the database, once.

History is written as it happened (timestamps in the past) straight into the tables, with one
`demo.loaded` event, so subscribers such as the bot do not answer months-old messages.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.channels.manifests import KINDS, channel_name, channels_for_identity, is_realtime
from omnidesk.core.security import hash_password
from omnidesk.demo.behaviour import load_behaviour_history
from omnidesk.demo.dataset import (
    DemoConversation,
    DemoDataset,
    generate_demo_dataset,
)
from omnidesk.demo.dataset.generator import DEMO_TIERS
from omnidesk.domains.agents.models import Skill, Team, TeamMember, User, UserSkill
from omnidesk.domains.commerce.models import Order, OrderItem, Product
from omnidesk.domains.conversations.models import (
    Conversation,
    ConversationEvent,
    ConversationLabel,
    Message,
)
from omnidesk.domains.customers.models import Customer, CustomerIdentity
from omnidesk.domains.feedback.models import Survey, SurveyAnswer
from omnidesk.domains.inboxes.actions import do_create_inbox
from omnidesk.domains.workspaces.actions import do_record_demo_loaded
from omnidesk.domains.workspaces.models import Workspace
from omnidesk.domains.workspaces.service import get_workspace_by_slug

DEMO_PASSWORD = "omnidesk-demo"
KST = ZoneInfo("Asia/Seoul")
# The demo store's support hours, stated once: the bot, widget, routing/SLA, the help center
# (its footer and the {{hours}} in the contact-hours article) and the store page read them here.
DEMO_BUSINESS_HOURS: dict[str, Any] = {
    "timezone": "Asia/Seoul",
    "weekly": {**{day: [["09:00", "18:00"]] for day in ("mon", "tue", "wed", "thu", "fri")},
               "sat": [["09:00", "13:00"]]},
    "holidays": [
        {"date": "2026-12-25", "name": "성탄절"},
        {"date": "2026-12-31", "name": "연말 단축 운영", "hours": [["09:00", "15:00"]]},
        {"date": "2027-01-01", "name": "신정"},
    ],
}
DEMO_SETTINGS: dict[str, Any] = {
    "reopen_window_hours": 72,
    "tiers": DEMO_TIERS,
}


@dataclass
class DemoReport:
    """What the loader did."""

    created: bool
    workspace_id: int
    agents: int = 0
    customers: int = 0
    orders: int = 0
    conversations: int = 0
    messages: int = 0
    behaviour_events: int = 0


async def load_demo(session: AsyncSession, *, seed: int = 7,
                    now: dt.datetime | None = None) -> DemoReport:
    """Create the demo workspace unless it exists (idempotent)."""
    data = generate_demo_dataset(seed=seed, now=now)
    existing = await get_workspace_by_slug(session, slug=data.workspace_slug)
    if existing is not None:
        return DemoReport(created=False, workspace_id=existing.id)
    ws = Workspace(slug=data.workspace_slug, name=data.workspace_name, default_locale="ko",
                   timezone="Asia/Seoul", settings=dict(DEMO_SETTINGS),
                   business_hours=dict(DEMO_BUSINESS_HOURS), created_by="demo")
    session.add(ws)
    await session.flush()
    report = DemoReport(created=True, workspace_id=ws.id)
    inboxes = await _load_inboxes(session, ws.id, data)
    users = await _load_people(session, ws.id, data, report)
    customers = await _load_customers(session, ws.id, data, report, inboxes)
    await _load_catalogue(session, ws.id, data, customers, report)
    await _load_conversations(session, ws.id, data, users, customers, report, inboxes)
    latest = max((c.started_at for c in data.conversations), default=None)
    report.behaviour_events = await load_behaviour_history(
        session, ws.id, data, customers, _utc_now(now, latest), seed=seed)
    do_record_demo_loaded(session, workspace_id=ws.id, conversations=report.conversations)
    return report


def _utc_now(now: dt.datetime | None, latest: dt.datetime | None) -> dt.datetime:
    """The generator's 'now' (the history ends just before it), in UTC."""
    if now is not None:
        return now.replace(tzinfo=dt.UTC) if now.tzinfo is None else now.astimezone(dt.UTC)
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    return max(now, latest + dt.timedelta(minutes=1)) if latest else now


async def _load_inboxes(session: AsyncSession, ws_id: int,
                        data: DemoDataset) -> dict[str, int]:
    """Add one inbox per channel the history uses; provider inboxes wait for credentials."""
    kinds = {m.channel or c.channel for c in data.conversations for m in c.messages}
    kinds |= {c.channel for c in data.conversations}
    inboxes = {}
    for kind in (k for k in KINDS if k in kinds):  # manifest order: stable ids
        inbox = await do_create_inbox(
            session, workspace_id=ws_id, kind=kind, name=f"{channel_name(kind, 'ko')} 상담",
            sealed_settings="", fields={"is_active": is_realtime(kind)})
        inboxes[kind] = inbox.id
    return inboxes


def _identity_inbox(kind: str, inboxes: dict[str, int]) -> int | None:
    return next((inboxes[c] for c in channels_for_identity(kind) if c in inboxes), None)


async def _load_people(session: AsyncSession, ws_id: int, data: DemoDataset,
                       report: DemoReport) -> dict[str, User]:
    teams = {t.name: Team(workspace_id=ws_id, name=t.name, description=t.description,
                          members=[]) for t in data.teams}
    skills = {s.name: Skill(workspace_id=ws_id, name=s.name, description=s.description)
              for s in data.skills}
    session.add_all([*teams.values(), *skills.values()])
    await session.flush()
    password_hash = hash_password(DEMO_PASSWORD)
    users: dict[str, User] = {}
    for agent in data.agents:
        user = User(workspace_id=ws_id, email=agent.email, name=agent.name, role=agent.role,
                    locale=agent.locale, languages=list(agent.languages),
                    capacity=dict(agent.capacity), password_hash=password_hash, skills=[],
                    memberships=[])
        for name, level in agent.skills.items():
            skill = skills.get(name) or Skill(workspace_id=ws_id, name=name)
            skills[name] = skill
            user.skills.append(UserSkill(workspace_id=ws_id, skill=skill, level=level))
        if agent.team:
            user.memberships.append(TeamMember(workspace_id=ws_id, team=teams[agent.team]))
        session.add(user)
        users[agent.email] = user
    await session.flush()
    report.agents = len(users)
    return users


async def _load_customers(session: AsyncSession, ws_id: int, data: DemoDataset,
                          report: DemoReport, inboxes: dict[str, int]) -> dict[str, Customer]:
    customers: dict[str, Customer] = {}
    for item in data.customers:
        customer = Customer(
            workspace_id=ws_id, name=item.name, email=item.email, phone=item.phone,
            locale=item.locale, external_id=item.key, attributes=dict(item.attributes),
            tags=list(item.tags), created_at=item.created_at, updated_at=item.created_at,
            identities=[CustomerIdentity(workspace_id=ws_id, kind=i.kind, value=i.value,
                                         verified=i.verified, created_at=item.created_at,
                                         inbox_id=_identity_inbox(i.kind, inboxes))
                        for i in _unique_identities(item.identities)],
        )
        session.add(customer)
        customers[item.key] = customer
    await session.flush()
    report.customers = len(customers)
    return customers


def _unique_identities(identities: list[Any]) -> list[Any]:
    return list({(i.kind, i.value): i for i in identities}.values())


async def _load_catalogue(session: AsyncSession, ws_id: int, data: DemoDataset,
                          customers: dict[str, Customer], report: DemoReport) -> None:
    for product in data.products:
        session.add(Product(
            workspace_id=ws_id, external_id=product.sku, name=product.name,
            category=product.category, price=Decimal(product.price), currency="KRW",
            needs_installation=product.needs_installation,
            attributes={**product.attributes, "name_en": product.name_en}))
    for order in data.orders:
        items = [OrderItem(workspace_id=ws_id, product_external_id=i.sku, name=i.name,
                           price=Decimal(i.price), quantity=i.quantity, options=dict(i.options),
                           needs_installation=i.needs_installation,
                           item_external_id=i.item_id) for i in order.items]
        session.add(Order(
            workspace_id=ws_id, external_id=order.number,
            customer_id=customers[order.customer_key].id, status=order.status,
            total=sum((i.price * i.quantity for i in items), Decimal(0)), currency="KRW",
            address=dict(order.address), placed_at=order.placed_at, items=items,
            payments=[{"method": order.payment_method, "transaction_type": "payment"}],
            fulfillments=_fulfillments(order),
            created_at=order.placed_at, updated_at=order.placed_at))
    report.orders = len(data.orders)
    await session.flush()


def _fulfillments(order: Any) -> list[dict[str, Any]]:
    """Record when the order shipped and arrived, and its installation slot (the generator's
    statuses: parcels arrive on the third day, installed goods on the installation day)."""
    placed = order.placed_at.astimezone(KST).date()
    install = order.installation or {}
    entries: list[dict[str, Any]] = []
    if order.status in ("processed", "delivered"):
        entries.append({"type": "shipment",
                        "shipped_at": (placed + dt.timedelta(days=1)).isoformat()})
    if order.status == "delivered":
        day = install.get("rescheduled_date") or install.get("date") or (
            placed + dt.timedelta(days=3)).isoformat()
        entries.append({"type": "delivery", "delivered_at": day})
    if install:
        entries.append({"type": "installation", "installation": dict(install)})
    return entries


async def _load_conversations(session: AsyncSession, ws_id: int, data: DemoDataset,
                              users: dict[str, User], customers: dict[str, Customer],
                              report: DemoReport, inboxes: dict[str, int]) -> None:
    teams = {t.name: t for t in (m.team for u in users.values() for m in u.memberships)}
    for item in sorted(data.conversations, key=lambda c: c.started_at):
        conv = _conversation_row(ws_id, item, users, customers, teams)
        conv.inbox_id = inboxes.get(conv.channel)
        session.add(conv)
        await session.flush()
        assignee = users.get(item.assignee_email or "")
        for row in _history(ws_id, conv, item, assignee):
            if isinstance(row, Message):
                row.inbox_id = inboxes.get(row.channel)
            session.add(row)
            report.messages += isinstance(row, Message)
        if item.csat:
            await _csat_answer(session, conv, item.csat)
        report.conversations += 1
    await session.flush()


async def _csat_answer(session: AsyncSession, conv: Conversation, score: int) -> None:
    """Store the CSAT answer a demo customer gave when their conversation ended."""
    at = conv.resolved_at or conv.created_at
    survey = Survey(workspace_id=conv.workspace_id, conversation_id=conv.id,
                    customer_id=conv.customer_id, kind="csat", status="answered",
                    channel=conv.channel, inbox_id=conv.inbox_id, agent_id=conv.assignee_id,
                    team_id=conv.team_id, intent=conv.intent, due_at=at, sent_at=at,
                    answered_at=at, created_at=at)
    session.add(survey)
    await session.flush()
    session.add(SurveyAnswer(
        workspace_id=conv.workspace_id, survey_id=survey.id, conversation_id=conv.id,
        customer_id=conv.customer_id, kind="csat", score=score, channel=conv.channel,
        inbox_id=conv.inbox_id, agent_id=conv.assignee_id, team_id=conv.team_id,
        intent=conv.intent, is_low=score <= 2, via="widget", created_at=at))


def _conversation_row(ws_id: int, item: DemoConversation, users: dict[str, User],
                      customers: dict[str, Customer], teams: dict[str, Team]) -> Conversation:
    assignee = users.get(item.assignee_email or "")
    team = teams.get(item.team or "")
    return Conversation(
        workspace_id=ws_id, customer_id=customers[item.customer_key].id, channel=item.channel,
        status=item.status, priority=item.priority,
        assignee_id=assignee.id if assignee else None, team_id=team.id if team else None,
        subject=item.subject, language=item.language, intent=item.intent,
        attributes={"order_number": item.order_number},
        created_at=item.started_at, updated_at=item.started_at,
        label_rows=[ConversationLabel(workspace_id=ws_id, label=label)
                    for label in sorted(set(item.labels))],
    )


def _history(ws_id: int, conv: Conversation, item: DemoConversation,
             assignee: User | None) -> list[Message | ConversationEvent]:
    """Build the messages and event log of one demo conversation and set its clocks."""
    rows: list[Message | ConversationEvent] = [ConversationEvent(
        workspace_id=ws_id, conversation_id=conv.id, kind="created", actor_kind="customer",
        data={"channel": item.channel}, created_at=item.started_at)]
    if assignee is not None:
        rows.append(ConversationEvent(
            workspace_id=ws_id, conversation_id=conv.id, kind="assigned", actor_kind="system",
            data={"to_assignee_id": assignee.id}, created_at=item.started_at))
    last = item.started_at
    for message in item.messages:
        at = item.started_at + dt.timedelta(minutes=message.minutes_after_start)
        channel = message.channel or item.channel
        kind = message.author_kind
        rows.append(Message(
            workspace_id=ws_id, conversation_id=conv.id, channel=channel,
            direction="internal" if message.is_private else (
                "inbound" if kind == "customer" else "outbound"),
            author_kind=kind, author_id=assignee.id if assignee and kind == "agent" else None,
            text=message.text, is_private=message.is_private, created_at=at,
            delivery_status="read" if kind in {"agent", "bot"} and not is_realtime(channel) else None))
        conv.message_count += 1
        if message.is_private:
            continue
        last = at
        if kind == "customer":
            conv.first_customer_message_at = conv.first_customer_message_at or at
            conv.last_customer_message_at = at
        elif kind == "agent":
            conv.last_agent_message_at = at
            if conv.first_response_at is None and conv.first_customer_message_at:
                conv.first_response_at = at
                rows.append(ConversationEvent(
                    workspace_id=ws_id, conversation_id=conv.id, kind="first_response",
                    actor_kind="agent", actor_id=assignee.id if assignee else None,
                    data={"seconds": (at - conv.first_customer_message_at).total_seconds()},
                    created_at=at))
    conv.last_message_at = last
    if item.status == "resolved":
        conv.resolved_at = last + dt.timedelta(minutes=5)
        rows.append(ConversationEvent(workspace_id=ws_id, conversation_id=conv.id,
                                      kind="resolved", actor_kind="agent",
                                      actor_id=assignee.id if assignee else None,
                                      created_at=conv.resolved_at))
    elif conv.last_customer_message_at and (conv.last_agent_message_at is None or
                                            conv.last_agent_message_at < conv.last_customer_message_at):
        conv.waiting_since = conv.last_customer_message_at
    if item.status == "snoozed":
        conv.snoozed_until = last + dt.timedelta(days=2)
    return rows


