"""Campaign reads: campaigns, consent and the law's checks, idle carts, campaign reports.

The rules of who may get a marketing message live here once: consent on the channel (or on
every channel) and no opt-out there, the night window 21:00–08:00 in the workspace's time zone
unless the customer consented to night messages, and the per-customer frequency cap.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.core.db import utcnow
from omnidesk.core.errors import NotFound
from omnidesk.domains.commerce.models import BehaviourEvent, Order
from omnidesk.domains.conversations.models import Conversation, Message
from omnidesk.domains.engagement.models import (
    ANY_CHANNEL,
    Campaign,
    CampaignSend,
    Consent,
    ReadMark,
)
from omnidesk.domains.engagement.schemas import CampaignStats, EngagementSettings
from omnidesk.domains.workspaces.models import Workspace

NIGHT_STARTS, NIGHT_ENDS = 21, 8  # 정보통신망법 제50조 ③: 21시–다음 날 8시
CART_LOOKBACK_MINUTES = 120  # carts that went idle in the last two hours are (re)considered


def engagement_settings(workspace: Workspace) -> EngagementSettings:
    """Return the workspace's engagement settings with defaults filled in."""
    return EngagementSettings.model_validate((workspace.settings or {}).get("engagement") or {})


def is_night(workspace: Workspace, at: dt.datetime) -> bool:
    """Tell whether it is 21:00–08:00 where the workspace is."""
    hour = at.astimezone(ZoneInfo(workspace.timezone or "Asia/Seoul")).hour
    return hour >= NIGHT_STARTS or hour < NIGHT_ENDS


async def list_campaigns(session: AsyncSession, *, workspace_id: int,
                         enabled_only: bool = False) -> list[Campaign]:
    """List the workspace's campaigns, oldest first."""
    query = select(Campaign).where(Campaign.workspace_id == workspace_id)
    if enabled_only:
        query = query.where(Campaign.enabled.is_(True))
    return list((await session.scalars(query.order_by(Campaign.id))).all())


async def list_enabled_campaigns(session: AsyncSession, *, trigger: str) -> list[Campaign]:
    """List every workspace's enabled campaigns with one trigger kind (for the scheduler)."""
    rows = await session.scalars(select(Campaign).where(Campaign.enabled.is_(True))
                                 .order_by(Campaign.workspace_id, Campaign.id))
    return [c for c in rows.all() if (c.trigger or {}).get("kind") == trigger]


async def get_campaign(session: AsyncSession, *, workspace_id: int,
                       campaign_id: int) -> Campaign:
    """Return one of the workspace's campaigns or raise NotFound."""
    row = await session.scalar(select(Campaign).where(Campaign.workspace_id == workspace_id,
                                                      Campaign.id == campaign_id))
    if row is None:
        raise NotFound("campaign not found")
    return row


async def list_consents(session: AsyncSession, *, workspace_id: int,
                        customer_id: int) -> list[Consent]:
    """List a customer's consents, one per channel."""
    rows = await session.scalars(select(Consent).where(
        Consent.workspace_id == workspace_id, Consent.customer_id == customer_id)
        .order_by(Consent.channel))
    return list(rows.all())


async def marketing_refusal(session: AsyncSession, *, workspace: Workspace, customer_id: int,
                            channel: str, at: dt.datetime) -> str | None:
    """Say why a marketing message may not go to this customer on this channel now, or None.

    `opted_out` (they said 수신거부/STOP here, or withdrew), `no_consent`, `quiet_hours`
    (21:00–08:00 without night consent), `capped` (the frequency cap is reached).
    """
    rows = {c.channel: c for c in await list_consents(session, workspace_id=workspace.id,
                                                      customer_id=customer_id)}
    own, anywhere = rows.get(channel), rows.get(ANY_CHANNEL)
    decisive = own if own is not None else anywhere  # the channel's own word wins
    if decisive is None or not decisive.marketing:
        return "opted_out" if decisive is not None and decisive.opted_out_at else "no_consent"
    night_ok = decisive.night or (anywhere is not None and anywhere.marketing and anywhere.night)
    if is_night(workspace, at) and not night_ok:
        return "quiet_hours"
    settings = engagement_settings(workspace)
    since = at - dt.timedelta(days=settings.frequency_days)
    recent = await session.scalar(select(func.count(CampaignSend.id)).where(
        CampaignSend.workspace_id == workspace.id, CampaignSend.customer_id == customer_id,
        CampaignSend.purpose == "marketing", CampaignSend.status == "sent",
        CampaignSend.created_at >= since))
    return "capped" if int(recent or 0) >= settings.frequency_cap else None


