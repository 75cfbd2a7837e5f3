"""Bot fixtures: a store with orders, the bot turned on, and a chat driven through the dispatcher.

Every test writes the customer's message with intake (`do_receive_inbound`), commits, drains the
real dispatcher with the real subscriber registry, and reads what the bot answered.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from omnidesk.app.subscribers import build_registry
from omnidesk.config import Settings
from omnidesk.core.dispatcher import Dispatcher, DispatcherConfig
from omnidesk.domains.bot.service import shipped_training_rows
from omnidesk.domains.commerce.models import Order, OrderItem, Product
from omnidesk.domains.conversations.actions import do_receive_inbound
from omnidesk.domains.conversations.models import Conversation, ConversationEvent, Message
from omnidesk.domains.conversations.schemas import InboundMessage
from omnidesk.domains.customers.models import Customer, CustomerIdentity
from omnidesk.domains.nlu.service import train_intent_model_from_rows
from omnidesk.domains.workspaces.actions import do_create_workspace
from omnidesk.domains.workspaces.models import Workspace
from omnidesk.domains.workspaces.schemas import WorkspaceCreate

ALWAYS_OPEN = {"timezone": "Asia/Seoul", "holidays": [],
               "weekly": {d: [["00:00", "24:00"]] for d in
                          ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}}
PHONE, EMAIL = "010-2345-6789", "minji.kim@example.com"
PENDING, DELIVERED, PROCESSED, CANCELLED = ("HB2026111900123", "HB2026111000456",
                                            "HB2026111500789", "HB2026110100321")
DELIVERED_DAYS_AGO = 3  # inside the demo policy's 7-day change-of-mind window
_trained: dict[str, bytes] = {}


def shipped_model_bytes() -> bytes:
    """Train the shipped demo-store model once per test session."""
    if "model" not in _trained:
        _trained["model"] = train_intent_model_from_rows(shipped_training_rows()).to_bytes()
    return _trained["model"]


@dataclass
class Store:
    """The test workspace's store: its id, slug and the customer who owns the orders."""

    workspace_id: int
    slug: str
    customer_id: int


def _order(ws_id: int, customer_id: int, number: str, status: str, payments: list) -> Order:
    items = [OrderItem(workspace_id=ws_id, name="무선 청소기", product_external_id="P-VAC",
                       item_external_id=f"{number}-1", price=Decimal(390000), quantity=1)]
    if status == "delivered":
        items.append(OrderItem(workspace_id=ws_id, name="필터 세트", product_external_id="P-FIL",
                               item_external_id=f"{number}-2", price=Decimal(30000),
                               quantity=1))
    delivered = dt.datetime.now(dt.UTC) - dt.timedelta(days=DELIVERED_DAYS_AGO)
    return Order(workspace_id=ws_id, external_id=number, customer_id=customer_id, status=status,
                 total=sum(i.price for i in items), currency="KRW", items=items,
                 address={"address1": "서울시 마포구 양화로 45", "zip": "04036"},
                 payments=payments, placed_at=dt.datetime(2026, 11, 19, 10, tzinfo=dt.UTC),
                 fulfillments=[{"type": "shipment",
                                "shipped_at": (delivered - dt.timedelta(days=1)).isoformat()},
                               {"type": "delivery", "delivered_at": delivered.isoformat()}]
                 if status == "delivered" else [])


async def make_store(session: AsyncSession, workspace_id: int, *, bot: dict | None = None,
                     hours: dict | None = None) -> Store:
    """Turn the bot on and create a customer with four orders."""
    ws = await session.get(Workspace, workspace_id)
    assert ws is not None
    ws.settings = {**(ws.settings or {}), "bot": {"enabled": True, "handoff_vip": False,
                                                  "support_email": "help@acme.example",
                                                  **(bot or {})}}
    ws.business_hours = hours or ALWAYS_OPEN
    customer = Customer(workspace_id=workspace_id, name="김민지", email=EMAIL, phone=PHONE,
                        locale="ko", attributes={"points": 12500}, identities=[
                            CustomerIdentity(workspace_id=workspace_id, kind="user_id",
                                             value="u-minji", verified=True),
                            CustomerIdentity(workspace_id=workspace_id, kind="email",
                                             value=EMAIL, verified=True)])
    session.add(customer)
    await session.flush()
    card = [{"method": "card", "transaction_type": "payment"}]
    session.add_all([
        _order(workspace_id, customer.id, PENDING, "pending", card),
        _order(workspace_id, customer.id, DELIVERED, "delivered", card),
        _order(workspace_id, customer.id, PROCESSED, "processed", card),
        _order(workspace_id, customer.id, CANCELLED, "cancelled",
               [{"method": "kakaopay", "transaction_type": "payment"},
                {"transaction_type": "refund", "amount": "390000"}]),
    ])
    await session.commit()
    return Store(workspace_id, ws.slug, customer.id)


