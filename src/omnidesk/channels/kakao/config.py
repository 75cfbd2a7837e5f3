"""Per-workspace settings of KakaoTalk: skill server, 상담톡 dealer API, 알림톡 via NHN Cloud."""

from __future__ import annotations

import re

from pydantic import BaseModel, ConfigDict, Field, SecretStr, field_validator


def is_valid_sender_number(number: str) -> bool:
    """Check a Korean 발신번호 shape: 8-11 digits; 15YY/16YY/18YY exactly 8; mobiles 01X."""
    if not re.fullmatch(r"\d{8,11}", number):
        return False
    if re.match(r"1[568]\d{2}", number):
        return len(number) == 8
    return number.startswith("0")


class SkillSettings(BaseModel):
    """i 오픈빌더 skill server: Kakao signs nothing, so lock it down several ways."""

    model_config = ConfigDict(extra="forbid")

    bot_id: str = Field(description="Only requests for this bot.id are accepted.")
    path_token: SecretStr = Field(description="Unguessable `token` query parameter in the URL.")
    allowed_source_ips: list[str] = Field(default_factory=list,
                                          description="Kakao's published ranges (CIDR).")
    ack_text: str = Field("문의를 확인하고 있어요. 잠시만 기다려 주세요.", max_length=1000)
    handoff_label: str = Field("상담원 연결", max_length=14)
    use_callback: bool = Field(False, description="Bot approved for AI-chatbot callbacks.")


class CounselSettings(BaseModel):
    """상담톡 through an authorised dealer (hub partner) API."""

    model_config = ConfigDict(extra="forbid")

    base_url: str
    send_path: str = "/v1/chat/write"
    client_id: str
    client_secret: SecretStr
    client_id_header: str = "HT-Client-Id"
    client_secret_header: str = "HT-Client-Secret"
    sender_key: str = Field(max_length=40, description="The Kakao channel profile key.")
    webhook_header: str = Field("X-Dealer-Token", description="Header the dealer signs us with.")
    webhook_token: SecretStr


class AlimtalkSettings(BaseModel):
    """알림톡 through NHN Cloud Bizmessage v2.2, with SMS/LMS failover."""

    model_config = ConfigDict(extra="forbid")

    base_url: str = "https://api-alimtalk.cloud.toast.com"
    app_key: str
    secret_key: SecretStr
    sender_key: str = Field(max_length=40)
    fallback_sender_no: str | None = Field(None, description="Pre-registered 발신번호.")

    @field_validator("fallback_sender_no")
    @classmethod
    def _registered_shape(cls, value: str | None) -> str | None:
        if value is not None and not is_valid_sender_number(value):
            raise ValueError("not a valid Korean sender number (8-11 digits)")
        return value


class KakaoConfig(BaseModel):
    """Which of Kakao's three pipes this workspace uses."""

    model_config = ConfigDict(extra="forbid")

    skill: SkillSettings | None = None
    counsel: CounselSettings | None = None
    alimtalk: AlimtalkSettings | None = None
