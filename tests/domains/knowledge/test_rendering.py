"""Article markdown renders to sanitized HTML."""

from __future__ import annotations

import re

import pytest

from omnidesk.domains.knowledge.site.rendering import markdown_to_text, render_markdown


@pytest.mark.parametrize("body", [
    "<script>alert(1)</script>",
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "![x](javascript:alert(1))",
    '<img src=x onerror="alert(1)">',
    "<a href=\"javascript:alert(1)\">x</a>",
    "[x](data:text/html;base64,PHNjcmlwdD4=)",
])
def test_nothing_executable_survives(body: str) -> None:
    # Text may still read "javascript:" (escaped); no real tag may carry it or a handler.
    tags = re.findall(r"<[a-z][^>]*>", render_markdown(body))
    assert not [t for t in tags if t.startswith("<script")]
    assert not [t for t in tags if re.search(r"(javascript|data):|\son\w+=", t, re.IGNORECASE)]


def test_markdown_features_render() -> None:
    html = render_markdown("## 보상\n\n| 상황 | 보상 |\n|---|---|\n| 노쇼 | **10,000점** |\n\n"
                           "[예약](installation-booking) [외부](https://example.com)",
                           link_for_slug=lambda slug: f"/help/hanbit/ko/articles/{slug}")
    assert "<h2>보상</h2>" in html and "<table>" in html and "<strong>10,000점</strong>" in html
    assert 'href="/help/hanbit/ko/articles/installation-booking"' in html
    assert 'href="https://example.com" rel="noopener noreferrer"' in html


def test_plain_text_drops_markup_for_the_index() -> None:
    assert markdown_to_text("## 제목\n- **굵게** [링크](x)") == "제목\n굵게 링크"
