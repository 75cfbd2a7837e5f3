"""Assist reads: canned responses, segments, recognition and the assembled assist panel."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.core.context import Actor
from omnidesk.core.errors import NotFound
from omnidesk.domains.agents.service import get_user
from omnidesk.domains.assist import recognition, suggestions
from omnidesk.domains.assist.customer360 import build_profile, profile_for_locale
from omnidesk.domains.assist.drafting import ChatClient, draft_reply
from omnidesk.domains.assist.facts import (  # facts_*: routing reads them in its own statement
    facts_of_row,
    facts_params,
    facts_query,
    gather_facts,
)
from omnidesk.domains.assist.labels import intent_label, intent_named
from omnidesk.domains.assist.models import CannedResponse
from omnidesk.domains.assist.next_action import next_actions
from omnidesk.domains.assist.schemas import (
    DEFAULT_VIP_KEYS,
    AssistRead,
    CannedChoice,
    CustomerProfile,
    NamedRead,
    RecognitionTemplate,
)
from omnidesk.domains.assist.segments import (
    CustomerFacts,
    Segment,
    segments_for,
    segments_from_settings,
)
from omnidesk.domains.assist.summary import summarize
from omnidesk.domains.assist.tiers import Tier, tiers_from_settings
from omnidesk.domains.assist.warnings import check_draft
from omnidesk.domains.conversations.models import Conversation, Message
from omnidesk.domains.conversations.service import access_conversation, list_messages
from omnidesk.domains.customers.models import Customer
from omnidesk.domains.customers.service import get_customer
from omnidesk.domains.workspaces.service import get_workspace

log = logging.getLogger(__name__)
# Segment, Tier, *_from_settings: routing parses a workspace's settings once per version of them
__all__ = ["CustomerFacts", "Segment", "Tier", "build_assist", "build_profile", "canned_choices",
           "customer_segments", "facts_of_row", "facts_params", "facts_query", "intent_label",
           "intent_named", "list_canned_responses", "recognition_messages",
           "segments_from_settings", "tiers_from_settings"]
RESOLVED_POOL = 300


async def list_canned_responses(session: AsyncSession, *, actor: Actor) -> list[CannedResponse]:
    """List the canned responses the actor may use: workspace, their teams' and their own."""
    team_ids: list[int] = []
    if actor.user_id is not None:
        user = await get_user(session, workspace_id=actor.workspace_id, user_id=actor.user_id)
        team_ids = [m.team_id for m in user.memberships]
    rows = await session.scalars(
        select(CannedResponse).where(
            CannedResponse.workspace_id == actor.workspace_id,
            or_(CannedResponse.scope == "workspace",
                (CannedResponse.scope == "team") & CannedResponse.team_id.in_(team_ids),
                (CannedResponse.scope == "personal") & (CannedResponse.owner_id == actor.user_id)))
        .order_by(CannedResponse.position, CannedResponse.shortcut, CannedResponse.id))
    return list(rows.all())


async def access_canned_response(session: AsyncSession, *, actor: Actor,
                                 canned_id: int) -> CannedResponse:
    """Fetch a canned response the actor may use, or raise NotFound."""
    for row in await list_canned_responses(session, actor=actor):
        if row.id == canned_id:
            return row
    raise NotFound("canned response not found")


async def resolved_threads(session: AsyncSession, *, workspace_id: int,
                           exclude_id: int | None) -> dict[int, suggestions.Thread]:
    """Return recent resolved conversations' public messages and whose they were, in two queries."""
    stmt: Select[int, str | None, dict[str, Any], str | None] = (
        select(Conversation.id, Customer.name, Conversation.attributes, Conversation.language)
        .join(Customer, Customer.id == Conversation.customer_id)
        .where(Conversation.workspace_id == workspace_id, Conversation.status == "resolved")
        .order_by(Conversation.id.desc()).limit(RESOLVED_POOL))
    heads = (await session.execute(stmt)).all()
    threads = {conv_id: suggestions.Thread(customer_name=name, language=language,
                                           order_number=(attributes or {}).get("order_number"))
               for conv_id, name, attributes, language in heads if conv_id != exclude_id}
    if not threads:
        return threads
    rows = await session.execute(
        select(Message.conversation_id, Message.author_kind, Message.text)
        .where(Message.workspace_id == workspace_id, Message.conversation_id.in_(threads),
               Message.is_private.is_(False)).order_by(Message.id))
    for conv_id, kind, text in rows:
        threads[conv_id].messages.append((kind, text))
    return threads


