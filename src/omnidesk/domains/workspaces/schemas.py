"""Workspace schemas."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class WorkspaceCreate(BaseModel):
    slug: str = Field(min_length=2, max_length=64, pattern=r"^[a-z0-9][a-z0-9-]*$")
    name: str = Field(min_length=1, max_length=200)
    default_locale: str = Field("ko", pattern=r"^(ko|en)$")
    timezone: str = "Asia/Seoul"


class WorkspaceUpdate(BaseModel):
    name: str | None = Field(None, min_length=1, max_length=200)
    default_locale: str | None = Field(None, pattern=r"^(ko|en)$")
    timezone: str | None = None
    settings: dict[str, Any] | None = None
    business_hours: dict[str, Any] | None = None


class WorkspaceRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    slug: str
    name: str
    default_locale: str
    timezone: str
    settings: dict[str, Any]
    business_hours: dict[str, Any]
    created_at: dt.datetime
