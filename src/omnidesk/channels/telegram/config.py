"""Per-workspace settings of the Telegram bot channel."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, SecretStr


class TelegramConfig(BaseModel):
    """One Telegram bot with its webhook secret."""

    model_config = ConfigDict(extra="forbid")

    bot_token: SecretStr = Field(description="Token from @BotFather; it sits in API URLs.")
    secret_token: SecretStr = Field(description="setWebhook secret_token (1-256 of A-Za-z0-9_-).")
    api_base_url: str = "https://api.telegram.org"

    def model_post_init(self, _context: object) -> None:
        """Reject a secret Telegram would refuse in setWebhook."""
        value = self.secret_token.get_secret_value()
        if not (1 <= len(value) <= 256) or not all(c.isalnum() or c in "_-" for c in value):
            raise ValueError("secret_token must be 1-256 characters of A-Za-z0-9_-")
