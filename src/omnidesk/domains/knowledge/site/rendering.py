"""Markdown to safe HTML for articles, and markdown to plain text for the search index."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from html import unescape

import nh3
from markdown_it import MarkdownIt

ALLOWED_TAGS = frozenset((
    "a", "abbr", "b", "blockquote", "br", "code", "del", "details", "em", "h1", "h2", "h3",
    "h4", "h5", "h6", "hr", "i", "img", "kbd", "li", "mark", "ol", "p", "pre", "s", "small",
    "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr",
    "u", "ul",
))
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "td": {"align"},
    "th": {"align"},
    "code": {"class"},
}
URL_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
# A bare slug link such as (installation-booking) points at another article.
SLUG_LINK = re.compile(r"^[a-z0-9][a-z0-9-]*$")
INLINE_TAGS = re.compile(r"</?(?:strong|em|b|i|a|code|span|del|s|mark|sub|sup|kbd)\b[^>]*>")
TAGS = re.compile(r"<[^>]+>")
SPACES = re.compile(r"[ \t]+")


@lru_cache(maxsize=1)
def _markdown() -> MarkdownIt:
    # Raw HTML in markdown is turned off: it is escaped, not passed to the sanitizer.
    return MarkdownIt("commonmark", {"html": False, "linkify": False}).enable(
        ["table", "strikethrough"]
    )


def _rewrite_links(link_for_slug: Callable[[str], str]) -> Callable[[str, str, str], str | None]:
    def attribute_filter(tag: str, attr: str, value: str) -> str | None:
        if tag == "a" and attr == "href" and SLUG_LINK.match(value):
            return link_for_slug(value)
        return value

    return attribute_filter


def render_markdown(body: str, *, link_for_slug: Callable[[str], str] | None = None) -> str:
    """Render markdown to sanitized HTML: no scripts, no event handlers, no javascript: URLs."""
    raw_html = _markdown().render(body)
    return nh3.clean(
        raw_html,
        tags=set(ALLOWED_TAGS),
        attributes={k: set(v) for k, v in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(URL_SCHEMES),
        link_rel="noopener noreferrer",
        attribute_filter=_rewrite_links(link_for_slug) if link_for_slug else None,
    )


def markdown_to_text(body: str) -> str:
    """Return the readable text of markdown (no markup, one line per block)."""
    html = _markdown().render(body)
    html = re.sub(r"</(p|h[1-6]|li|tr|pre|blockquote)>", "\n", html)
    html = re.sub(r"</t[dh]>", " · ", html)
    html = INLINE_TAGS.sub("", html)  # "**반려견**은" reads 반려견은, not "반려견 은"
    text = unescape(TAGS.sub(" ", html))
    lines = (SPACES.sub(" ", line).strip(" ·") for line in text.splitlines())
    return "\n".join(line for line in lines if line)
