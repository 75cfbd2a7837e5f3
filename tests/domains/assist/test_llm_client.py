"""The chat-completions client against a real local server speaking the OpenAI format."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi import FastAPI, Header, Request
from fastapi.responses import JSONResponse, PlainTextResponse
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.ai_providers.llm import ChatCompletionsClient, LLMError
from omnidesk.domains.assist.service import build_assist
from tests.conftest import Persona
from tests.domains.assist.conftest import Returning
from tests.domains.assist.live_server import live_server


def openai_like(seen: list[dict[str, Any]]) -> FastAPI:
    """A chat-completions endpoint: checks the key, echoes a Korean draft; /v1/broken fails."""
    app = FastAPI()

    @app.post("/v1/chat/completions")
    async def complete(request: Request, authorization: str = Header("")) -> Any:
        if authorization != "Bearer sk-local":
            return JSONResponse({"error": {"message": "bad key"}}, status_code=401)
        body = await request.json()
        seen.append(body)
        return {"id": "chatcmpl-1", "object": "chat.completion", "model": body["model"],
                "choices": [{"index": 0, "finish_reason": "stop", "message": {
                    "role": "assistant", "content": " 주문하신 청소기 취소를 도와드리겠습니다. "}}],
                "usage": {"prompt_tokens": 10, "completion_tokens": 8, "total_tokens": 18}}

    @app.post("/broken/chat/completions")
    async def broken() -> PlainTextResponse:
        return PlainTextResponse("<html>gateway</html>")

    return app


@pytest.fixture
def llm_server() -> Iterator[tuple[str, list[dict[str, Any]]]]:
    """The server's base URL and the request bodies it received."""
    seen: list[dict[str, Any]] = []
    with live_server(openai_like(seen)) as url:
        yield url, seen


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
async def test_the_assist_draft_comes_from_the_endpoint_without_personal_data(
        session: AsyncSession, owner: Persona, returning: Returning,
        llm_server: tuple[str, list[dict[str, Any]]]) -> None:
    url, seen = llm_server
    client = ChatCompletionsClient(f"{url}/v1", "local-model", "sk-local", timeout=5)
    assist, _ = await build_assist(session, actor=owner.agent,
                                   conversation_id=returning.current_id, llm=client, locale="en")
    assert assist.draft == "주문하신 청소기 취소를 도와드리겠습니다."
    body = seen[0]
    assert body["model"] == "local-model" and body["max_tokens"] == 400
    assert [m["role"] for m in body["messages"]] == ["system", "user"]
    assert "Korean" in body["messages"][0]["content"]  # the customer's language, not the agent's
    prompt = json.dumps(body, ensure_ascii=False)
    assert "010-1234-5678" not in prompt and "minji@example.com" not in prompt


async def test_errors_become_llm_errors_and_no_draft(
        llm_server: tuple[str, list[dict[str, Any]]]) -> None:
    url, _ = llm_server
    messages = [{"role": "user", "content": "hi"}]
    with pytest.raises(LLMError, match="401"):
        await ChatCompletionsClient(f"{url}/v1", "m", "wrong").complete(messages)
    with pytest.raises(LLMError, match="not a chat completion"):
        await ChatCompletionsClient(f"{url}/broken", "m").complete(messages)
    with pytest.raises(LLMError, match="request failed"):
        await ChatCompletionsClient("http://127.0.0.1:9/v1", "m", timeout=2).complete(messages)
