"""Retention policies, purge reports and erasure certificates."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

DATA_KINDS = ("messages", "attachments", "recordings", "raw_events", "logs", "access_log")
# PIPA's safety measures (개인정보의 안전성 확보조치 기준 제8조) keep staff access records at least
# one year, two when unique identifiers (RRN, passport, licence) are processed, as here.
ACCESS_LOG_MIN_DAYS = 730


class RetentionSettings(BaseModel):
    """The workspace's `retention` settings section: days each kind of data is kept (0: always).

    messages: message text and metadata (conversations and their numbers stay); attachments: files
    of messages; recordings: audio files (calls, voice notes); raw_events: stored provider
    webhooks; logs: delivered outbox events and their delivery log; access_log: the personal-data
    access log, which the law keeps at least ``ACCESS_LOG_MIN_DAYS``.
    """

    model_config = ConfigDict(extra="forbid")

    messages: int = Field(0, ge=0, le=36500)
    attachments: int = Field(0, ge=0, le=36500)
    recordings: int = Field(0, ge=0, le=36500)
    raw_events: int = Field(0, ge=0, le=36500)
    logs: int = Field(0, ge=0, le=36500)
    access_log: int = Field(0, ge=0, le=36500)

    @field_validator("access_log")
    @classmethod
    def _kept_as_the_law_says(cls, days: int) -> int:
        if 0 < days < ACCESS_LOG_MIN_DAYS:
            raise ValueError(f"the access log is kept at least {ACCESS_LOG_MIN_DAYS} days "
                             "(PIPA safety measures, article 8); 0 keeps it always")
        return days


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
