"""Per-workspace settings of the Twilio voice channel, including the IVR menu."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr

Language = Literal["ko", "en"]
SPEECH_LOCALES: dict[Language, str] = {"ko": "ko-KR", "en": "en-US"}


def _connecting_lines() -> dict[Language, str]:
    return {"ko": "상담원을 연결해 드리겠습니다.", "en": "Connecting you to an agent."}


def _deflected_lines() -> dict[Language, str]:
    return {"ko": "문자로 상담 링크를 보내드렸습니다. 감사합니다.",
            "en": "We have texted you a link to chat with us. Thank you."}


class IvrOption(BaseModel):
    """One menu choice: a key and spoken keywords that lead to an action."""

    model_config = ConfigDict(extra="forbid")

    digit: str = Field(pattern=r"^[0-9*#]$")
    keywords: dict[Language, list[str]] = Field(default_factory=dict,
                                                description="Spoken phrases per language.")
    action: Literal["queue", "dial", "deflect_sms", "language"]
    target: str = Field(description="Queue name, E.164 number, or language code.")


class IvrMenu(BaseModel):
    """The spoken menu of a workspace's phone line, in Korean and English."""

    model_config = ConfigDict(extra="forbid")

    prompts: dict[Language, str] = Field(description="Menu prompt read out per language.")
    connecting: dict[Language, str] = Field(default_factory=_connecting_lines)
    deflected: dict[Language, str] = Field(default_factory=_deflected_lines)
    options: list[IvrOption]
    default_language: Language = "ko"
    fallback_queue: str = Field("support", description="Queue used after too many retries.")
    max_retries: int = Field(3, ge=1, le=5)
    timeout_seconds: int = Field(5, ge=1, le=30)
    speech_model: str = Field("phone_call", description="Pinned STT model (defaults changed).")
    speech_confidence_floor: float = Field(0.5, ge=0, le=1)

    def spoken_language(self, requested: str | None, fallback: Language) -> Language:
        """Return the requested language when the menu has a prompt in it, else the fallback."""
        return next((lang for lang in self.prompts if lang == requested), fallback)


class TwilioVoiceConfig(BaseModel):
    """A Twilio number answering calls with an IVR for one workspace."""

    model_config = ConfigDict(extra="forbid")

    account_sid: str = Field(pattern=r"^AC[0-9A-Za-z]{32}$")
    auth_token: SecretStr
    from_number: str = Field(pattern=r"^\+[1-9]\d{6,14}$", description="The voice number.")
    api_base_url: str = "https://api.twilio.com"
    public_webhook_base: str | None = None
    webhook_path: str = Field(description="Path of this line's webhook, used in Gather action.")
    deflection_link: str = Field(description="Chat link texted to callers who pick messaging.")
    menu: IvrMenu
