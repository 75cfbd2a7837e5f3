"""Answers grounded in the knowledge base: extractive by default, generated when an LLM is set.

The extractive answer quotes the best passage and links its article. A generated answer must cite
its passages and pass the grounding check sentence by sentence; otherwise, or when the endpoint
fails, the extractive answer is used. Personal data is masked before anything reaches the LLM.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from typing import Protocol

from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.domains.bot.grounding import NO_ANSWER, check_grounded
from omnidesk.domains.bot.privacy import mask
from omnidesk.domains.bot.texts import say
from omnidesk.domains.knowledge.service import HoursSource, Passage, search

log = logging.getLogger(__name__)
MAX_QUOTE = 280
MIN_MATCHED_TERMS = 2
# Another article scoring at least this share of the best one makes the best one doubtful: the
# bot asks which one is meant (2-3 choices) instead of quoting what may be the wrong article.
CLOSE_RUNNER_UP = 0.8
MAX_CHOICES = 3
STYLES = {  # the workspace's tone (settings.bot.tone) for generated answers
    ("ko", "friendly"): " Write in polite informal Korean (해요체).",
    ("ko", "formal"): " Write in formal Korean (합쇼체, e.g. '확인했습니다', '알려 주십시오').",
    ("en", "friendly"): " Write in a warm, casual style; contractions are fine.",
    ("en", "formal"): " Write formally: no contractions, say 'we' for the store.",
}


class ChatClient(Protocol):
    """An OpenAI-compatible chat-completions client (see ai_providers.llm)."""

    async def complete(self, messages: list[dict[str, str]], *, max_tokens: int = 400,
                       temperature: float = 0.2) -> str: ...


@dataclass(frozen=True)
class Answer:
    """A knowledge-base answer with where it came from."""

    text: str
    source: str  # kb_extractive | kb_generated | kb_clarify
    citations: list[str] = field(default_factory=list)
    score: float = 0.0
    choices: list[tuple[str, str]] = field(default_factory=list)  # (title, url) to pick from
    links: list[dict[str, str]] = field(default_factory=list)  # {"title", "url"} per article


async def relevant_passages(session: AsyncSession, *, workspace_id: int, question: str,
                            lang: str, min_score: float,
                            hours: HoursSource | None = None) -> list[Passage]:
    """Return the public passages that clearly match the question, best first."""
    found = await search(session, workspace_id=workspace_id, query=question, locale=lang,
                         limit=3, hours=hours)
    return [p for p in found if p.score >= min_score and len(
        [t for t in p.matched_terms if len(t) >= 2]) >= MIN_MATCHED_TERMS]


def doubtful_choices(passages: list[Passage]) -> list[Passage]:
    """Return the 2-3 articles to choose from when the best match is not clearly the answer."""
    if len(passages) < 2:
        return []
    best = passages[0].score
    close = [p for p in passages[:MAX_CHOICES] if p.score >= best * CLOSE_RUNNER_UP]
    return close if len({p.slug for p in close}) >= 2 else []


def clarifying_answer(passages: list[Passage], *, lang: str, urls: list[str],
                      tone: str = "friendly") -> Answer:
    """Ask which of a few articles the customer means, each with its title and link (cards in
    the widget, a titled link line elsewhere: see bot/delivery.py)."""
    pairs = list(zip([p.title for p in passages], urls, strict=True))
    return Answer(say("kb_clarify", lang, tone=tone), "kb_clarify", [p.slug for p in passages],
                  passages[0].score, pairs,
                  links=[{"title": title, "url": url} for title, url in pairs])


def article_url(base_url: str, workspace_slug: str, passage: Passage) -> str:
    """Link a passage's article in the help center."""
    return f"{base_url.rstrip('/')}/help/{workspace_slug}/{passage.locale}/articles/{passage.slug}"


def extractive_answer(passage: Passage, *, lang: str, url: str,
                      tone: str = "friendly") -> Answer:
    """Quote the passage's first sentences and link its article."""
    quote = " ".join(passage.text.split())
    if len(quote) > MAX_QUOTE:
        cut = max(quote.rfind(mark, 0, MAX_QUOTE) for mark in (". ", "다. ", "? ", "! "))
        quote = quote[: cut + 1] if cut > 40 else quote[: MAX_QUOTE - 1] + "…"
    return Answer(quote, "kb_extractive", [passage.slug], passage.score,
                  links=[{"title": passage.title, "url": url}])


def _prompt(question: str, passages: list[Passage], lang: str,
            tone: str = "friendly") -> list[dict[str, str]]:
    numbered = "\n\n".join(f"[{n}] {p.title}\n{mask(p.text)}"
                           for n, p in enumerate(passages, 1))
    language = "Korean" if lang == "ko" else "English"
    style = STYLES.get((lang if lang == "ko" else "en", tone), "")
    system = (f"You answer customers of an online store in {language}, in at most 3 short "
              "sentences, using ONLY the numbered passages. End every sentence with the number of "
              f"the passage that supports it, like [1]. If the passages do not answer the "
              f"question, reply exactly {NO_ANSWER}.{style}")
    return [{"role": "system", "content": system},
            {"role": "user", "content": f"Passages:\n{numbered}\n\nQuestion: {mask(question)}"}]


async def generated_answer(llm: ChatClient, question: str, passages: list[Passage], *,
                           lang: str, urls: list[str], tone: str = "friendly") -> Answer | None:
    """Ask the LLM for a cited answer; None when it fails, declines or is not grounded."""
    try:
        raw = await llm.complete(_prompt(question, passages, lang, tone), max_tokens=300,
                                 temperature=0.0)
    except Exception as exc:  # noqa: BLE001 - any endpoint failure falls back to extractive
        log.warning("llm answer failed: %s", type(exc).__name__)
        return None
    grounded = await asyncio.to_thread(check_grounded, raw, [p.text for p in passages])
    if grounded is None:
        log.info("llm answer rejected as ungrounded")
        return None
    cited = [passages[n - 1] for n in grounded.cited]
    links = [{"title": p.title, "url": urls[passages.index(p)]} for p in cited]
    return Answer(grounded.text, "kb_generated", [p.slug for p in cited],
                  max(p.score for p in cited), links=links)


async def answer_question(session: AsyncSession, *, workspace_id: int, workspace_slug: str,
                          question: str, lang: str, min_score: float, base_url: str,
                          llm: ChatClient | None = None, tone: str = "friendly",
                          hours: HoursSource | None = None) -> Answer | None:
    """Answer from the knowledge base, ask which article is meant when two are close, or None."""
    passages = await relevant_passages(session, workspace_id=workspace_id, question=question,
                                       lang=lang, min_score=min_score, hours=hours)
    if not passages:
        return None
    urls = [article_url(base_url, workspace_slug, p) for p in passages]
    choices = doubtful_choices(passages)
    if choices:
        return clarifying_answer(choices, lang=lang, urls=urls[: len(choices)], tone=tone)
    if llm is not None:
        generated = await generated_answer(llm, question, passages, lang=lang, urls=urls,
                                           tone=tone)
        if generated is not None:
            return generated
    return extractive_answer(passages[0], lang=lang, url=urls[0], tone=tone)

