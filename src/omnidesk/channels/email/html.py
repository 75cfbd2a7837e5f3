"""Sanitise mail HTML with an allow-list: no scripts, handlers, javascript: or remote images."""

from __future__ import annotations

import nh3

ALLOWED_TAGS = frozenset({
    "a", "abbr", "b", "blockquote", "br", "code", "div", "em", "h1", "h2", "h3", "h4", "hr",
    "i", "img", "li", "ol", "p", "pre", "s", "span", "strong", "sub", "sup", "table", "tbody",
    "td", "th", "thead", "tr", "u", "ul",
})
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "width", "height"},
                      "td": {"colspan", "rowspan"}, "th": {"colspan", "rowspan"}}


def _drop_remote_images(tag: str, attribute: str, value: str) -> str | None:
    # Remote images are tracking pixels; only inline (cid:) images survive.
    if tag == "img" and attribute == "src" and not value.startswith("cid:"):
        return None
    return value


def sanitize(html: str) -> str:
    """Return HTML safe to show in a sandboxed frame."""
    return nh3.clean(html, tags=set(ALLOWED_TAGS), attributes=ALLOWED_ATTRIBUTES,
                     url_schemes={"http", "https", "mailto", "cid"},
                     attribute_filter=_drop_remote_images, link_rel="noopener noreferrer")
