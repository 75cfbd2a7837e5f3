"""Split an article into passages: the summary, then one passage per section or paragraph run."""

from __future__ import annotations

import re
from dataclasses import dataclass

from omnidesk.domains.knowledge.site.rendering import markdown_to_text

HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
MAX_PASSAGE_CHARS = 700


@dataclass(frozen=True)
class PassageText:
    """One retrievable unit of an article: its section heading and its plain text."""

    position: int
    heading: str
    text: str


def _sections(body: str) -> list[tuple[str, str]]:
    sections: list[tuple[str, list[str]]] = [("", [])]
    in_code = False
    for line in body.splitlines():
        if line.lstrip().startswith("```"):
            in_code = not in_code
        match = None if in_code else HEADING.match(line)
        if match:
            sections.append((match.group(2).strip(), []))
        else:
            sections[-1][1].append(line)
    return [(heading, "\n".join(lines)) for heading, lines in sections]


def _chunks(text: str) -> list[str]:
    """Cut long section text at line boundaries into pieces of at most MAX_PASSAGE_CHARS."""
    chunks: list[str] = []
    current: list[str] = []
    size = 0
    for line in text.splitlines():
        if current and size + len(line) > MAX_PASSAGE_CHARS:
            chunks.append("\n".join(current))
            current, size = [], 0
        current.append(line)
        size += len(line) + 1
    if current:
        chunks.append("\n".join(current))
    return chunks


def split_passages(*, title: str, summary: str, body: str) -> list[PassageText]:
    """Return the article's passages in reading order, the summary first."""
    passages: list[PassageText] = []
    if summary.strip():
        passages.append(PassageText(0, title, summary.strip()))
    for heading, markdown in _sections(body):
        text = markdown_to_text(markdown)
        for chunk in _chunks(text):
            if chunk.strip():
                passages.append(PassageText(len(passages), heading or title, chunk.strip()))
    if not passages:
        passages.append(PassageText(0, title, title))
    return passages