@dataclass(frozen=True)
class IdleCart:
    """A customer's cart that nobody checked out: its last change and what it is worth."""

    customer_id: int
    behaviour_event_id: int
    value: float
    changed_at: dt.datetime


async def list_idle_carts(session: AsyncSession, *, workspace_id: int, idle_minutes: int,
                          min_value: float, now: dt.datetime | None = None) -> list[IdleCart]:
    """List carts last changed `idle_minutes` ago or more (recently), worth ≥ `min_value`,
    with no checkout or purchase after that change."""
    now = now or utcnow()
    since = now - dt.timedelta(minutes=idle_minutes + CART_LOOKBACK_MINUTES)
    rows = await session.execute(
        select(BehaviourEvent.id, BehaviourEvent.customer_id, BehaviourEvent.kind,
               BehaviourEvent.data, BehaviourEvent.occurred_at)
        .where(BehaviourEvent.workspace_id == workspace_id,
               BehaviourEvent.kind.in_(("cart", "checkout", "purchase")),
               BehaviourEvent.occurred_at >= since, BehaviourEvent.occurred_at <= now)
        .order_by(BehaviourEvent.occurred_at, BehaviourEvent.id))
    latest: dict[int, tuple[int, str, dict[str, object], dt.datetime]] = {}
    for row in rows.all():
        latest[row.customer_id] = (row.id, row.kind, row.data or {}, row.occurred_at)
    idle_before = now - dt.timedelta(minutes=idle_minutes)
    carts = []
    for customer_id, (event_id, kind, data, at) in latest.items():
        value = _number(data.get("value"))
        if kind == "cart" and at <= idle_before and value >= min_value and \
                _number(data.get("items", 1)) > 0:
            carts.append(IdleCart(customer_id, event_id, value, at))
    return carts


def _number(raw: object) -> float:
    if isinstance(raw, bool) or not isinstance(raw, int | float | str):
        return 0.0
    try:
        return float(raw)
    except ValueError:
        return 0.0


async def count_page_views_today(session: AsyncSession, *, workspace: Workspace,
                                 customer_id: int, url_contains: str,
                                 now: dt.datetime | None = None) -> int:
    """Count the customer's views today (workspace time) of pages whose URL has the text."""
    now = now or utcnow()
    local = now.astimezone(ZoneInfo(workspace.timezone or "Asia/Seoul"))
    midnight = local.replace(hour=0, minute=0, second=0, microsecond=0).astimezone(dt.UTC)
    found = await session.scalar(select(func.count(BehaviourEvent.id)).where(
        BehaviourEvent.workspace_id == workspace.id, BehaviourEvent.customer_id == customer_id,
        BehaviourEvent.kind == "page", BehaviourEvent.occurred_at >= midnight,
        BehaviourEvent.url.contains(url_contains, autoescape=True)))
    return int(found or 0)


async def campaign_stats(session: AsyncSession, *, workspace_id: int,
                         campaigns: Iterable[Campaign]) -> dict[int, CampaignStats]:
    """Report each campaign: sent, opened, replied, converted and opted out within its
    conversion window, and the sends held back by reason (a few grouped queries)."""
    windows = {c.id: dt.timedelta(hours=c.conversion_hours) for c in campaigns}
    stats = {cid: CampaignStats() for cid in windows}
    if not windows:
        return stats
    sends = (await session.scalars(select(CampaignSend).where(
        CampaignSend.workspace_id == workspace_id,
        CampaignSend.campaign_id.in_(list(windows))))).all()
    sent = [s for s in sends if s.status == "sent"]
    for s in sends:
        if s.status == "sent":
            stats[s.campaign_id].sent += 1
        else:
            reasons = stats[s.campaign_id].suppressed
            reasons[s.reason or s.status] = reasons.get(s.reason or s.status, 0) + 1
    if not sent:
        return stats
    facts = await _outcomes(session, workspace_id, sent)
    for s in sent:
        until = s.created_at + windows[s.campaign_id]
        row = stats[s.campaign_id]
        row.opened += facts.opened(s)
        row.replied += facts.replied(s, until)
        row.converted += facts.converted(s, until)
        row.opted_out += facts.opted_out(s, until)
    return stats


