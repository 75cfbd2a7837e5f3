"""Per-workspace settings of the generic API channel (a business's own app)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, SecretStr


class ApiChannelConfig(BaseModel):
    """A business app that posts customer messages to us and receives replies by webhook."""

    model_config = ConfigDict(extra="forbid")

    inbound_token_sha256: str = Field(pattern=r"^[0-9a-f]{64}$",
                                      description="SHA-256 of the bearer token the app sends.")
    webhook_url: str = Field(description="Where replies are POSTed (https).")
    signing_secret: SecretStr = Field(description="HMAC key for X-Omnidesk-Signature; kept "
                                                  "apart from the inbound token.")
    timestamp_tolerance_seconds: int = Field(300, ge=30, le=3600)
    allow_private_network: bool = Field(False, description="Allow private/loopback targets.")
