"""Payloads of the knowledge base events (outbox), one model per event name."""

from __future__ import annotations

from pydantic import BaseModel

ARTICLE_CREATED = "kb_article.created"
ARTICLE_UPDATED = "kb_article.updated"
ARTICLE_PUBLISHED = "kb_article.published"
ARTICLE_UNPUBLISHED = "kb_article.unpublished"
ARTICLE_RESTORED = "kb_article.restored"
ARTICLE_VOTED = "kb_article.voted"
SYNONYMS_CHANGED = "kb_synonyms.changed"


class ArticleEvent(BaseModel):
    """An article changed: which one and which version is current."""

    article_id: int
    slug: str
    locale: str
    version: int


class ArticlePublished(ArticleEvent):
    """An article version went live; `passages` is how many passages were indexed."""

    visibility: str
    passages: int


class ArticleRestored(ArticleEvent):
    """An old version's content was copied into a new version."""

    restored_from: int


class ArticleVoted(BaseModel):
    """A help center reader answered "was this helpful?"."""

    article_id: int
    helpful: bool


class SynonymsChanged(BaseModel):
    """A synonym set was added or removed."""

    synonym_set_id: int
    action: str
