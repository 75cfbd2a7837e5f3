"""Optional LLM drafting: a reply grounded in the retrieved suggestions, never free invention.

The domain only knows the small `ChatClient` protocol; the app injects an implementation (see
`omnidesk.ai_providers.llm.ChatCompletionsClient`). Personal data is masked before the prompt
leaves the process; without a client, or when the call fails, there is simply no draft.
"""

from __future__ import annotations

import logging
from typing import Protocol

from omnidesk.core.pii import mask_text
from omnidesk.domains.assist.schemas import CustomerProfile, Suggestion

log = logging.getLogger(__name__)


class ChatClient(Protocol):
    """An OpenAI-compatible chat completion call."""

    async def complete(self, messages: list[dict[str, str]], *, max_tokens: int = 400) -> str: ...


def build_prompt(messages: list[tuple[str, str]], sources: list[Suggestion],
                 profile: CustomerProfile | None, locale: str) -> list[dict[str, str]]:
    """Build the grounded prompt: sources, customer context and the recent conversation."""
    language = "Korean (polite 존댓말)" if locale == "ko" else "English"
    numbered = "\n".join(f"[{i + 1}] ({s.source}) {mask_text(s.text)}"
                         for i, s in enumerate(sources))
    context = ""
    if profile is not None:
        context = (f"Customer tier: {profile.tier.name}; open order: "
                   f"{profile.open_order.external_id if profile.open_order else 'none'}.")
    system = ("You draft a reply for a customer-service agent, who will edit it before sending. "
              f"Write in {language}. Use only facts from the numbered sources and the context; "
              "if they do not answer the question, say you will check and get back. "
              "Do not include personal data. Reply with the message text only.")
    history = "\n".join(f"{kind}: {mask_text(text)}" for kind, text in messages[-8:])
    user = f"Sources:\n{numbered or '(none)'}\n\n{context}\n\nConversation:\n{history}"
    return [{"role": "system", "content": system}, {"role": "user", "content": user}]


async def draft_reply(client: ChatClient | None, messages: list[tuple[str, str]],
                      sources: list[Suggestion], profile: CustomerProfile | None,
                      locale: str) -> str | None:
    """Ask the LLM for a grounded draft; None without a client or on failure."""
    if client is None or not messages:
        return None
    try:
        text = await client.complete(build_prompt(messages, sources, profile, locale))
    except Exception as exc:  # noqa: BLE001 - any provider failure degrades to no draft
        log.warning("LLM draft failed: %s", type(exc).__name__)
        return None
    return text.strip() or None