async def search_articles(session: AsyncSession, *, workspace_id: int, query: str,
                          locale: str) -> list[Any]:
    """Search the knowledge base when that domain is installed; otherwise return nothing."""
    try:
        from omnidesk.domains.knowledge import service as knowledge
    except ImportError:
        return []
    search = getattr(knowledge, "search", None)
    if search is None or not query.strip():
        return []
    try:
        return list(await search(session, workspace_id=workspace_id, query=query, locale=locale,
                                 limit=3))
    except Exception as exc:  # noqa: BLE001 - articles are optional for the panel
        log.warning("knowledge search failed: %s", type(exc).__name__)
        return []


async def customer_segments(session: AsyncSession, *, workspace_id: int, customer_id: int,
                            locale: str = "ko") -> list[NamedRead]:
    """Return the segments a customer belongs to (for routing, the bot and campaigns)."""
    await get_customer(session, workspace_id=workspace_id, customer_id=customer_id)  # or 404
    workspace = await get_workspace(session, workspace_id=workspace_id)
    settings = workspace.settings or {}
    facts = await gather_facts(session, workspace_id=workspace_id, settings=settings,
                               customer_ids={customer_id})
    if customer_id not in facts:
        return []
    return [NamedRead(key=s.key, name=s.name(locale), description=s.describe(locale))
            for s in segments_for(facts[customer_id], segments_from_settings(settings))]


def vip_keys(workspace_settings: dict[str, Any] | None) -> list[str]:
    """Return the tier, segment or tag keys that make a customer a VIP in this workspace.

    They are set in the bot's settings ("VIP tiers", stored under ``bot.vip_tiers`` with the
    rest of that form); "vip" when never set, none when set empty."""
    configured = ((workspace_settings or {}).get("bot") or {}).get("vip_tiers")
    return [str(key) for key in configured] if isinstance(configured, list) else list(
        DEFAULT_VIP_KEYS)


def is_vip(*, tier: str | None, segments: Iterable[str], tags: Iterable[Any],
           keys: Iterable[str]) -> bool:
    """The one VIP rule (routing's VIP flag and priority, the bot's hand-off of VIPs): the
    customer's computed tier, one of their segments or one of their tags is a VIP key (case and
    surrounding spaces aside; a blank key names nobody)."""
    wanted = {str(key).strip().lower() for key in keys} - {""}
    held = {(tier or "").lower(), *(s.lower() for s in segments), *(str(t).lower() for t in tags)}
    return bool(held & wanted)


async def customer_standing(session: AsyncSession, *, workspace_id: int, customer_id: int,
                            settings: dict[str, Any] | None = None) -> tuple[str, list[str]]:
    """Return a customer's tier key and segment keys (automation conditions, campaigns, routing).

    ``settings``: the workspace's, when the caller has read them in this transaction (else
    they are read here)."""
    if settings is None:
        settings = (await get_workspace(session, workspace_id=workspace_id)).settings or {}
    facts = await gather_facts(session, workspace_id=workspace_id, settings=settings,
                               customer_ids={customer_id})
    return standing_of(facts.get(customer_id), settings)


def standing_of(facts: CustomerFacts | None, settings: dict[str, Any], *,
                segments: list[Segment] | None = None) -> tuple[str, list[str]]:
    """Return the tier key and segment keys of a customer's facts (``customer_standing``; routing
    reads the facts within its own statement: ``facts.facts_query``); None: ("", []).
    ``segments``: the settings' segments (``segments_from_settings``) when the caller has them."""
    if facts is None:
        return "", []
    if segments is None:
        segments = segments_from_settings(settings)
    return facts.tier, [s.key for s in segments_for(facts, segments)]


