"""Retention policies, purge reports and erasure certificates."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

DATA_KINDS = ("messages", "attachments", "recordings", "raw_events", "logs")


class RetentionSettings(BaseModel):
    """The workspace's `retention` settings section: days each kind of data is kept (0: always).

    messages: message text and metadata (conversations and their numbers stay); attachments: files
    of messages; recordings: audio files (calls, voice notes); raw_events: stored provider
    webhooks; logs: delivered outbox events and their delivery log.
    """

    model_config = ConfigDict(extra="forbid")

    messages: int = Field(0, ge=0, le=36500)
    attachments: int = Field(0, ge=0, le=36500)
    recordings: int = Field(0, ge=0, le=36500)
    raw_events: int = Field(0, ge=0, le=36500)
    logs: int = Field(0, ge=0, le=36500)


def retention_settings(settings: dict[str, Any] | None) -> RetentionSettings:
    """Read the workspace's retention section (keep everything when missing or unreadable)."""
    try:
        return RetentionSettings.model_validate((settings or {}).get("retention") or {})
    except ValueError:
        return RetentionSettings()


class PurgeReport(BaseModel):
    """What a retention purge removed, per data kind, and the cut-off dates it used."""

    workspace_id: int
    ran_at: dt.datetime
    removed: dict[str, int]
    files_removed: int = 0
    cutoffs: dict[str, dt.datetime] = Field(default_factory=dict)


class ErasureCertificate(BaseModel):
    """Proof of an erasure: what was removed where (counts only, never the values)."""

    certificate_id: int | None = None
    customer_id: int
    erased_at: dt.datetime
    erased_by: int | None
    rows: dict[str, int]
    files_removed: int
    traces_scrubbed: dict[str, int]
