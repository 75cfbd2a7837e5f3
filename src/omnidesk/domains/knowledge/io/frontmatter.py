"""Read and write the small YAML-like front matter used by markdown article files."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

FENCE = "---"
LIST_VALUE = re.compile(r"^\[(.*)\]$")
LIST_KEYS = frozenset({"tags", "related"})


class FrontMatterError(ValueError):
    """The file does not start with a well-formed front matter block."""


@dataclass
class MarkdownDocument:
    """A markdown file split into its metadata and its body."""

    meta: dict[str, str | list[str]] = field(default_factory=dict)
    body: str = ""


def _unquote(value: str) -> str:
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return value[1:-1].replace('\\"', '"')
    return value


def _parse_value(key: str, raw: str) -> str | list[str]:
    match = LIST_VALUE.match(raw.strip())
    if match:
        return [_unquote(item) for item in match.group(1).split(",") if item.strip()]
    if key in LIST_KEYS:
        return [_unquote(item) for item in raw.split(",") if item.strip()]
    return _unquote(raw)


def parse_markdown(text: str) -> MarkdownDocument:
    """Split `---`-fenced `key: value` front matter from the markdown body."""
    lines = text.lstrip("\ufeff").splitlines()
    if not lines or lines[0].strip() != FENCE:
        return MarkdownDocument(body=text.strip())
    try:
        end = next(i for i, line in enumerate(lines[1:], start=1) if line.strip() == FENCE)
    except StopIteration as exc:
        raise FrontMatterError("front matter is not closed with ---") from exc
    meta: dict[str, str | list[str]] = {}
    for line in lines[1:end]:
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        key, sep, raw = line.partition(":")
        if not sep:
            raise FrontMatterError(f"front matter line without a colon: {line!r}")
        meta[key.strip()] = _parse_value(key.strip(), raw)
    return MarkdownDocument(meta=meta, body="\n".join(lines[end + 1 :]).strip())


def _dump_value(value: str | list[str]) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(_dump_scalar(v) for v in value) + "]"
    return _dump_scalar(value)


def _dump_scalar(value: str) -> str:
    needs_quotes = any(ch in value for ch in ":[],#\"'") or value != value.strip()
    return '"' + value.replace('"', '\\"') + '"' if needs_quotes else value


def dump_markdown(doc: MarkdownDocument) -> str:
    """Write metadata and body back as a front-matter markdown file."""
    lines = [FENCE]
    lines += [f"{key}: {_dump_value(value)}" for key, value in doc.meta.items() if value != ""]
    lines += [FENCE, doc.body.strip(), ""]
    return "\n".join(lines)
