"""Per-workspace settings of the Twilio SMS channel."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, SecretStr, model_validator


class TwilioSmsConfig(BaseModel):
    """A Twilio account (or compatible provider) sending and receiving SMS for one workspace."""

    model_config = ConfigDict(extra="forbid")

    account_sid: str = Field(pattern=r"^AC[0-9A-Za-z]{32}$", description="Twilio Account SID.")
    auth_token: SecretStr = Field(description="Auth Token: signs webhooks and the REST API.")
    from_number: str | None = Field(None, pattern=r"^\+[1-9]\d{6,14}$",
                                    description="Sender in E.164 (a 발신번호 registered in Korea).")
    messaging_service_sid: str | None = Field(None, pattern=r"^MG[0-9A-Za-z]{32}$",
                                              description="Send through a Messaging Service.")
    api_base_url: str = Field("https://api.twilio.com", description="REST API base URL.")
    public_webhook_base: str | None = Field(
        None, description="Public scheme://host Twilio calls, when behind a TLS proxy.")
    status_callback_url: str | None = Field(None, description="Where Twilio posts statuses.")

    @model_validator(mode="after")
    def _needs_a_sender(self) -> TwilioSmsConfig:
        if not (self.from_number or self.messaging_service_sid):
            raise ValueError("set from_number or messaging_service_sid")
        return self
