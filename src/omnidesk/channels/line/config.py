"""Per-workspace settings of the LINE Messaging API channel."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, SecretStr


class LineConfig(BaseModel):
    """One LINE Official Account (a Messaging API channel)."""

    model_config = ConfigDict(extra="forbid")

    channel_secret: SecretStr = Field(description="Signs X-Line-Signature.")
    channel_access_token: SecretStr = Field(description="Long-lived token for push messages.")
    bot_user_id: str | None = Field(None, pattern=r"^U[0-9a-f]{32}$",
                                    description="The `destination` to accept, when set.")
    api_base_url: str = "https://api.line.me"
    data_api_base_url: str = Field("https://api-data.line.me",
                                   description="Where message content (files) is downloaded.")
