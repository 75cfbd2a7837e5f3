"""Highlights: the best window of a passage with the query's terms wrapped in <mark>."""

from __future__ import annotations

import re
from collections.abc import Iterable
from html import escape

from omnidesk.domains.knowledge.search.terms import is_hangul

SNIPPET_CHARS = 220


def _term_pattern(terms: Iterable[str]) -> re.Pattern[str] | None:
    parts = []
    for term in sorted(set(terms), key=len, reverse=True):
        # One-syllable Korean stems (오, 안) would light up half the text; they still rank.
        if is_hangul(term) and len(term) < 2:
            continue
        if term.isascii() and term.isalpha():
            parts.append(r"\b" + re.escape(term) + r"[a-z]*")
        elif len(term) >= 1:
            parts.append(re.escape(term))
    return re.compile("|".join(parts), re.IGNORECASE) if parts else None


def _best_window(text: str, spans: list[tuple[int, int]], size: int) -> tuple[int, int]:
    if len(text) <= size or not spans:
        return 0, min(len(text), size)
    best_start, best_hits = 0, -1
    for start, _ in spans:
        begin = max(0, start - size // 4)
        hits = sum(1 for s, e in spans if s >= begin and e <= begin + size)
        if hits > best_hits:
            best_start, best_hits = begin, hits
    return best_start, min(len(text), best_start + size)


def highlight(text: str, terms: Iterable[str], *, size: int = SNIPPET_CHARS) -> str:
    """Return an HTML-escaped snippet of text around the densest matches, matches in <mark>."""
    pattern = _term_pattern(terms)
    spans = [m.span() for m in pattern.finditer(text)] if pattern else []
    start, end = _best_window(text, spans, size)
    out: list[str] = ["…" if start > 0 else ""]
    cursor = start
    for s, e in spans:
        if s < start or e > end:
            continue
        out += [escape(text[cursor:s]), "<mark>", escape(text[s:e]), "</mark>"]
        cursor = e
    out += [escape(text[cursor:end]), "…" if end < len(text) else ""]
    return "".join(out).replace("\n", " ")
