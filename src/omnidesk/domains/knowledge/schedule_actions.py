"""Scheduled publishing: an author picks a moment, the kb_scheduled_publish job publishes then.

A moment without a time zone is read in the workspace's time zone (the one rule for the page
and the API). Publishing goes through do_publish_article, so a scheduled publication emits the
same `kb_article.published` event, indexes the same way and clears the schedule.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.core.context import Actor, system_actor
from omnidesk.core.db import utcnow
from omnidesk.core.errors import InvalidInput
from omnidesk.domains.knowledge import events
from omnidesk.domains.knowledge.actions import EDITOR_ROLE, _event, _record, do_publish_article
from omnidesk.domains.knowledge.models import KbArticle
from omnidesk.domains.knowledge.service import get_article
from omnidesk.domains.workspaces.service import get_workspace

MAX_AHEAD = dt.timedelta(days=366)
DUE_BATCH = 100


async def workspace_moment(session: AsyncSession, *, workspace_id: int,
                           moment: dt.datetime) -> dt.datetime:
    """Return the moment in UTC, reading a naive one in the workspace's time zone."""
    if moment.tzinfo is None:
        workspace = await get_workspace(session, workspace_id=workspace_id)
        moment = moment.replace(tzinfo=ZoneInfo(workspace.timezone))
    return moment.astimezone(dt.UTC)


async def do_schedule_publish(
    session: AsyncSession, *, actor: Actor, article_id: int, publish_at: dt.datetime
) -> KbArticle:
    """Publish the article's latest version at a future moment (replacing any schedule)."""
    actor.require(EDITOR_ROLE)
    article = await get_article(session, workspace_id=actor.workspace_id, article_id=article_id)
    at = await workspace_moment(session, workspace_id=article.workspace_id, moment=publish_at)
    now = utcnow()
    if at <= now:
        raise InvalidInput("choose a moment in the future", field="publish_at")
    if at > now + MAX_AHEAD:
        raise InvalidInput("choose a moment within a year", field="publish_at")
    article.publish_at, article.publish_scheduled_by = at, actor.user_id
    _record(session, actor, article, events.ArticlePublishScheduled(
        **_event(article), publish_at=at), {"publish_at": at.isoformat()})
    return article


async def do_cancel_scheduled_publish(
    session: AsyncSession, *, actor: Actor, article_id: int
) -> KbArticle:
    """Drop the article's publication schedule, if it has one."""
    actor.require(EDITOR_ROLE)
    article = await get_article(session, workspace_id=actor.workspace_id, article_id=article_id)
    if article.publish_at is None:
        return article
    article.publish_at = article.publish_scheduled_by = None
    _record(session, actor, article, events.ArticlePublishScheduled(
        **_event(article), publish_at=None))
    return article


async def do_publish_due_articles(session: AsyncSession, *, now: dt.datetime) -> list[int]:
    """Publish every article whose scheduled moment has come; return their ids."""
    due = (await session.scalars(select(KbArticle).where(
        KbArticle.publish_at.is_not(None), KbArticle.publish_at <= now,
    ).order_by(KbArticle.publish_at, KbArticle.id).limit(DUE_BATCH))).all()
    for article in due:
        await do_publish_article(session, actor=system_actor(article.workspace_id),
                                 article_id=article.id)
    return [a.id for a in due]