@dataclass
class Chat:
    """One customer talking to the bot through intake and the real dispatcher."""

    session_factory: async_sessionmaker[AsyncSession]
    workspace_id: int
    identity: tuple[str, str, bool]
    channel: str = "web"
    settings: Settings | None = None
    conversation_id: int | None = None
    inbox_id: int | None = None
    transcript: list[str] = field(default_factory=list)
    _sent: int = 0
    _dispatcher: tuple[Settings | None, Dispatcher] | None = field(default=None, repr=False)

    async def say(self, text: str) -> str:
        """Send a customer message, run the dispatcher, return the bot's reply ('' if none)."""
        kind, value, verified = self.identity
        self._sent += 1
        async with self.session_factory() as session:
            msg = await do_receive_inbound(session, workspace_id=self.workspace_id,
                                           inbound=InboundMessage(
                                               channel=self.channel, identity_kind=kind,
                                               identity_value=value, identity_verified=verified,
                                               provider_message_id=f"{value}-{self._sent}",
                                               text=text, inbox_id=self.inbox_id))
            await session.commit()
            self.conversation_id, after = msg.conversation_id, msg.id
        await self.drain()
        replies = await self.bot_messages(after_id=after)
        reply = "\n".join(m.text for m in replies)
        self.transcript += [f"customer: {text}"] + ([f"bot: {reply}"] if replies else [])
        return reply

    async def drain(self) -> None:
        """Deliver every pending event with the application's subscribers.

        One dispatcher serves the whole chat, as one serves a running app: it remembers when
        each schedule is due, so a turn does not check every schedule again (a fresh dispatcher
        per turn asked the database about all of them each time).
        """
        if self._dispatcher is None or self._dispatcher[0] is not self.settings:  # new settings
            registry = build_registry(self.settings or Settings(database_url="sqlite://"))
            self._dispatcher = (self.settings, Dispatcher(
                self.session_factory, registry, DispatcherConfig(backoff_base_seconds=0)))
        await self._dispatcher[1].drain()

    async def bot_messages(self, *, after_id: int = 0, private: bool = False) -> list[Message]:
        """Return the bot's messages after an id (public ones unless private=True)."""
        async with self.session_factory() as session:
            rows = await session.scalars(select(Message).where(
                Message.conversation_id == self.conversation_id, Message.id > after_id,
                Message.author_kind == "bot", Message.is_private.is_(private))
                .order_by(Message.id))
            return list(rows.all())

    async def conversation(self) -> Conversation:
        """Return the conversation as stored now."""
        async with self.session_factory() as session:
            conv = await session.get(Conversation, self.conversation_id)
            assert conv is not None
            return conv

    async def events(self, kind: str) -> list[ConversationEvent]:
        """Return the conversation's log entries of one kind."""
        async with self.session_factory() as session:
            rows = await session.scalars(select(ConversationEvent).where(
                ConversationEvent.conversation_id == self.conversation_id,
                ConversationEvent.kind == kind).order_by(ConversationEvent.id))
            return list(rows.all())


@pytest.fixture
async def store(session: AsyncSession) -> Store:
    """A workspace with the bot on (shipped intent model) and a customer with orders."""
    ws = await do_create_workspace(session, workspace_in=WorkspaceCreate(slug="acme", name="Acme"))
    return await make_store(session, ws.id)


@pytest.fixture
def signed_in(session_factory, store: Store) -> Chat:
    """A signed-in widget visitor (verified user_id) who owns the orders."""
    return Chat(session_factory, store.workspace_id, ("user_id", "u-minji", True))


@pytest.fixture
def visitor(session_factory, store: Store) -> Chat:
    """An anonymous widget visitor who must verify with order number and phone or email."""
    return Chat(session_factory, store.workspace_id, ("web_visitor", "v-anon-1", False))


async def window_greeting(session_factory, workspace_id: int, lang: str) -> str | None:
    """Return the greeting the web chat window shows (the bot's, when the bot answers there)."""
    from omnidesk.domains.bot.service import chat_window_greeting
    from omnidesk.domains.inboxes.service import website_inbox

    async with session_factory() as session:
        ws = await session.get(Workspace, workspace_id)
        inbox = await website_inbox(session, workspace_id=workspace_id)
        return chat_window_greeting(ws, inbox, lang)


async def order_status(session_factory, workspace_id: int, number: str) -> str:
    """Return an order's status as stored now."""
    async with session_factory() as session:
        order = await session.scalar(select(Order).where(Order.workspace_id == workspace_id,
                                                         Order.external_id == number))
        assert order is not None
        return order.status


async def add_product(session_factory, workspace_id: int, external_id: str, name: str,
                      variants: dict[str, dict]) -> None:
    """Put a product with variants (tau-bench shape, keyed by item id) in the catalogue."""
    async with session_factory() as session:
        session.add(Product(workspace_id=workspace_id, external_id=external_id, name=name,
                            price=min(Decimal(str(v["price"])) for v in variants.values()),
                            attributes={"variants": {k: {"item_id": k, **v}
                                                     for k, v in variants.items()}}))
        await session.commit()


async def get_order(session_factory, workspace_id: int, number: str) -> Order:
    """Return an order as stored now."""
    async with session_factory() as session:
        order = await session.scalar(select(Order).where(Order.workspace_id == workspace_id,
                                                         Order.external_id == number))
        assert order is not None
        return order