@dataclass
class _Outcomes:
    read_up_to: dict[int, int]
    read_status: set[int]
    replies: dict[int, list[tuple[int, dt.datetime]]]
    purchases: dict[int, list[dt.datetime]]
    resolved: dict[int, dt.datetime | None]
    opt_outs: dict[tuple[int, str], dt.datetime]

    def opened(self, s: CampaignSend) -> int:
        seen = s.conversation_id is not None and \
            self.read_up_to.get(s.conversation_id, 0) >= (s.message_id or 0)
        return int(seen or (s.message_id in self.read_status))

    def replied(self, s: CampaignSend, until: dt.datetime) -> int:
        return int(any(mid > (s.message_id or 0) and at <= until
                       for mid, at in self.replies.get(s.conversation_id or 0, [])))

    def converted(self, s: CampaignSend, until: dt.datetime) -> int:
        bought = any(s.created_at <= at <= until for at in self.purchases.get(s.customer_id, []))
        done = self.resolved.get(s.conversation_id or 0)
        return int(bought or (done is not None and s.created_at <= done <= until))

    def opted_out(self, s: CampaignSend, until: dt.datetime) -> int:
        at = self.opt_outs.get((s.customer_id, s.channel or ""))
        return int(at is not None and s.created_at <= at <= until)


async def _outcomes(session: AsyncSession, workspace_id: int,
                    sent: list[CampaignSend]) -> _Outcomes:
    conv_ids = {s.conversation_id for s in sent if s.conversation_id}
    customer_ids = {s.customer_id for s in sent}
    start = min(s.created_at for s in sent)
    marks = await session.execute(select(ReadMark.conversation_id, ReadMark.message_id).where(
        ReadMark.workspace_id == workspace_id, ReadMark.reader == "customer",
        ReadMark.conversation_id.in_(conv_ids)))
    read = await session.scalars(select(Message.id).where(
        Message.workspace_id == workspace_id,
        Message.id.in_([s.message_id for s in sent if s.message_id]),
        Message.delivery_status == "read"))
    replies: dict[int, list[tuple[int, dt.datetime]]] = defaultdict(list)
    for cid, mid, at in (await session.execute(
            select(Message.conversation_id, Message.id, Message.created_at).where(
                Message.workspace_id == workspace_id, Message.conversation_id.in_(conv_ids),
                Message.author_kind == "customer", Message.created_at >= start))).all():
        replies[cid].append((mid, at))
    purchases: dict[int, list[dt.datetime]] = defaultdict(list)
    for cid, at in (await session.execute(select(BehaviourEvent.customer_id,
                                                 BehaviourEvent.occurred_at).where(
            BehaviourEvent.workspace_id == workspace_id, BehaviourEvent.kind == "purchase",
            BehaviourEvent.customer_id.in_(customer_ids),
            BehaviourEvent.occurred_at >= start))).all():
        purchases[cid].append(at)
    for owner, placed in (await session.execute(select(Order.customer_id, Order.placed_at).where(
            Order.workspace_id == workspace_id, Order.customer_id.in_(customer_ids),
            Order.placed_at >= start))).all():
        if owner is not None and placed is not None:
            purchases[owner].append(placed)
    resolved = dict((await session.execute(select(Conversation.id, Conversation.resolved_at)
                                           .where(Conversation.id.in_(conv_ids)))).all())
    opt_outs = {(cid, ch): at for cid, ch, at in (await session.execute(
        select(Consent.customer_id, Consent.channel, Consent.opted_out_at).where(
            Consent.workspace_id == workspace_id, Consent.customer_id.in_(customer_ids),
            Consent.opted_out_at.is_not(None)))).all() if at is not None}
    return _Outcomes(dict(marks.all()), set(read.all()), replies, purchases, resolved, opt_outs)
