"""Import articles: a folder of markdown files, a CSV of FAQ pairs, a Zendesk Help Center export."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.core.context import Actor
from omnidesk.core.errors import DomainError, InvalidInput
from omnidesk.domains.knowledge.actions import (
    do_create_article,
    do_publish_article,
    do_update_article,
)
from omnidesk.domains.knowledge.io.frontmatter import parse_markdown
from omnidesk.domains.knowledge.io.html_to_markdown import html_to_markdown
from omnidesk.domains.knowledge.schemas import ArticleCreate, ArticleUpdate, CategoryCreate
from omnidesk.domains.knowledge.service import get_article_by_slug, get_category_by_slug
from omnidesk.domains.knowledge.site_actions import do_create_category

NON_SLUG = re.compile(r"[^a-z0-9]+")
SITE_FILE = "_kb.json"  # the category tree and synonyms of an export
ZIP_FILES_LIMIT, ZIP_UNPACKED_LIMIT = 2_000, 50_000_000


@dataclass
class ImportReport:
    """What an import did."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[str] = field(default_factory=list)


def slugify(text: str, *, prefix: str = "faq") -> str:
    """Make a URL slug; text without Latin letters gets a stable hash-based slug."""
    slug = NON_SLUG.sub("-", text.casefold()).strip("-")[:80]
    if len(slug) >= 3:
        return slug
    return f"{prefix}-{hashlib.sha1(text.encode()).hexdigest()[:10]}"


async def upsert_article(
    session: AsyncSession, *, actor: Actor, article_in: ArticleCreate, publish: bool = True
) -> str:
    """Create or update an article by (slug, locale) and publish it; return what happened.

    A category the import names but the workspace lacks is created, named after its slug.
    """
    if article_in.category:
        await ensure_category(session, actor=actor, slug=article_in.category,
                              names={article_in.locale: article_in.category})
    existing = await get_article_by_slug(session, workspace_id=actor.workspace_id,
                                         slug=article_in.slug, locale=article_in.locale)
    if existing is None:
        article = await do_create_article(session, actor=actor, article_in=article_in)
        outcome = "created"
    else:
        before = existing.version_number
        update_in = ArticleUpdate(**article_in.model_dump(
            include={"title", "summary", "body", "tags", "related", "visibility", "category"}),
            note="imported")
        article = await do_update_article(session, actor=actor, article_id=existing.id,
                                          article_in=update_in)
        changed = article.version_number != before
        outcome = "updated" if changed else "unchanged"
        if not changed and article.status == "published":
            return outcome
    if publish:
        await do_publish_article(session, actor=actor, article_id=article.id)
    return outcome


async def ensure_category(session: AsyncSession, *, actor: Actor, slug: str,
                          names: dict[str, str], parent: str | None = None) -> None:
    """Create a category unless it exists."""
    if not await get_category_by_slug(session, workspace_id=actor.workspace_id, slug=slug):
        await do_create_category(session, actor=actor, category_in=CategoryCreate(
            slug=slug, names=names, parent=parent))


def article_from_markdown(text: str, *, default_slug: str, default_locale: str) -> ArticleCreate:
    """Build an ArticleCreate from a front-matter markdown file."""
    doc = parse_markdown(text)
    meta = doc.meta
    title = str(meta.get("title") or default_slug)
    return ArticleCreate(
        slug=str(meta.get("slug") or default_slug),
        locale=str(meta.get("locale") or meta.get("language") or default_locale),
        title=title, summary=str(meta.get("summary") or ""), body=doc.body,
        category=str(meta["category"]) if meta.get("category") else None,
        tags=list(meta.get("tags") or []), related=list(meta.get("related") or []),
        visibility=str(meta.get("visibility") or "public"),
        translation_of=str(meta["translation_of"]) if meta.get("translation_of") else None)


def _read_files(files: list[tuple[PurePosixPath, str]], default_locale: str,
                report: ImportReport) -> list[tuple[ArticleCreate, bool]]:
    """Parse markdown files; sources come before the translations that point at them."""
    parsed: list[tuple[ArticleCreate, bool]] = []
    for path, text in sorted(files, key=lambda item: str(item[0])):
        locale = path.parent.name if path.parent.name in ("ko", "en") else default_locale
        try:
            article_in = article_from_markdown(text, default_slug=slugify(path.stem),
                                               default_locale=locale)
        except ValueError as exc:
            report.errors.append(f"{path.name}: {exc}")
            continue
        parsed.append((article_in, parse_markdown(text).meta.get("status") != "draft"))
    return sorted(parsed, key=lambda item: item[0].translation_of is not None)


async def import_markdown_files(
    session: AsyncSession, *, actor: Actor, files: list[tuple[PurePosixPath, str]],
    site: dict[str, Any] | None = None, default_locale: str = "ko",
) -> ImportReport:
    """Import markdown files (locale from front matter or the folder name) and site settings."""
    report = ImportReport()
    if site:
        from omnidesk.domains.knowledge.io.exporting import restore_site_settings

        await restore_site_settings(session, actor=actor, data=site)
    for article_in, publish in _read_files(files, default_locale, report):
        try:
            outcome = await upsert_article(session, actor=actor, article_in=article_in,
                                           publish=publish)
        except DomainError as exc:
            report.errors.append(f"{article_in.locale}/{article_in.slug}: {exc.message}")
            continue
        _count(report, outcome)
    return report


