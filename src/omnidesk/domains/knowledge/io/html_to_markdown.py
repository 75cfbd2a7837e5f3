"""Convert the HTML of imported help center articles (Zendesk) to markdown."""

from __future__ import annotations

import re
from html.parser import HTMLParser

BLOCKS = {"p": "\n\n", "div": "\n\n", "br": "\n", "tr": "\n", "table": "\n\n", "blockquote": "\n\n"}
HEADINGS = {f"h{i}": "#" * i for i in range(1, 7)}
MARKS = {"strong": "**", "b": "**", "em": "*", "i": "*", "code": "`"}
SKIP = {"script", "style", "iframe", "object"}


class _Converter(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.lists: list[list[int]] = []  # one counter per open list; [-1] for bullets
        self.href: list[str | None] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attr = dict(attrs)
        if tag in SKIP:
            self.skipping += 1
        elif tag in HEADINGS:
            self.out.append(f"\n\n{HEADINGS[tag]} ")
        elif tag in BLOCKS:
            self.out.append(BLOCKS[tag])
        elif tag in MARKS:
            self.out.append(MARKS[tag])
        elif tag in ("ul", "ol"):
            self.lists.append([0 if tag == "ol" else -1])
            self.out.append("\n")
        elif tag == "li":
            depth = max(0, len(self.lists) - 1)
            counter = self.lists[-1] if self.lists else [-1]
            if counter[0] >= 0:
                counter[0] += 1
            bullet = f"{counter[0]}." if counter[0] >= 0 else "-"
            self.out.append("\n" + "  " * depth + bullet + " ")
        elif tag == "a":
            self.href.append(attr.get("href"))
            self.out.append("[")
        elif tag == "img" and attr.get("src"):
            self.out.append(f"![{attr.get('alt') or ''}]({attr['src']})")
        elif tag in ("td", "th"):
            self.out.append(" | ")

    def handle_endtag(self, tag: str) -> None:
        if tag in SKIP:
            self.skipping = max(0, self.skipping - 1)
        elif tag in MARKS:
            self.out.append(MARKS[tag])
        elif tag in ("ul", "ol") and self.lists:
            self.lists.pop()
            self.out.append("\n\n")
        elif tag == "a" and self.href:
            href = self.href.pop()
            self.out.append(f"]({href})" if href else "]")
        elif tag in HEADINGS or tag in BLOCKS:
            self.out.append("\n\n")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.out.append(re.sub(r"\s+", " ", data))


def html_to_markdown(html: str) -> str:
    """Return markdown for common article HTML; scripts and styles are dropped."""
    converter = _Converter()
    converter.feed(html)
    converter.close()
    text = "".join(converter.out)
    text = re.sub(r"[ \t]+\n", "\n", text)
    return re.sub(r"\n{3,}", "\n\n", text).strip()
