"""Rank reply suggestions from canned responses, similar resolved conversations and the KB.

Retrieval only (works offline): TF-IDF over Korean morphemes/English stems
(`omnidesk.core.text.tokenize`) blended with character n-grams, which survive missing spaces and
typos ("설치기사님이안왔어요"). Scores are cosine similarities weighted per source.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # scikit-learn loads on the first ranking, not at start (see nlu.classifier)
    import numpy as np

from omnidesk.core.pii import mask_text
from omnidesk.core.text import tokenize
from omnidesk.domains.assist.schemas import Suggestion

WEIGHTS = {"canned": 1.0, "article": 0.95, "conversation": 0.85}
WORD_SHARE = 0.6
MIN_SCORE = 0.05
VARIABLE = re.compile(r"\{(\w+)\}")
HANGUL = re.compile(r"[가-힣]")
MARK = re.compile(r"</?mark>")


@dataclass(frozen=True)
class Candidate:
    """A piece of text that could answer the query."""

    source: str
    title: str
    match_text: str  # what the query is compared with
    reply: str  # what the agent would send
    ref: str | None = None


def fill_variables(text: str, variables: dict[str, str]) -> str:
    """Fill known `{variable}` placeholders and leave unknown ones for the agent to edit."""
    return VARIABLE.sub(lambda m: variables.get(m.group(1), m.group(0)), text)


def _similarities(query: str, docs: list[str]) -> np.ndarray:
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.metrics.pairwise import cosine_similarity

    corpus = [query, *docs]
    word = TfidfVectorizer(tokenizer=tokenize, lowercase=False, token_pattern=None,
                           sublinear_tf=True)
    chars = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4), sublinear_tf=True)
    scores = np.zeros(len(docs))
    for vectorizer, share in ((word, WORD_SHARE), (chars, 1 - WORD_SHARE)):
        try:
            matrix = vectorizer.fit_transform(corpus)
        except ValueError:  # empty vocabulary (query of stop words only)
            continue
        scores += share * cosine_similarity(matrix[0], matrix[1:]).ravel()
    return scores


def rank(query: str, candidates: list[Candidate], *, limit: int = 5) -> list[Suggestion]:
    """Return the candidates most similar to the query, best first, one per reply text."""
    if not query.strip() or not candidates:
        return []
    scores = _similarities(query, [c.match_text for c in candidates])
    ranked = sorted(zip(candidates, scores, strict=True),
                    key=lambda pair: -pair[1] * WEIGHTS.get(pair[0].source, 1.0))
    out: list[Suggestion] = []
    seen: set[str] = set()
    for candidate, score in ranked:
        weighted = float(score) * WEIGHTS.get(candidate.source, 1.0)
        if weighted < MIN_SCORE or candidate.reply in seen:
            continue
        seen.add(candidate.reply)
        out.append(Suggestion(source=candidate.source, title=candidate.title,
                              text=candidate.reply, score=round(weighted, 4), ref=candidate.ref))
        if len(out) == limit:
            break
    return out


def canned_candidates(rows: list[Any], variables: dict[str, str]) -> list[Candidate]:
    """Turn canned responses into candidates with their variables filled."""
    return [Candidate("canned", f"/{r.shortcut} · {r.title}", f"{r.title} {r.shortcut} {r.body}",
                      fill_variables(r.body, variables), ref=f"canned:{r.id}") for r in rows]


@dataclass
class Thread:
    """A resolved conversation: its public messages, whose it was and which order it was about."""

    messages: list[tuple[str, str]] = field(default_factory=list)  # (author_kind, text)
    customer_name: str | None = None
    order_number: str | None = None
    language: str | None = None


def _without_name(text: str, name: str | None) -> str:
    """Take another customer's name out of a reply ("김은비 고객님," -> "고객님,")."""
    name = (name or "").strip()
    if not name:
        return text
    if HANGUL.search(name):
        text = re.sub(rf"{re.escape(name)}\s*(?:고객님|님)?", "고객님", text)
        return re.sub(rf"{re.escape(name[1:])}\s*님", "고객님", text) if len(name) == 3 else text
    for token in sorted({name, *name.split()}, key=len, reverse=True):
        if len(token) >= 2:
            text = re.sub(rf"\s*\b{re.escape(token)}\b", "", text)
    text = re.sub(r"^[\s,]+", "", text)
    return text[:1].upper() + text[1:]


# Dates of another customer's delivery, visit or refund ("7월 18일", "Jul 18", "2026-07-18").
DATE = re.compile(r"\d{1,2}\s*월\s*\d{1,2}\s*일|\d{4}[-./]\d{1,2}[-./]\d{1,2}|"
                  r"\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.? \d{1,2}\b")


def belongs_to_this_customer(reply: str) -> bool:
    """Tell whether a reused reply holds only this customer's facts.

    A `{variable}` left unfilled is a fact this customer does not have, and a date is another
    customer's delivery or visit: such a reply would tell them someone else's story.
    """
    return not VARIABLE.search(reply) and not DATE.search(reply)


def generalize(reply: str, thread: Thread, variables: dict[str, str]) -> str:
    """Make another customer's reply reusable: mask personal data, drop their name and order."""
    text = _without_name(mask_text(reply), thread.customer_name)
    if thread.order_number:
        text = text.replace(thread.order_number, "{order_number}")
    return fill_variables(text, variables)


def conversation_candidates(threads: dict[int, Thread],
                            variables: dict[str, str] | None = None) -> list[Candidate]:
    """Turn resolved conversations into candidates.

    The customer's words are matched; the agent's most substantial reply is suggested, with the
    other customer's personal data, name and order number taken out.
    """
    found = []
    for conv_id, thread in threads.items():
        asked = " ".join(t for kind, t in thread.messages if kind == "customer")[:1500]
        replies = [t for kind, t in thread.messages if kind == "agent"]
        if not asked or not replies:
            continue
        reply = generalize(max(replies, key=len), thread, variables or {})
        if not belongs_to_this_customer(reply):
            continue
        found.append(Candidate("conversation", f"#{conv_id}", asked, reply,
                               ref=f"conversation:{conv_id}"))
    return found


def article_suggestions(hits: list[Any], *, limit: int = 3) -> list[Suggestion]:
    """Adapt knowledge-base search hits (objects or dicts) to suggestions."""
    out = []
    for hit in hits[:limit]:
        get = hit.get if isinstance(hit, dict) else (lambda k, h=hit: getattr(h, k, None))
        title = get("title") or get("slug") or ""
        # Knowledge snippets are HTML with <mark> highlights; suggestions are plain text.
        text = html.unescape(MARK.sub("", str(get("snippet") or get("answer") or get("summary")
                                              or get("text") or "")))
        score = float(get("score") or 0.0)
        out.append(Suggestion(source="article", title=str(title), text=str(text),
                              score=round(score * WEIGHTS["article"], 4),
                              ref=f"article:{get('slug') or get('id')}"))
    return out
