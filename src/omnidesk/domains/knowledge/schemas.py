"""Knowledge base schemas: articles, versions, categories, synonyms, votes and search hits."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field

from omnidesk.core.schemas import Patch

SLUG = r"^[a-z0-9][a-z0-9-]*$"
LOCALE = r"^(ko|en)$"
VISIBILITY = r"^(public|internal)$"


class ArticleCreate(BaseModel):
    slug: str = Field(min_length=1, max_length=120, pattern=SLUG)
    locale: str = Field("ko", pattern=LOCALE)
    title: str = Field(min_length=1, max_length=300)
    summary: str = Field("", max_length=2000)
    body: str = Field("", max_length=200_000)
    category: str | None = Field(None, description="Category slug")
    tags: list[str] = Field(default_factory=list, max_length=50)
    related: list[str] = Field(default_factory=list, max_length=50)
    visibility: str = Field("public", pattern=VISIBILITY)
    translation_of: str | None = Field(None, description="Slug of the article this translates")


class ArticleUpdate(Patch):
    nullable = frozenset({"category"})

    title: str | None = Field(None, min_length=1, max_length=300)
    summary: str | None = Field(None, max_length=2000)
    body: str | None = Field(None, max_length=200_000)
    category: str | None = None
    tags: list[str] | None = Field(None, max_length=50)
    related: list[str] | None = Field(None, max_length=50)
    visibility: str | None = Field(None, pattern=VISIBILITY)
    note: str = Field("", max_length=300, description="What changed, for the version history")


class ArticleRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    slug: str
    locale: str
    title: str
    summary: str
    body: str
    tags: list[str]
    related: list[str]
    visibility: str
    status: str
    category_id: int | None
    translation_of_id: int | None
    version_number: int
    published_version_id: int | None
    published_at: dt.datetime | None
    helpful_votes: int
    unhelpful_votes: int
    updated_at: dt.datetime


class VersionRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    number: int
    title: str
    summary: str
    body: str
    tags: list[str]
    visibility: str
    changed_fields: list[str]
    note: str
    author_id: int | None
    author_kind: str
    created_at: dt.datetime


class CategoryCreate(BaseModel):
    slug: str = Field(min_length=1, max_length=80, pattern=SLUG)
    names: dict[str, str] = Field(description="Name per locale: {'ko': '배송', 'en': …}")
    parent: str | None = None
    position: int = Field(0, ge=0, le=100000)


class CategoryRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    slug: str
    names: dict[str, str]
    parent_id: int | None
    position: int


class SynonymSetCreate(BaseModel):
    phrases: list[str] = Field(min_length=2, max_length=30)


class SynonymSetRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    phrases: list[str]


class VoteCreate(BaseModel):
    helpful: bool


class PassageRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    article_id: int
    slug: str
    locale: str
    title: str
    visibility: str
    heading: str
    text: str
    snippet: str
    score: float
    url: str | None = None
