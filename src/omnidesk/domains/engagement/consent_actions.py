"""Consent writes: record marketing consent per channel, honour opt-out words on every channel.

A customer who writes one of the opt-out words (수신거부, STOP…) on any channel is
opted out of marketing on that channel at once, the conversation's timeline says so, and the
customer gets a confirmation (정보통신망법 제50조 ⑥: tell them the withdrawal was processed).
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.channels.manifests import BY_KIND
from omnidesk.core.context import Actor
from omnidesk.core.db import utcnow
from omnidesk.core.errors import InvalidInput
from omnidesk.core.events import emit
from omnidesk.domains.conversations.actions import do_add_message, log_event
from omnidesk.domains.conversations.service import access_customer, get_conversation
from omnidesk.domains.engagement.campaign_service import list_consents
from omnidesk.domains.engagement.events import ConsentChanged
from omnidesk.domains.engagement.models import ANY_CHANNEL, Consent
from omnidesk.domains.engagement.schemas import OPT_OUT_KEYWORDS, ConsentUpdate

CONFIRMATION = {"ko": "광고성 정보 수신거부가 처리되었습니다. ({date}) 주문·배송 등 거래 안내는 계속 보내드립니다.",
                "en": "You will no longer get marketing messages here (opted out {date}). "
                      "Order and delivery notices still come."}


async def do_set_consent(session: AsyncSession, *, workspace_id: int, customer_id: int,
                         channel: str, marketing: bool, night: bool, source: str) -> Consent:
    """Record a customer's consent on a channel; withdrawing it stamps the opt-out time."""
    rows = {c.channel: c for c in await list_consents(session, workspace_id=workspace_id,
                                                      customer_id=customer_id)}
    row = rows.get(channel)
    if row is None:
        row = Consent(workspace_id=workspace_id, customer_id=customer_id, channel=channel)
        session.add(row)
    row.marketing, row.night, row.source = marketing, night and marketing, source
    row.opted_out_at = None if marketing else utcnow()
    row.updated_at = utcnow()
    await session.flush()
    emit(session, ConsentChanged(customer_id=customer_id, channel=channel, marketing=marketing,
                                 night=row.night, source=source), workspace_id=workspace_id)
    return row


async def check_set_consent(session: AsyncSession, *, actor: Actor, customer_id: int,
                            consent_in: ConsentUpdate) -> Consent:
    """Record consent a customer gave or withdrew (staff, or the shop's sign-up form)."""
    await access_customer(session, actor=actor, customer_id=customer_id)
    if consent_in.channel != ANY_CHANNEL and consent_in.channel not in BY_KIND:
        raise InvalidInput(f"unknown channel {consent_in.channel!r}; use a channel kind or "
                           f"{ANY_CHANNEL!r}", field="channel")
    return await do_set_consent(session, workspace_id=actor.workspace_id,
                                customer_id=customer_id, channel=consent_in.channel,
                                marketing=consent_in.marketing, night=consent_in.night,
                                source=consent_in.source)


def is_opt_out(text: str) -> bool:
    """Tell whether a message is an opt-out word (case, spaces and punctuation aside)."""
    said = "".join(ch for ch in text[:40].upper() if ch.isalnum())
    return said in OPT_OUT_KEYWORDS


async def do_honour_opt_out(session: AsyncSession, *, workspace_id: int, conversation_id: int,
                            customer_id: int, channel: str, text: str) -> bool:
    """Opt the customer out of marketing on the channel if the message is an opt-out word."""
    if not is_opt_out(text):
        return False
    await do_set_consent(session, workspace_id=workspace_id, customer_id=customer_id,
                         channel=channel, marketing=False, night=False, source="keyword")
    conv = await get_conversation(session, workspace_id=workspace_id,
                                  conversation_id=conversation_id)
    log_event(session, conv, "opted_out", actor_kind="customer", data={"channel": channel})
    locale = "en" if (conv.language or "ko") == "en" else "ko"
    await do_add_message(session, conv=conv, author_kind="bot", channel=channel,
                         text=CONFIRMATION[locale].format(date=utcnow().date().isoformat()),
                         meta={"opt_out_confirmation": True})
    return True
