"""Channel admin schemas: connect a channel by kind, and mask secrets in settings."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

MASK = "********"
SECRET_WORDS = ("secret", "token", "password", "key")
NOT_SECRET_SUFFIXES = ("_header", "_url", "_path")


class ChannelConnect(BaseModel):
    """Connect (or reconnect) a channel: a display name and the adapter's settings."""

    name: str | None = Field(None, max_length=120, description="Shown to agents.")
    settings: dict[str, Any] = Field(description="Validated by the channel's config model.")


def is_secret_name(name: str) -> bool:
    """Tell whether a settings field holds a credential, judging by its name."""
    lowered = name.lower()
    return any(w in lowered for w in SECRET_WORDS) and not lowered.endswith(NOT_SECRET_SUFFIXES)


def masked(value: Any, name: str = "") -> Any:
    """Return settings with credentials replaced by a mask (SecretStr dumps are masked too)."""
    if isinstance(value, dict):
        return {k: masked(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [masked(v, name) for v in value]
    if value is not None and is_secret_name(name):
        return MASK
    return value
