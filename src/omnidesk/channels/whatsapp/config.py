"""Per-workspace settings of the WhatsApp Cloud API channel."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, SecretStr


class WhatsAppConfig(BaseModel):
    """One WhatsApp Business phone number on the Cloud API."""

    model_config = ConfigDict(extra="forbid")

    phone_number_id: str = Field(pattern=r"^\d{5,20}$",
                                 description="Routes events to this workspace (not the display no.).")
    app_secret: SecretStr = Field(description="Meta App Secret: signs X-Hub-Signature-256.")
    verify_token: SecretStr = Field(description="Token typed in the dashboard for the GET check.")
    access_token: SecretStr = Field(description="System-user token for the Graph API.")
    graph_base_url: str = "https://graph.facebook.com"
    api_version: str = Field("v21.0", pattern=r"^v\d+\.\d+$")
