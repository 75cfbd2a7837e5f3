"""Search reads: conversations by their messages' words (Korean morphemes) and customers by
name, email, phone, identity or order number, with the inbox's filters.

Words are analysed by the knowledge base's analyser (``knowledge.service.analyse_text``) on both
sides: the indexer stores a message's terms, a query's terms must all be present. SQLite matches
with FTS5, PostgreSQL with a GIN-indexed tsvector (``ddl.py``).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import cast

from sqlalchemy import ColumnElement, Select, column, func, literal_column, select, table
from sqlalchemy.dialects.postgresql import TSVECTOR
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.sqltypes import NullType

from omnidesk.core.context import Actor
from omnidesk.domains.commerce.service import get_order_by_number
from omnidesk.domains.conversations.models import Conversation, Message
from omnidesk.domains.conversations.service import (
    shown_text,
    visible_clause,
    visible_customer_ids,
)
from omnidesk.domains.customers.models import Customer
from omnidesk.domains.customers.service import (
    get_customers_by_ids,
    masked_contact,
    search_query,
)
from omnidesk.domains.knowledge.service import analyse_text
from omnidesk.domains.search.models import SearchMessage
from omnidesk.domains.search.schemas import (
    ConversationHit,
    CustomerHit,
    SearchFilter,
    SearchResults,
)

FTS = table("search_messages_fts", column("rowid"))
FTS_TABLE = literal_column("search_messages_fts", NullType())
SEARCH_VECTOR = literal_column("search_messages.search_vector", TSVECTOR())
CONVERSATION_NUMBER = re.compile(r"^#?(\d{1,12})$")
# How many matching messages to read to find the page of conversations (newest first).
MESSAGE_WINDOW = 200
# The newest ids searched by walking the id index (bounded: ~15 ms at 50,000 on PostgreSQL).
RECENT_IDS = 50_000
SNIPPET = 120


def _fts5_query(terms: list[str]) -> str:
    return " AND ".join('"' + t.replace('"', '""') + '"' for t in terms)


def _tsquery(terms: list[str]) -> str:
    return " & ".join("'" + t.replace("\\", "").replace("'", "''") + "'" for t in terms)


def _match(dialect: str, terms: list[str]) -> ColumnElement[bool]:
    if dialect == "sqlite":  # the FTS5 match runs once, as a set of rowids
        return SearchMessage.id.in_(
            select(FTS.c.rowid).where(FTS_TABLE.op("MATCH")(_fts5_query(terms))))
    return SEARCH_VECTOR.op("@@")(func.to_tsquery(literal_column("'simple'"), _tsquery(terms)))


def _filtered(query: Select, actor: Actor, flt: SearchFilter) -> Select:
    query = query.join(Conversation, Conversation.id == SearchMessage.conversation_id)
    visible = visible_clause(actor)  # the one visibility rule: a limited agent's scope
    if visible is not None:
        query = query.where(visible)
    if flt.status:
        query = query.where(Conversation.status == flt.status)
    if flt.inbox_id is not None:
        query = query.where(Conversation.inbox_id == flt.inbox_id)
    if flt.channel:
        query = query.where(Conversation.channel == flt.channel)
    if flt.assignee == "me":
        query = query.where(Conversation.assignee_id == actor.user_id)
    elif flt.assignee == "none":
        query = query.where(Conversation.assignee_id.is_(None))
    elif flt.assignee:
        query = query.where(Conversation.assignee_id == int(flt.assignee))
    if flt.date_from:
        query = query.where(SearchMessage.created_at >= _day(flt.date_from))
    if flt.date_to:
        query = query.where(SearchMessage.created_at < _day(flt.date_to + dt.timedelta(days=1)))
    return query


def _day(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC)


async def _matching_messages(session: AsyncSession, actor: Actor, terms: list[str],
                             flt: SearchFilter, limit: int) -> dict[int, int]:
    """Return {conversation id: its newest matching message id}, newest first.

    The newest MESSAGE_WINDOW matches are read in two bounded steps rather than one "newest
    first, stop at 200" query: when the words are common the planner walks the id index
    backwards, which is quick, but when each word is common and together they are rare (or
    absent) that walk reads every message (0.3 s at 1M). So: first the newest RECENT_IDS ids
    (a walk of bounded length, enough for common words), then, only when that found too few,
    the older messages through the full-text index alone (``id + 0`` keeps the planner off
    the id order; few words are rare together, so few rows to sort).
    """
    match = _match(session.get_bind().dialect.name, terms)
    base = _filtered(select(SearchMessage.id, SearchMessage.conversation_id).where(
        match, SearchMessage.workspace_id == actor.workspace_id), actor, flt)
    top = await session.scalar(select(func.max(SearchMessage.id)).where(
        SearchMessage.workspace_id == actor.workspace_id)) or 0
    split = top - RECENT_IDS
    recent = base.where(SearchMessage.id > split) if split > 0 else base
    rows = cast("list[tuple[int, int]]", (await session.execute(
        recent.order_by(SearchMessage.id.desc()).limit(MESSAGE_WINDOW))).all())
    if split > 0 and len(rows) < MESSAGE_WINDOW:
        older = base.where(SearchMessage.id <= split).order_by(
            (SearchMessage.id + 0).desc()).limit(MESSAGE_WINDOW - len(rows))
        rows += cast("list[tuple[int, int]]", (await session.execute(older)).all())
    found: dict[int, int] = {}
    for message_id, conversation_id in rows:
        found.setdefault(conversation_id, message_id)
        if len(found) >= limit:
            break
    return found


def _snippet(text: str, terms: list[str]) -> str:
    text = shown_text(text)  # masked as the thread shows it, before any cut can split a value
    lowered = text.lower()
    starts = [i for t in terms if (i := lowered.find(t.lower())) >= 0]
    start = max(0, min(starts) - SNIPPET // 3) if starts else 0
    piece = text[start:start + SNIPPET].replace("\n", " ")
    return ("…" if start else "") + piece + ("…" if start + SNIPPET < len(text) else "")


async def _conversation_hits(session: AsyncSession, actor: Actor, found: dict[int, int | None],
                             terms: list[str]) -> list[ConversationHit]:
    if not found:
        return []
    convs = {c.id: c for c in (await session.scalars(select(Conversation).where(
        Conversation.workspace_id == actor.workspace_id, Conversation.id.in_(found)))).all()}
    message_ids = [m for m in found.values() if m is not None]
    texts = dict((await session.execute(select(Message.id, Message.text).where(
        Message.workspace_id == actor.workspace_id, Message.id.in_(message_ids)))).all())
    customers = await get_customers_by_ids(session, workspace_id=actor.workspace_id,
                                           customer_ids={c.customer_id for c in convs.values()})
    hits = []
    for conversation_id, message_id in found.items():
        conv = convs.get(conversation_id)
        if conv is None:
            continue
        customer = customers.get(conv.customer_id)
        hits.append(ConversationHit(
            conversation_id=conv.id, customer_id=conv.customer_id,
            customer_name=(customer.name if customer else None) or f"#{conv.customer_id}",
            channel=conv.channel, status=conv.status, assignee_id=conv.assignee_id,
            message_id=message_id,
            snippet=_snippet((texts.get(message_id) if message_id else None) or conv.subject
                             or "", terms),
            at=conv.last_message_at or conv.created_at,
            url=f"/conversations/{conv.id}" + (f"#m{message_id}" if message_id else "")))
    return hits


def _customer_hit(customer: Customer, matched: str) -> CustomerHit:
    card = masked_contact(customer)  # personal data masked, as the customer panel shows it
    handles = [h for h in (card.email, card.phone) if h]
    handles += [str(i["value"]) for i in card.identities if str(i["value"]) not in handles]
    return CustomerHit(customer_id=customer.id, name=customer.name or f"#{customer.id}",
                       handles=handles[:4], matched=matched,
                       url=f"/customers/{customer.id}")


async def _customer_hits(session: AsyncSession, actor: Actor, q: str,
                         limit: int) -> list[CustomerHit]:
    hits: dict[int, CustomerHit] = {}
    order = await get_order_by_number(session, workspace_id=actor.workspace_id, number=q)
    visible = visible_customer_ids(actor)
    if order is not None and order.customer_id is not None:
        by_order = search_query(actor.workspace_id, None, visible).where(
            Customer.id == order.customer_id)
        for customer in (await session.scalars(by_order)).all():
            hits[customer.id] = _customer_hit(customer, "order")
    rows = await session.scalars(search_query(actor.workspace_id, q, visible)
                                 .order_by(Customer.id.desc()).limit(limit))
    for customer in rows.all():
        hits.setdefault(customer.id, _customer_hit(customer, "profile"))
    return list(hits.values())[:limit]


async def search(session: AsyncSession, *, actor: Actor, q: str, flt: SearchFilter | None = None,
                 limit: int = 20) -> SearchResults:
    """Search the actor's workspace: conversations by words or number, customers by handle."""
    flt = flt or SearchFilter()
    q = q.strip()
    terms = analyse_text(q) if q else []
    found: dict[int, int | None] = {}
    number = CONVERSATION_NUMBER.match(q)
    if number and not flt.narrows():
        by_number = select(Conversation.id).where(
            Conversation.workspace_id == actor.workspace_id,
            Conversation.id == int(number.group(1)))
        visible = visible_clause(actor)
        conv = await session.scalar(by_number if visible is None else by_number.where(visible))
        if conv is not None:
            found[conv] = None
    if terms:
        for conversation_id, message_id in (await _matching_messages(
                session, actor, terms, flt, limit)).items():
            found.setdefault(conversation_id, message_id)
    customers = [] if flt.narrows() or not q else await _customer_hits(session, actor, q, 10)
    return SearchResults(q=q, terms=terms, customers=customers,
                         conversations=await _conversation_hits(session, actor, found, terms))
