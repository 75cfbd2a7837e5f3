"""Per-workspace settings of the Naver TalkTalk (네이버 톡톡) chatbot API channel."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, SecretStr


class NaverTalkConfig(BaseModel):
    """One TalkTalk partner account connected through the chatbot API."""

    model_config = ConfigDict(extra="forbid")

    authorization_key: SecretStr = Field(description="보내기 API key from the partner center.")
    path_token: SecretStr = Field(description="Unguessable `token` query parameter: TalkTalk "
                                              "signs nothing, so the URL is the secret.")
    api_url: str = "https://gw.talk.naver.com/chatbot/v1/event"