async def recognition_messages(session: AsyncSession, *, actor: Actor, conversation_id: int,
                               locale: str | None = None) -> tuple[str | None, str | None]:
    """Return the personalised (greeting, closing) for a conversation (also used by the bot)."""
    conv = await access_conversation(session, actor=actor, conversation_id=conversation_id)
    profile = await build_profile(session, actor=actor, customer_id=conv.customer_id,
                                  conversation_id=conv.id, locale=locale or conv.language)
    workspace = await get_workspace(session, workspace_id=actor.workspace_id)
    settings = workspace.settings or {}
    today = recognition.local_today(workspace.timezone)
    return (recognition.pick_message("greeting", profile, workspace.name, settings, today),
            recognition.pick_message("closing", profile, workspace.name, settings, today))


@dataclass
class RecognitionPreview:
    """Templates tried on one customer: each line or why not, and which one they would get."""

    locale: str  # the customer's language: only its templates can be offered
    tried: dict[str, list[recognition.TemplatePreview]]
    chosen: dict[str, int | None]  # per kind, the index of the template offered


async def preview_recognition(
    session: AsyncSession, *, actor: Actor, customer_id: int,
    templates: dict[str, list[RecognitionTemplate]],
) -> RecognitionPreview:
    """Try unsaved greeting and closing templates on a real customer (personal data masked)."""
    profile = await build_profile(session, actor=actor, customer_id=customer_id)
    workspace = await get_workspace(session, workspace_id=actor.workspace_id)
    settings, today = workspace.settings or {}, recognition.local_today(workspace.timezone)
    views = {lang: profile_for_locale(profile, lang, settings) for lang in ("ko", "en")}
    variables = {lang: recognition.profile_variables(view, workspace.name, settings)
                 for lang, view in views.items()}
    tried: dict[str, list[recognition.TemplatePreview]] = {}
    chosen: dict[str, int | None] = {}
    for kind, items in templates.items():
        tried[kind] = [recognition.try_template(t.when, t.text, views[t.locale],
                                                variables[t.locale], today) for t in items]
        chosen[kind] = next((i for i, (t, p) in enumerate(zip(items, tried[kind], strict=True))
                             if t.locale == profile.locale and p.applies), None)
    return RecognitionPreview(profile.locale, tried, chosen)


def _reply_locale(conv: Conversation, profile: CustomerProfile) -> str:
    """Return the customer's language: the conversation's, else the customer's own."""
    lang = conv.language or profile.locale
    return "ko" if lang.startswith("ko") else "en"


def _reply_variables(conv: Conversation, customer_view: CustomerProfile, workspace_name: str,
                     settings: dict[str, Any], reply_lang: str) -> dict[str, str]:
    """Return the values a reply template may use in this conversation, in the reply language.

    The recognition variables (tier, order, …), the order this conversation is about before the
    latest open one, and the customer's name (staff see it in clear: `customers.contact`).
    """
    variables = recognition.template_variables(
        customer_view, recognition.display_name(workspace_name, settings, reply_lang))
    order_number = (conv.attributes or {}).get("order_number")
    if order_number:
        variables["order_number"] = str(order_number)
    if customer_view.contact.name:
        variables["customer_name"] = customer_view.contact.name
    return variables


async def canned_choices(session: AsyncSession, *, actor: Actor,
                         conversation_id: int) -> list[CannedChoice]:
    """Offer the composer's picker the actor's canned responses filled for a conversation.

    Replies in the customer's language (or without one) come in picker order; each says which
    `{variables}` this conversation cannot fill, so the picker can refuse to insert it.
    """
    conv = await access_conversation(session, actor=actor, conversation_id=conversation_id)
    workspace = await get_workspace(session, workspace_id=actor.workspace_id)
    settings = workspace.settings or {}
    profile = await build_profile(session, actor=actor, customer_id=conv.customer_id,
                                  conversation_id=conv.id, locale=conv.language)
    reply_lang = _reply_locale(conv, profile)
    variables = _reply_variables(conv, profile_for_locale(profile, reply_lang, settings),
                                 workspace.name, settings, reply_lang)
    return [CannedChoice(id=r.id, shortcut=r.shortcut, title=r.title, locale=r.locale,
                         scope=r.scope, text=suggestions.fill_variables(r.body, variables),
                         missing=sorted({name for name in suggestions.VARIABLE.findall(r.body)
                                         if name not in variables}))
            for r in await list_canned_responses(session, actor=actor)
            if r.locale in (None, reply_lang)]


