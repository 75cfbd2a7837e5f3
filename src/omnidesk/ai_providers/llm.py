"""A minimal OpenAI-compatible chat-completions client over httpx."""

from __future__ import annotations

from typing import Any

import httpx

from omnidesk.core.outbound import outbound_client


class LLMError(Exception):
    """The endpoint failed or answered something that is not a completion."""


class ChatCompletionsClient:
    """Call POST {base_url}/chat/completions of any OpenAI-compatible server."""

    def __init__(self, base_url: str, model: str, api_key: str | None = None,
                 timeout: float = 30.0, *, transport: httpx.AsyncBaseTransport | None = None
                 ) -> None:
        self.base_url = base_url.rstrip("/")
        self.model = model
        self.api_key = api_key
        self.timeout = timeout
        self.transport = transport

    def _headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.api_key}"} if self.api_key else {}

    async def complete(self, messages: list[dict[str, str]], *, max_tokens: int = 400,
                       temperature: float = 0.2) -> str:
        """Return the first choice's message text."""
        body: dict[str, Any] = {"model": self.model, "messages": messages,
                                "max_tokens": max_tokens, "temperature": temperature}
        async with outbound_client(timeout=self.timeout, transport=self.transport) as http:
            try:
                response = await http.post(f"{self.base_url}/chat/completions", json=body,
                                            headers=self._headers())
            except httpx.HTTPError as exc:
                raise LLMError(f"request failed: {type(exc).__name__}") from exc
        if response.status_code != 200:
            raise LLMError(f"endpoint answered {response.status_code}")
        try:
            return str(response.json()["choices"][0]["message"]["content"])
        except (ValueError, KeyError, IndexError, TypeError) as exc:
            raise LLMError("not a chat completion") from exc
