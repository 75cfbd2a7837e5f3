"""Demo content owned by other domains, loaded after the demo workspace is created."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.demo.analytics import load_history_demo
from omnidesk.demo.assist import load_assist_demo
from omnidesk.demo.bot import load_bot_demo
from omnidesk.demo.engagement import load_engagement_demo
from omnidesk.demo.knowledge import load_demo_articles
from omnidesk.demo.routing import load_routing_demo
from omnidesk.domains.search.actions import do_index_all_messages


async def load_demo_extras(session: AsyncSession, workspace_id: int, *,
                           history: bool = True) -> str:
    """Load each domain's demo content; return a short summary for the CLI.

    ``history=False`` leaves out the 90 days of reporting history (seconds of writes), for a
    demo that serves chats but not reports (the browser tests of the bot).
    """
    articles = await load_demo_articles(session, workspace_id)
    summary = f", {articles.created + articles.updated} help-center articles"
    summary += await load_assist_demo(session, workspace_id)
    summary += await load_routing_demo(session, workspace_id)
    summary += await load_bot_demo(session, workspace_id)
    summary += await load_engagement_demo(session, workspace_id)
    if history:
        summary += await load_history_demo(session, workspace_id)
    # the conversations' messages searchable now, not by the first server's indexer passes
    # (over 7,000 messages through the Korean analyser while the first customers write)
    await do_index_all_messages(session)
    return summary