async def _candidates(session: AsyncSession, *, actor: Actor, conv: Conversation,
                      reply_lang: str, variables: dict[str, str]) -> list[suggestions.Candidate]:
    """Collect canned responses and past replies in the customer's language."""
    canned = [r for r in await list_canned_responses(session, actor=actor)
              if r.locale in (None, reply_lang)]
    threads = await resolved_threads(session, workspace_id=actor.workspace_id,
                                     exclude_id=conv.id)
    same_language = {i: t for i, t in threads.items() if t.language in (None, reply_lang)}
    return (suggestions.canned_candidates(canned, variables)
            + suggestions.conversation_candidates(same_language, variables))


async def build_assist(
    session: AsyncSession, *, actor: Actor, conversation_id: int, draft: str | None = None,
    locale: str | None = None, llm: ChatClient | None = None,
) -> tuple[AssistRead, CustomerProfile]:
    """Assemble the assist panel: labels in the agent's locale, replies in the customer's."""
    conv = await access_conversation(session, actor=actor, conversation_id=conversation_id)
    workspace = await get_workspace(session, workspace_id=actor.workspace_id)
    settings = workspace.settings or {}
    profile = await build_profile(session, actor=actor, customer_id=conv.customer_id,
                                  conversation_id=conv.id, locale=locale or conv.language)
    lang, reply_lang = profile.locale, _reply_locale(conv, profile)
    customer_view = profile_for_locale(profile, reply_lang, settings)
    rows = await list_messages(session, workspace_id=actor.workspace_id,
                               conversation_id=conv.id, include_private=False)
    messages = [(m.author_kind, m.text) for m in rows]
    query = (draft or "").strip() or " ".join(t for k, t in messages if k == "customer")[-600:]
    order_number = (conv.attributes or {}).get("order_number")
    variables = _reply_variables(conv, customer_view, workspace.name, settings, reply_lang)
    ranked = suggestions.rank(query, await _candidates(
        session, actor=actor, conv=conv, reply_lang=reply_lang, variables=variables))
    articles = suggestions.article_suggestions(await search_articles(
        session, workspace_id=actor.workspace_id, query=query, locale=reply_lang))
    assist = AssistRead(
        locale=lang, reply_locale=reply_lang, greeted=any(k == "agent" for k, _ in messages),
        greeting=recognition.pick_message("greeting", customer_view, workspace.name, settings,
                                          recognition.local_today(workspace.timezone)),
        closing=recognition.pick_message("closing", customer_view, workspace.name, settings,
                                         recognition.local_today(workspace.timezone)),
        suggestions=ranked, articles=articles,
        next_actions=next_actions(profile, intent=conv.intent, order_number=order_number),
        warnings=check_draft(draft or "", locale=lang),
        summary=summarize(messages, intent=conv.intent, status=conv.status, profile=profile,
                          order_number=order_number, locale=lang),
        draft=await draft_reply(llm, messages, ranked + articles, customer_view, reply_lang))
    return assist, profile


async def conversation_summary(session: AsyncSession, *, actor: Actor, conversation_id: int,
                               locale: str) -> list[str]:
    """Return the few lines a colleague taking over reads first (request, words, state)."""
    conv = await access_conversation(session, actor=actor, conversation_id=conversation_id)
    rows = await list_messages(session, workspace_id=actor.workspace_id,
                               conversation_id=conv.id, include_private=False)
    return summarize([(m.author_kind, m.text) for m in rows], intent=conv.intent,
                     status=conv.status, profile=None,
                     order_number=(conv.attributes or {}).get("order_number"), locale=locale)
