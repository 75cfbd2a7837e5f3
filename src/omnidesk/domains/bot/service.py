"""Bot reads: settings, the intent model to use, the customer's history and VIP status."""

from __future__ import annotations

import asyncio
import csv
import io
import logging
import time
from functools import cache
from importlib import resources
from threading import Lock
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from omnidesk.channels.web.manifest import MANIFEST as WEB
from omnidesk.config import Settings
from omnidesk.core.context import system_actor
from omnidesk.domains.assist.service import build_profile, customer_standing
from omnidesk.domains.assist.service import is_vip as is_vip_customer
from omnidesk.domains.bot.opening import Opening, opening_for
from omnidesk.domains.bot.policy import BotSettings, bot_settings
from omnidesk.domains.bot.texts import say
from omnidesk.domains.conversations.models import Conversation, Message
from omnidesk.domains.customers.models import Customer
from omnidesk.domains.engagement.service import (
    get_active_contact_reason_model,
    predict_contact_reason,
)
from omnidesk.domains.inboxes.models import Inbox
from omnidesk.domains.inboxes.service import inbox_greeting
from omnidesk.domains.knowledge.service import warm_article_models
from omnidesk.domains.nlu.schemas import IntentModel
from omnidesk.domains.nlu.service import (
    active_model_workspaces,
    cached_intent_model,
    get_active_intent_model,
    understand_message,
)
from omnidesk.domains.workspaces.models import Workspace
from omnidesk.domains.workspaces.service import get_workspace

log = logging.getLogger(__name__)
HISTORY_MESSAGES = 20
WARM_UP_MESSAGES = ("주문 취소하고 싶어요", "Where is my order?", "배송비 얼마예요?")
_shipped: dict[str, IntentModel] = {}
_shipped_lock = Lock()


async def get_bot_settings(session: AsyncSession, *, workspace_id: int) -> BotSettings:
    """Return the workspace's bot settings with defaults filled in."""
    workspace = await get_workspace(session, workspace_id=workspace_id)
    return bot_settings(workspace.settings)


def _shipped_data() -> bytes:
    return resources.files("omnidesk.domains.bot").joinpath("data/intents.csv").read_bytes()


def shipped_training_rows() -> list[dict[str, str]]:
    """Return the labelled demo-store utterances shipped with omnidesk (ko + en)."""
    return list(csv.DictReader(io.StringIO(_shipped_data().decode("utf-8"))))


def _shipped_model() -> IntentModel:
    with _shipped_lock:  # once per process, whoever asks first; trained once per machine
        if "model" not in _shipped:
            _shipped["model"] = cached_intent_model(
                "shipped-intents", _shipped_data(), shipped_training_rows,
                # Settings(), not get_settings(): a preloading parent that warms up must not
                # leave its cached settings to the processes it forks with their own.
                cache_dir=Settings().cache_dir)
        return _shipped["model"]


def bot_greeting(workspace: Workspace, inbox: Inbox | None, lang: str) -> str:
    """Return the bot's greeting: the inbox's, else the workspace bot's, else the default
    (which says it is a bot and how to reach a person)."""
    settings = bot_settings(workspace.settings)
    return (inbox_greeting(inbox, lang) or settings.greeting.get(lang)
            or say("greeting", lang, tone=settings.tone, workspace=workspace.name))


def chat_window_greeting(workspace: Workspace, inbox: Inbox | None, lang: str) -> str | None:
    """Return the greeting the web chat window shows when the bot answers there (None when a
    person does): the window greets, so the bot's first reply does not greet again."""
    if not bot_settings(workspace.settings).serves(WEB.kind):
        return None
    return bot_greeting(workspace, inbox, lang)


async def build_opening(session: AsyncSession, *, workspace: Workspace, customer_id: int,
                        channel: str, lang: str) -> Opening | None:
    """Return the bot's opening question about the customer's predicted contact reason, if the
    bot serves the channel and the prediction is confident (see `bot.opening`)."""
    settings = bot_settings(workspace.settings)
    if not settings.serves(channel):
        return None
    guess = await predict_contact_reason(session, workspace_id=workspace.id,
                                         customer_id=customer_id)
    if guess is None:
        return None
    return opening_for(guess, lang=lang, tone=settings.tone, channel=channel)


