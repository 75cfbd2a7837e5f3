"""The explicit list of event subscribers, built once at start-up and validated.

Each domain contributes handlers through a `register(registry)` function; nothing registers
itself at import time.
"""

from __future__ import annotations

from omnidesk.ai_providers.llm import ChatCompletionsClient
from omnidesk.app.catalogue import load_catalogue
from omnidesk.channels.crypto import SettingsCipher
from omnidesk.channels.registry import build_registry as build_adapters
from omnidesk.channels.tasks import ChannelJobs
from omnidesk.config import Settings, get_settings
from omnidesk.core.events import SubscriberRegistry
from omnidesk.domains.analytics import subscribers as analytics_subscribers
from omnidesk.domains.automation import subscribers as automation_subscribers
from omnidesk.domains.bot import subscribers as bot_subscribers
from omnidesk.domains.bot.engine import BotDeps
from omnidesk.domains.commerce import tasks as commerce_tasks
from omnidesk.domains.commerce.connector import connector_for
from omnidesk.domains.conversations import tasks as conversation_tasks
from omnidesk.domains.engagement import tasks as engagement_tasks
from omnidesk.domains.feedback.tasks import FeedbackJobs
from omnidesk.domains.knowledge import tasks as knowledge_tasks
from omnidesk.domains.retention.tasks import RetentionJob
from omnidesk.domains.routing import subscribers as routing_subscribers
from omnidesk.domains.routing import tasks as routing_tasks
from omnidesk.domains.routing.assignment import sync as routing_sync
from omnidesk.domains.search import tasks as search_tasks
from omnidesk.realtime import fanout


def build_registry(settings: Settings | None = None) -> SubscriberRegistry:
    """Create the registry with every domain's and channel's subscribers."""
    settings = settings or get_settings()
    registry = SubscriberRegistry()
    ChannelJobs(build_adapters(), SettingsCipher(settings.effective_secret_key),
                max_delivery_attempts=settings.outbox_max_attempts,
                imap_poll_seconds=settings.imap_poll_seconds, upload_dir=settings.upload_dir,
                max_media_bytes=settings.max_upload_bytes).register(registry)
    fanout.register(registry)
    routing_subscribers.register(registry)
    routing_sync.register(registry)
    routing_tasks.register(registry)
    conversation_tasks.register(registry)
    engagement_tasks.register(registry)
    commerce_tasks.register(registry)
    automation_subscribers.register(registry, list(load_catalogue().values()))
    search_tasks.register(registry)
    knowledge_tasks.register(registry)
    RetentionJob(settings.upload_dir).register(registry)
    FeedbackJobs(public_url=settings.public_url).register(registry)  # a digit reply is a score
    # Deliveries of one event run in this order: the bot answers before the reports' fold (which
    # costs the first message after start-up ~0.6 s), so the customer does not wait for it.
    bot_subscribers.register(registry, BotDeps(
        connector_for=connector_for, llm=build_llm_client(settings),
        public_url=settings.public_url))
    analytics_subscribers.register(registry)
    return registry


def build_llm_client(settings: Settings) -> ChatCompletionsClient | None:
    """Return the configured OpenAI-compatible client, or None when no endpoint is set."""
    if not settings.llm_base_url:
        return None
    return ChatCompletionsClient(settings.llm_base_url, settings.llm_model,
                                 settings.effective_llm_api_key,
                                 timeout=settings.llm_timeout_seconds)
