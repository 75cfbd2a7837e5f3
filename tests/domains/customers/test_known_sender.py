"""A known sender's message: intake stamps the customer seen and fills only empty contact fields."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from omnidesk.domains.conversations.actions import do_receive_inbound
from omnidesk.domains.conversations.schemas import InboundMessage
from omnidesk.domains.customers.models import Customer
from omnidesk.domains.customers.service import find_by_identity
from tests.conftest import Persona


def line(n: int, **contact: str | None) -> InboundMessage:
    return InboundMessage(channel="line", identity_kind="line", identity_value="U-known",
                          provider_message_id=f"m{n}", text="문의드려요", **contact)


async def receive(factory: async_sessionmaker[AsyncSession], owner: Persona,
                  inbound: InboundMessage) -> None:
    async with factory() as session:
        await do_receive_inbound(session, workspace_id=owner.workspace_id, inbound=inbound)
        await session.commit()


async def stored(factory: async_sessionmaker[AsyncSession], owner: Persona) -> Customer:
    async with factory() as session:
        customer = await find_by_identity(session, workspace_id=owner.workspace_id, kind="line",
                                          value="U-known")
        assert customer is not None
        return customer


async def test_a_known_senders_details_fill_empty_fields_and_never_overwrite(
    session_factory: async_sessionmaker[AsyncSession], owner: Persona
) -> None:
    await receive(session_factory, owner, line(1))
    first = await stored(session_factory, owner)
    assert (first.name, first.email, first.phone) == (None, None, None)
    async with session_factory() as session:  # an empty name counts as none
        (await session.get(Customer, first.id)).name = ""  # type: ignore[union-attr]
        await session.commit()

    await receive(session_factory, owner, line(2, customer_name="김민지",
                                               customer_email="minji@example.org"))
    second = await stored(session_factory, owner)
    assert (second.name, second.email, second.phone) == ("김민지", "minji@example.org", None)
    assert second.last_seen_at is not None and second.last_seen_at > first.last_seen_at

    await receive(session_factory, owner, line(3, customer_name="Someone Else",
                                               customer_email="other@example.org",
                                               customer_phone="+821012345678"))
    third = await stored(session_factory, owner)
    assert (third.name, third.email, third.phone) == ("김민지", "minji@example.org",
                                                      "+821012345678")
    assert third.last_seen_at is not None and third.last_seen_at > second.last_seen_at


async def test_a_copy_of_the_customer_loaded_in_the_session_sees_the_update(
    session: AsyncSession, owner: Persona
) -> None:
    await do_receive_inbound(session, workspace_id=owner.workspace_id, inbound=line(1))
    await session.commit()
    loaded = await find_by_identity(session, workspace_id=owner.workspace_id, kind="line",
                                    value="U-known")
    assert loaded is not None and loaded.name is None
    seen = loaded.last_seen_at
    assert seen is not None

    await do_receive_inbound(session, workspace_id=owner.workspace_id,
                             inbound=line(2, customer_name="김민지"))
    assert loaded.name == "김민지"
    assert loaded.last_seen_at is not None and loaded.last_seen_at > seen
    await session.commit()
    await session.refresh(loaded)
    assert loaded.name == "김민지"