async def import_markdown_folder(
    session: AsyncSession, *, actor: Actor, folder: Path, default_locale: str = "ko"
) -> ImportReport:
    """Import every *.md file under a folder (locale from front matter or the folder name)."""
    meta_file = folder / SITE_FILE
    site = json.loads(meta_file.read_text()) if meta_file.exists() else None
    files = [(PurePosixPath(p.relative_to(folder).as_posix()), p.read_text(encoding="utf-8"))
             for p in folder.rglob("*.md")]
    return await import_markdown_files(session, actor=actor, files=files, site=site,
                                       default_locale=default_locale)


async def import_markdown_zip(
    session: AsyncSession, *, actor: Actor, data: bytes, default_locale: str = "ko"
) -> ImportReport:
    """Import the *.md files of a zip (an export of this or another knowledge base), in memory."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = [m for m in archive.infolist() if not m.is_dir()]
    except zipfile.BadZipFile as exc:
        raise InvalidInput("the file is not a zip archive", field="file") from exc
    if sum(m.file_size for m in members) > ZIP_UNPACKED_LIMIT or len(members) > ZIP_FILES_LIMIT:
        raise InvalidInput("the zip is too large (at most 2,000 files and 50 MB unpacked)",
                           field="file")
    files, site = [], None
    try:
        for member in members:
            path = PurePosixPath(member.filename)
            if path.name == SITE_FILE:
                site = json.loads(archive.read(member).decode("utf-8-sig"))
            elif path.suffix.lower() == ".md" and not path.name.startswith("."):
                files.append((path, archive.read(member).decode("utf-8-sig")))
    except (UnicodeDecodeError, json.JSONDecodeError, zipfile.BadZipFile) as exc:
        raise InvalidInput(f"the zip could not be read: {type(exc).__name__}",
                           field="file") from exc
    if not files:
        raise InvalidInput("the zip holds no .md files", field="file")
    return await import_markdown_files(session, actor=actor, files=files,
                                       site=site if isinstance(site, dict) else None,
                                       default_locale=default_locale)


def _count(report: ImportReport, outcome: str) -> None:
    setattr(report, outcome, getattr(report, outcome) + 1)


async def import_faq_csv(
    session: AsyncSession, *, actor: Actor, data: str, locale: str = "ko",
    category: str | None = None,
) -> ImportReport:
    """Import `question,answer[,tags]` rows as one article each (title = question)."""
    report = ImportReport()
    for number, row in enumerate(csv.DictReader(io.StringIO(data)), start=2):
        question = (row.get("question") or "").strip()
        answer = (row.get("answer") or "").strip()
        if not question or not answer:
            report.errors.append(f"line {number}: question and answer are required")
            continue
        tags = [t.strip() for t in (row.get("tags") or "").split("|") if t.strip()]
        article_in = ArticleCreate(slug=slugify(question), locale=row.get("locale") or locale,
                                   title=question[:300], summary=answer.split("\n")[0][:300],
                                   body=answer, tags=tags, category=category)
        _count(report, await upsert_article(session, actor=actor, article_in=article_in))
    return report


def _zendesk_locale(value: str | None) -> str:
    return "en" if (value or "").lower().startswith("en") else "ko"


async def import_zendesk(
    session: AsyncSession, *, actor: Actor, export: dict[str, Any]
) -> ImportReport:
    """Import a Zendesk Help Center export: categories, sections, articles, translations."""
    report = ImportReport()
    known = {f"zd-{c['id']}" for c in export.get("categories", [])}
    for cat in export.get("categories", []):
        await ensure_category(session, actor=actor, slug=f"zd-{cat['id']}",
                              names={_zendesk_locale(cat.get("locale")): cat["name"]})
    for sec in export.get("sections", []):
        parent = f"zd-{sec['category_id']}" if sec.get("category_id") else None
        await ensure_category(session, actor=actor, slug=f"zd-section-{sec['id']}",
                              names={_zendesk_locale(sec.get("locale")): sec["name"]},
                              parent=parent if parent in known else None)
    for art in export.get("articles", []):
        await _import_zendesk_article(session, actor=actor, art=art, report=report)
    return report


async def _import_zendesk_article(session: AsyncSession, *, actor: Actor, art: dict[str, Any],
                                  report: ImportReport) -> None:
    source_locale = _zendesk_locale(art.get("source_locale") or art.get("locale"))
    slug = slugify(art.get("title") or "", prefix=f"zd-{art['id']}")
    section = f"zd-section-{art['section_id']}" if art.get("section_id") else None
    items = [art, *art.get("translations", [])]
    items.sort(key=lambda item: _zendesk_locale(item.get("locale")) != source_locale)
    for item in items:
        locale = _zendesk_locale(item.get("locale"))
        article_in = ArticleCreate(
            slug=slug, locale=locale, title=(item.get("title") or slug)[:300],
            body=html_to_markdown(item.get("body") or ""), category=section,
            tags=list(art.get("label_names") or []),
            translation_of=None if locale == source_locale else slug)
        outcome = await upsert_article(session, actor=actor, article_in=article_in,
                                       publish=not item.get("draft", False))
        _count(report, outcome)
