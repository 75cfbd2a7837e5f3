"""The demo workspace: a consented demo shopper's idle cart brings one widget message by day,
none at 22:00, and the demo's campaigns and consents are there to see."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from omnidesk.domains.conversations.models import Conversation, Message
from omnidesk.domains.customers.models import Customer, CustomerIdentity
from omnidesk.domains.engagement.behaviour_actions import do_record_behaviour
from omnidesk.domains.engagement.models import Campaign, CampaignSend, Consent
from omnidesk.domains.engagement.tasks import do_scan_idle_carts
from tests.demo_cache import loaded_demo
from tests.domains.engagement.test_campaigns import AFTERNOON, NIGHT


async def test_a_demo_shopper_with_an_idle_cart_gets_one_message_and_none_at_night(
        session: AsyncSession, session_factory: async_sessionmaker[AsyncSession]) -> None:
    ws = (await loaded_demo(session, "extras")).report.workspace_id
    assert await session.scalar(select(func.count(Campaign.id)).where(
        Campaign.workspace_id == ws)) == 4
    consented = select(Consent.customer_id).where(Consent.workspace_id == ws,
                                                  Consent.marketing.is_(True))
    day, night = (await session.scalars(
        select(Customer.id).join(CustomerIdentity).where(
            Customer.workspace_id == ws, Customer.id.in_(consented),
            CustomerIdentity.kind == "user_id").order_by(Customer.id).limit(2))).all()
    for customer_id, at in ((day, AFTERNOON), (night, NIGHT)):
        await do_record_behaviour(session, workspace_id=ws, customer_id=customer_id,
                                  kind="cart", source="server", occurred_at=at,
                                  properties={"value": 2399000, "items": 1})
    await session.commit()
    for at in (AFTERNOON, NIGHT):
        for _ in range(2):  # a second pass (another process) changes nothing
            async with session_factory() as scan:
                await do_scan_idle_carts(scan, now=at + dt.timedelta(minutes=21))
                await scan.commit()

    sends = {s.customer_id: s for s in (await session.scalars(select(CampaignSend))).all()}
    assert (sends[day].status, sends[night].status, sends[night].reason) == (
        "sent", "suppressed", "quiet_hours")
    assert sends[night].message_id is None and len(sends) == 2
    message = await session.get(Message, sends[day].message_id)
    assert message.author_kind == "bot" and message.text.startswith("(광고)")
    assert "2,399,000원" in message.text
    conv = await session.get(Conversation, message.conversation_id)
    assert conv.customer_id == day
