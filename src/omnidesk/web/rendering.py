"""Template filters: escaped text with safe links, times in the workspace's zone."""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from babel.dates import format_skeleton
from jinja2 import Environment, pass_context
from jinja2.runtime import Context
from markupsafe import Markup, escape

from omnidesk.core.pii import mask_email, mask_phone
from omnidesk.domains.conversations.service import shown_text
from omnidesk.web.i18n import context_language, translate

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


def relative_date(value: dt.datetime | None, language: str, zone: str = DEFAULT_ZONE,
                  now: dt.datetime | None = None) -> str:
    """Say when, as inbox lists do: 15:22 today, "어제"/"Yesterday", "12월 2일"/"Dec 2"."""
    if value is None:
        return ""
    tz = ZoneInfo(zone)
    local, today = value.astimezone(tz), (now or dt.datetime.now(dt.UTC)).astimezone(tz).date()
    if local.date() == today:
        return local.strftime("%H:%M")
    if local.date() == today - dt.timedelta(days=1):
        return translate(language, "Yesterday")
    skeleton = "MMMd" if local.year == today.year else "yMMMd"
    return format_skeleton(skeleton, local, locale=language)


@pass_context
def _relative_date(ctx: Context, value: dt.datetime | None) -> str:
    workspace = ctx.get("workspace")
    zone = getattr(workspace, "timezone", None) or DEFAULT_ZONE
    return relative_date(value, context_language(ctx), zone)


def iso_time(value: str | None) -> dt.datetime | None:
    """Read an ISO 8601 time stored as text (event data), None when it is not one."""
    try:
        return dt.datetime.fromisoformat(value) if value else None
    except ValueError:
        return None


def install_filters(env: Environment) -> None:
    """Register the filters on a Jinja environment."""
    env.filters["linkify"] = linkify
    env.filters["safe_url"] = safe_url
    env.filters["local_time"] = local_time
    env.filters["relative_date"] = _relative_date
    env.filters["iso_time"] = iso_time
    env.filters["mask_email"] = mask_email  # contact data shown outside a logged reveal
    env.filters["mask_phone"] = mask_phone
    env.filters["shown"] = shown_text  # message text and subjects as staff see them (masked)
