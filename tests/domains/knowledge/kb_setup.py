"""Put a few of the demo knowledge base's articles (and its categories) into a workspace."""

from __future__ import annotations

import shutil
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.core.context import system_actor
from omnidesk.demo.knowledge import DEMO_FOLDER, load_demo_categories
from omnidesk.domains.knowledge.io.importing import import_markdown_folder


async def import_demo_articles(session: AsyncSession, workspace_id: int, names: tuple[str, ...],
                               scratch: Path) -> None:
    """Import and publish the named demo articles ("ko/<slug>.md"); the caller commits."""
    for name in names:
        (scratch / "kb" / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(DEMO_FOLDER / name, scratch / "kb" / name)
    await load_demo_categories(session, workspace_id)
    await import_markdown_folder(session, actor=system_actor(workspace_id),
                                 folder=scratch / "kb")
