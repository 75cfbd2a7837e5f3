"""Per-workspace settings of the Facebook Messenger / Instagram Direct channel."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, SecretStr


class MessengerConfig(BaseModel):
    """One Facebook Page (and optionally its linked Instagram professional account)."""

    model_config = ConfigDict(extra="forbid")

    page_id: str = Field(pattern=r"^\d{3,20}$", description="Facebook Page id (entry.id).")
    instagram_account_id: str | None = Field(None, pattern=r"^\d{3,20}$")
    app_secret: SecretStr = Field(description="Meta App Secret: signs X-Hub-Signature-256.")
    verify_token: SecretStr
    page_access_token: SecretStr
    graph_base_url: str = "https://graph.facebook.com"
    api_version: str = Field("v21.0", pattern=r"^v\d+\.\d+$")
