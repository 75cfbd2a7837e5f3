"""Demo content of the bot: turn it on for the demo workspace and train its intent model."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.domains.bot.actions import do_train_workspace_model
from omnidesk.domains.bot.policy import bot_settings
from omnidesk.domains.workspaces.service import get_workspace


async def load_bot_demo(session: AsyncSession, workspace_id: int) -> str:
    """Enable the bot on chat channels and store a trained intent model; the caller commits."""
    workspace = await get_workspace(session, workspace_id=workspace_id)
    settings = bot_settings(workspace.settings).model_dump()
    settings.update(enabled=True, support_email="help@hanbit.example")
    workspace.settings = {**(workspace.settings or {}), "bot": settings}
    row = await do_train_workspace_model(session, workspace_id=workspace_id, source="demo")
    return f", bot on with intent model v{row.version} ({len(row.labels)} intents)"
