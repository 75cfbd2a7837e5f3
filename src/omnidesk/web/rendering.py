"""Template filters: escaped text with safe links, times in the workspace's zone."""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from jinja2 import Environment
from markupsafe import Markup, escape

URL = re.compile(r"https?://[^\s<>\"']+", re.IGNORECASE)
# Browsers drop or rewrite these inside URLs ("java\tscript:", "/\\evil.example"): never a link.
URL_TRAPS = re.compile(r"[\x00-\x20\x7f\\]")
TRAILING = ".,!?)]}'\""
DEFAULT_ZONE = "Asia/Seoul"


def linkify(text: str | None) -> Markup:
    """Escape customer text and turn only http(s) URLs into links that open safely."""
    source = text or ""
    out: list[str] = []
    last = 0
    for match in URL.finditer(source):
        url = match.group(0)
        trimmed = url.rstrip(TRAILING)
        out.append(str(escape(source[last:match.start()])))
        out.append(f'<a href="{escape(trimmed)}" target="_blank" '
                   f'rel="noopener noreferrer nofollow ugc">{escape(trimmed)}</a>')
        last = match.start() + len(trimmed)
    out.append(str(escape(source[last:])))
    return Markup("".join(out))


def safe_url(url: str | None) -> str | None:
    """Return a URL that may become a link or image (http(s), or a path on this site), else None."""
    value = (url or "").strip()
    if not value or URL_TRAPS.search(value):
        return None
    if value.startswith("/"):
        return None if value.startswith("//") else value
    parts = urlsplit(value)
    return value if parts.scheme.lower() in ("http", "https") and parts.netloc else None


def local_time(value: dt.datetime | None, fmt: str = "%m-%d %H:%M",
               zone: str = DEFAULT_ZONE) -> str:
    """Format an aware datetime in a time zone."""
    if value is None:
        return ""
    return value.astimezone(ZoneInfo(zone)).strftime(fmt)


def install_filters(env: Environment) -> None:
    """Register the filters on a Jinja environment."""
    env.filters["linkify"] = linkify
    env.filters["safe_url"] = safe_url
    env.filters["local_time"] = local_time
