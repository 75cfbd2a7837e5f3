"""Export the whole knowledge base as a folder of markdown files plus categories and synonyms."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.core.context import Actor
from omnidesk.domains.knowledge.io.frontmatter import MarkdownDocument, dump_markdown
from omnidesk.domains.knowledge.models import KbArticle
from omnidesk.domains.knowledge.schemas import SynonymSetCreate
from omnidesk.domains.knowledge.service import list_articles, list_categories, list_synonym_sets
from omnidesk.domains.knowledge.site_actions import do_create_synonym_set

SITE_FILE = "_kb.json"


def article_markdown(
    article: KbArticle, *, category: str | None, translation_of: str | None
) -> str:
    """Write an article (its current draft) as a front-matter markdown file."""
    meta: dict[str, str | list[str]] = {
        "slug": article.slug, "title": article.title, "summary": article.summary,
        "category": category or "", "tags": list(article.tags), "locale": article.locale,
        "translation_of": translation_of or "", "visibility": article.visibility,
        "status": article.status, "related": list(article.related),
    }
    return dump_markdown(MarkdownDocument(meta=meta, body=article.body))


async def export_site_settings(session: AsyncSession, *, workspace_id: int) -> dict[str, Any]:
    """Return the category tree and synonym sets as plain data."""
    categories = await list_categories(session, workspace_id=workspace_id)
    slug_of: dict[int | None, str] = {c.id: c.slug for c in categories}
    return {
        "categories": [{"slug": c.slug, "names": c.names, "parent": slug_of.get(c.parent_id),
                        "position": c.position} for c in categories],
        "synonyms": [list(s.phrases) for s in await list_synonym_sets(
            session, workspace_id=workspace_id)],
    }


async def restore_site_settings(
    session: AsyncSession, *, actor: Actor, data: dict[str, Any]
) -> None:
    """Create the categories and synonym sets of an export that are not there yet."""
    from omnidesk.domains.knowledge.io.importing import ensure_category

    for cat in data.get("categories", []):
        await ensure_category(session, actor=actor, slug=cat["slug"], names=cat["names"],
                              parent=cat.get("parent"))
    existing = {tuple(s.phrases) for s in await list_synonym_sets(
        session, workspace_id=actor.workspace_id)}
    for phrases in data.get("synonyms", []):
        if tuple(phrases) not in existing:
            await do_create_synonym_set(session, actor=actor,
                                        synonyms_in=SynonymSetCreate(phrases=phrases))


async def export_knowledge_base(session: AsyncSession, *, workspace_id: int, folder: Path) -> int:
    """Write every article to folder/<locale>/<slug>.md and the site settings; return the count."""
    articles = await list_articles(session, workspace_id=workspace_id)
    categories: dict[int | None, str] = {
        c.id: c.slug for c in await list_categories(session, workspace_id=workspace_id)}
    slugs: dict[int | None, str] = {a.id: a.slug for a in articles}
    for article in articles:
        path = folder / article.locale / f"{article.slug}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(article_markdown(
            article, category=categories.get(article.category_id),
            translation_of=slugs.get(article.translation_of_id)), encoding="utf-8")
    settings = await export_site_settings(session, workspace_id=workspace_id)
    (folder / SITE_FILE).write_text(json.dumps(settings, ensure_ascii=False, indent=2),
                                    encoding="utf-8")
    return len(articles)
