"""Knowledge base tables: categories, articles and their versions, passages, synonyms, votes."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    Boolean,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    Select,
    String,
    Text,
    UniqueConstraint,
    event,
    select,
)
from sqlalchemy.orm import Mapped, mapped_column

from omnidesk.core.db import Base, IdMixin, IdType, TimestampMixin, WorkspaceScoped, utcnow
from omnidesk.domains.knowledge.index.ddl import drop_search_index, ensure_search_index

LOCALES = ("ko", "en")
PUBLIC, INTERNAL = "public", "internal"
DRAFT, PUBLISHED, ARCHIVED = "draft", "published", "archived"


class KbCategory(Base, IdMixin, WorkspaceScoped):
    """A node of the category tree; names per locale."""

    __tablename__ = "kb_categories"
    __table_args__ = (UniqueConstraint("workspace_id", "slug"),)

    slug: Mapped[str] = mapped_column(String(80))
    parent_id: Mapped[int | None] = mapped_column(
        IdType, ForeignKey("kb_categories.id", ondelete="SET NULL"))
    position: Mapped[int] = mapped_column(Integer, default=0)
    names: Mapped[dict[str, Any]] = mapped_column(default=dict)
    descriptions: Mapped[dict[str, Any]] = mapped_column(default=dict)


class KbArticle(Base, IdMixin, TimestampMixin, WorkspaceScoped):
    """An article in one locale: its working draft and a pointer to the published version."""

    __tablename__ = "kb_articles"
    __table_args__ = (UniqueConstraint("workspace_id", "locale", "slug"),)

    slug: Mapped[str] = mapped_column(String(120))
    locale: Mapped[str] = mapped_column(String(8), default="ko")
    translation_of_id: Mapped[int | None] = mapped_column(
        IdType, ForeignKey("kb_articles.id", ondelete="SET NULL"), index=True)
    category_id: Mapped[int | None] = mapped_column(
        IdType, ForeignKey("kb_categories.id", ondelete="SET NULL"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    summary: Mapped[str] = mapped_column(Text, default="")
    body: Mapped[str] = mapped_column(Text, default="")
    tags: Mapped[list[Any]] = mapped_column(default=list)
    related: Mapped[list[Any]] = mapped_column(default=list)
    visibility: Mapped[str] = mapped_column(String(16), default=PUBLIC)
    status: Mapped[str] = mapped_column(String(16), default=DRAFT)
    version_number: Mapped[int] = mapped_column(Integer, default=0)
    published_version_id: Mapped[int | None] = mapped_column(IdType)
    published_at: Mapped[dt.datetime | None]
    # When the latest version goes live by itself (the kb_scheduled_publish job), and who asked.
    publish_at: Mapped[dt.datetime | None] = mapped_column(index=True)
    publish_scheduled_by: Mapped[int | None] = mapped_column(IdType)
    helpful_votes: Mapped[int] = mapped_column(Integer, default=0)
    unhelpful_votes: Mapped[int] = mapped_column(Integer, default=0)


class KbArticleVersion(Base, IdMixin, WorkspaceScoped):
    """An immutable snapshot of an article's content: who saved it, when and what changed."""

    __tablename__ = "kb_article_versions"
    __table_args__ = (UniqueConstraint("article_id", "number"),)

    article_id: Mapped[int] = mapped_column(
        IdType, ForeignKey("kb_articles.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(300))
    summary: Mapped[str] = mapped_column(Text, default="")
    body: Mapped[str] = mapped_column(Text, default="")
    tags: Mapped[list[Any]] = mapped_column(default=list)
    related: Mapped[list[Any]] = mapped_column(default=list)
    category_id: Mapped[int | None] = mapped_column(IdType)
    visibility: Mapped[str] = mapped_column(String(16), default=PUBLIC)
    changed_fields: Mapped[list[Any]] = mapped_column(default=list)
    note: Mapped[str] = mapped_column(String(300), default="")
    author_id: Mapped[int | None] = mapped_column(IdType)
    author_kind: Mapped[str] = mapped_column(String(16), default="user")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


def published(*columns: Any, workspace_id: int | None = None) -> Select[Any]:
    """Select ``columns`` of the published articles (of one workspace, or of all) joined to the
    version readers see: what the help center shows, the index holds and the search learns from.
    """
    stmt = select(*columns).join(
        KbArticleVersion, KbArticleVersion.id == KbArticle.published_version_id
    ).where(KbArticle.status == PUBLISHED)
    return stmt if workspace_id is None else stmt.where(KbArticle.workspace_id == workspace_id)


class KbPassage(Base, IdMixin, WorkspaceScoped):
    """A searchable piece of a published article, stored with its pre-tokenized terms.

    The full-text index (SQLite FTS5 table or PostgreSQL tsvector column) is attached by
    ``omnidesk.domains.knowledge.index.updates.ensure_search_index`` and follows this table by itself.
    """

    __tablename__ = "kb_passages"
    __table_args__ = (Index("ix_kb_passages_article_position", "article_id", "position"),)

    article_id: Mapped[int] = mapped_column(
        IdType, ForeignKey("kb_articles.id", ondelete="CASCADE"))
    # The translation group (source article id): translations count as one answer.
    group_id: Mapped[int] = mapped_column(IdType)
    locale: Mapped[str] = mapped_column(String(8))
    visibility: Mapped[str] = mapped_column(String(16))
    position: Mapped[int] = mapped_column(Integer)
    heading: Mapped[str] = mapped_column(String(300), default="")
    text: Mapped[str] = mapped_column(Text)
    title_terms: Mapped[str] = mapped_column(Text, default="")
    body_terms: Mapped[str] = mapped_column(Text, default="")
    term_count: Mapped[int] = mapped_column(Integer, default=0)
    vector: Mapped[list[Any] | None] = mapped_column(default=None)


event.listen(KbPassage.__table__, "after_create", lambda _t, conn, **_: ensure_search_index(conn))
event.listen(KbPassage.__table__, "before_drop", lambda _t, conn, **_: drop_search_index(conn))


class KbTerm(Base, IdMixin, WorkspaceScoped):
    """How many passages of a workspace hold a term (IDF and the spelling vocabulary).

    ``generation`` is the index generation that last changed the row, so a process holding
    a cached vocabulary fetches only the terms changed since (rows at zero stay for that).
    """

    __tablename__ = "kb_terms"
    __table_args__ = (
        UniqueConstraint("workspace_id", "term"),
        Index("ix_kb_terms_workspace_generation", "workspace_id", "generation"),
    )

    term: Mapped[str] = mapped_column(String(120))
    passages: Mapped[int] = mapped_column(Integer, default=0)
    generation: Mapped[int] = mapped_column(Integer, default=0)


class KbIndexState(Base, IdMixin, WorkspaceScoped):
    """Per-workspace index totals and a generation bumped on every index change."""

    __tablename__ = "kb_index_state"
    __table_args__ = (UniqueConstraint("workspace_id"),)

    generation: Mapped[int] = mapped_column(Integer, default=0)
    passage_count: Mapped[int] = mapped_column(Integer, default=0)
    term_total: Mapped[int] = mapped_column(Integer, default=0)


class KbSynonymSet(Base, IdMixin, TimestampMixin, WorkspaceScoped):
    """Phrases a workspace treats as the same search intent (환불, refund, 돈 돌려받기)."""

    __tablename__ = "kb_synonym_sets"

    phrases: Mapped[list[Any]] = mapped_column(default=list)


class KbVote(Base, IdMixin, WorkspaceScoped):
    """One "was this helpful?" answer from one visitor for one article."""

    __tablename__ = "kb_votes"
    __table_args__ = (UniqueConstraint("article_id", "voter_key"),)

    article_id: Mapped[int] = mapped_column(
        IdType, ForeignKey("kb_articles.id", ondelete="CASCADE"), index=True)
    voter_key: Mapped[str] = mapped_column(String(64))
    helpful: Mapped[bool] = mapped_column(Boolean)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class KbSearchMiss(Base, IdMixin, WorkspaceScoped):
    """A search that found nothing (help center or bot), its personal data masked, for authors."""

    __tablename__ = "kb_search_misses"
    __table_args__ = (Index("ix_kb_search_misses_workspace_created", "workspace_id", "created_at"),)

    query: Mapped[str] = mapped_column(String(200))
    source: Mapped[str] = mapped_column(String(16))  # help_center | bot
    locale: Mapped[str] = mapped_column(String(8), default="ko")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class KbAttachment(Base, IdMixin, WorkspaceScoped):
    """A file or image uploaded for articles, served from the help center."""

    __tablename__ = "kb_attachments"

    article_id: Mapped[int | None] = mapped_column(
        IdType, ForeignKey("kb_articles.id", ondelete="SET NULL"), index=True)
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(120))
    size: Mapped[int] = mapped_column(Integer)
    data: Mapped[bytes] = mapped_column(LargeBinary)
    uploaded_by: Mapped[int | None] = mapped_column(IdType)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