def warm_up() -> float:
    """Load what the first bot reply needs (the shipped intent model, Korean morphology, the
    NLU pass) so the first customer does not wait for it; return the seconds it took."""
    started = time.perf_counter()
    model = _shipped_model()
    for text in WARM_UP_MESSAGES:
        understand_message(text, model=model)
    seconds = time.perf_counter() - started
    log.info("bot warmed up in %.1f s", seconds)
    return seconds


async def warm_up_workspaces(session_factory: async_sessionmaker[AsyncSession]) -> float:
    """Warm up (``warm_up``, in a thread), then load the active intent and contact-reason
    models of the workspaces with an intent model (once per stored version, see nlu.service
    and engagement), then fit the article relevance of the help centers edited last
    (``knowledge.service.warm_article_models``, about a second of CPU each, in a thread), so the
    first turn reads no model bytes and fits nothing; return the seconds it took.

    The relevance fit used to start after ``/readyz``: the first customer's turn then ran beside
    it (and, asking for the same model, fitted it a second time)."""
    started = time.perf_counter()
    await asyncio.to_thread(warm_up)
    async with session_factory() as session:
        for workspace_id in await active_model_workspaces(session):
            await get_active_intent_model(session, workspace_id=workspace_id)
            await get_active_contact_reason_model(session, workspace_id=workspace_id)
    await warm_article_models(session_factory)
    seconds = time.perf_counter() - started
    log.info("bot and workspace models warm in %.1f s", seconds)
    return seconds


def start_warm_up(session_factory: async_sessionmaker[AsyncSession] | None = None
                  ) -> asyncio.Task[float]:
    """Warm the bot up (CPU work in worker threads) while the process starts serving."""
    if session_factory is None:
        return asyncio.create_task(asyncio.to_thread(warm_up), name="bot-warm-up")
    return asyncio.create_task(warm_up_workspaces(session_factory), name="bot-warm-up")


async def workspace_intent_model(session: AsyncSession, *, workspace_id: int) -> IntentModel:
    """Return the workspace's active model, else the model of the shipped utterances."""
    model = await get_active_intent_model(session, workspace_id=workspace_id)
    return model if model is not None else await asyncio.to_thread(_shipped_model)


async def customer_history(session: AsyncSession, *, conv: Conversation,
                           before_id: int) -> list[str]:
    """Return the customer's earlier messages in the conversation, oldest first."""
    rows = await session.scalars(_history_statement(), {
        "workspace_id": conv.workspace_id, "conversation_id": conv.id, "before_id": before_id})
    return list(reversed(rows.all()))


@cache
def _history_statement() -> Any:
    """Build once the read of the customer's last public texts before a message (only the
    texts: every turn read the conversation's whole thread as messages to keep a few)."""
    return (select(Message.text)
            .where(Message.workspace_id == bindparam("workspace_id"),
                   Message.conversation_id == bindparam("conversation_id"),
                   Message.id < bindparam("before_id"), Message.author_kind == "customer",
                   Message.is_private.is_(False))
            .order_by(Message.id.desc()).limit(HISTORY_MESSAGES))


async def is_vip(session: AsyncSession, *, workspace_id: int, customer_id: int,
                 settings: BotSettings) -> bool:
    """Tell whether the customer is in a tier or segment the workspace serves by humans, or
    carries such a tag.

    It reads the customer's standing (``assist.service.customer_standing``: tier and segments,
    the rules the 360 profile shows) and tags, not the whole 360 profile (orders, past
    conversations, notes: about a dozen statements the decision never looked at). A merged
    record, whose conversations are still being moved to the one it was merged into, has no
    standing of its own and is judged by its profile as before.
    """
    row = (await session.execute(
        select(Customer.tags, Customer.merged_into_id)
        .where(Customer.id == customer_id, Customer.workspace_id == workspace_id))).first()
    if row is None or row.merged_into_id is not None:
        profile = await build_profile(session, actor=system_actor(workspace_id),
                                      customer_id=customer_id)  # or NotFound
        tier, segments, tags = profile.tier.key, [s.key for s in profile.segments], profile.tags
    else:
        tier, segments = await customer_standing(session, workspace_id=workspace_id,
                                                 customer_id=customer_id)
        tags = list(row.tags or [])
    return is_vip_customer(tier=tier, segments=segments, tags=tags, keys=settings.vip_tiers)
