"""The knowledge base's events: articles through their lifecycle, votes, synonyms."""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from omnidesk.core.events import Event

ARTICLE: dict[str, Any] = {"article_id": 3, "slug": "delivery-fee", "locale": "ko", "version": 2}


class ArticleFacts(Event):
    """Which article changed and which version is current."""

    article_id: int
    slug: str
    locale: str
    version: int


class ArticleCreated(ArticleFacts):
    """A draft article was created."""

    name: ClassVar[str] = "kb_article.created"
    example: ClassVar[dict[str, Any]] = {**ARTICLE, "version": 1}


class ArticleUpdated(ArticleFacts):
    """A draft was saved as a new version."""

    name: ClassVar[str] = "kb_article.updated"
    example: ClassVar[dict[str, Any]] = ARTICLE


class ArticlePublished(ArticleFacts):
    """An article version went live; `passages` is how many passages were indexed."""

    name: ClassVar[str] = "kb_article.published"
    example: ClassVar[dict[str, Any]] = {**ARTICLE, "visibility": "public", "passages": 4}

    visibility: str
    passages: int


class ArticleUnpublished(ArticleFacts):
    """An article was taken off the help center."""

    name: ClassVar[str] = "kb_article.unpublished"
    example: ClassVar[dict[str, Any]] = ARTICLE


class ArticlePublishScheduled(ArticleFacts):
    """An article's publication was scheduled (`publish_at`, UTC) or cancelled (None)."""

    name: ClassVar[str] = "kb_article.publish_scheduled"
    example: ClassVar[dict[str, Any]] = {**ARTICLE, "publish_at": "2026-12-08T01:00:00Z"}

    publish_at: dt.datetime | None


class ArticleRestored(ArticleFacts):
    """An old version's content was copied into a new version."""

    name: ClassVar[str] = "kb_article.restored"
    example: ClassVar[dict[str, Any]] = {**ARTICLE, "version": 3, "restored_from": 1}

    restored_from: int


class ArticleVoted(Event):
    """A help center reader answered "was this helpful?"."""

    name: ClassVar[str] = "kb_article.voted"
    example: ClassVar[dict[str, Any]] = {"article_id": 3, "helpful": True}

    article_id: int
    helpful: bool


class SynonymsChanged(Event):
    """A synonym set was created or deleted (`action`)."""

    name: ClassVar[str] = "kb_synonyms.changed"
    example: ClassVar[dict[str, Any]] = {"synonym_set_id": 2, "action": "created"}

    synonym_set_id: int
    action: str
