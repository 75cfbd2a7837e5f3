"""Help center building blocks: the category tree, article links, sitemap and UI strings."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

from omnidesk.domains.knowledge.models import KbCategory

UI_STRINGS = {
    "ko": {
        "help_center": "고객센터",
        "search_placeholder": "무엇을 도와드릴까요? 예: 설치 기사님이 안 왔어요",
        "search": "검색",
        "results_for": "검색 결과",
        "no_results": "검색 결과가 없어요. 다른 말로 검색하거나 채팅으로 문의해 주세요.",
        "helpful_question": "이 글이 도움이 되었나요?",
        "yes": "네",
        "no": "아니요",
        "thanks": "의견 감사합니다!",
        "already_voted": "이미 의견을 남기셨어요.",
        "related": "관련 글",
        "other_language": "English",
        "categories": "카테고리",
        "popular": "자주 찾는 글",
        "home": "홈",
        "updated": "업데이트",
        "not_found": "찾으시는 글이 없어요.",
        "support_hours": "상담 시간",
        "open_now": "지금 상담 가능",
        "closed_now": "지금은 상담 시간이 아니에요",
        "next_opening": "다음 상담 시작",
        "holidays": "휴무일",
        "contact_us": "문의하기",
        "contact_question": "이 글로 해결되지 않았나요?",
        "about_article": "이 글에 대해 문의드려요",
    },
    "en": {
        "help_center": "Help Center",
        "search_placeholder": "How can we help? e.g. the installer did not come",
        "search": "Search",
        "results_for": "Results",
        "no_results": "No results. Try other words or chat with us.",
        "helpful_question": "Was this article helpful?",
        "yes": "Yes",
        "no": "No",
        "thanks": "Thanks for your feedback!",
        "already_voted": "You already told us.",
        "related": "Related articles",
        "other_language": "한국어",
        "categories": "Categories",
        "popular": "Popular articles",
        "home": "Home",
        "updated": "Updated",
        "not_found": "We could not find that article.",
        "support_hours": "Support hours",
        "open_now": "Open now",
        "closed_now": "Closed now",
        "next_opening": "Next opening",
        "holidays": "Holidays",
        "contact_us": "Contact us",
        "contact_question": "Still need help?",
        "about_article": "A question about this article",
    },
}


@dataclass
class CategoryNode:
    """A category with its display name and children, for the help center home."""

    slug: str
    name: str
    children: list[CategoryNode] = field(default_factory=list)
    article_count: int = 0


def category_name(category: KbCategory, locale: str) -> str:
    """Return the category's name in a locale, falling back to any name, then the slug."""
    names = category.names or {}
    return names.get(locale) or next(iter(names.values()), category.slug)


def category_tree(
    categories: Sequence[KbCategory], locale: str, counts: dict[int, int], *,
    hidden: Iterable[str] = ("internal",),
) -> list[CategoryNode]:
    """Build the visible tree; categories with no articles below them are left out."""
    nodes = {c.id: CategoryNode(c.slug, category_name(c, locale), [], counts.get(c.id, 0))
             for c in categories if c.slug not in set(hidden)}
    roots: list[CategoryNode] = []
    for c in categories:
        if c.id not in nodes:
            continue
        parent = nodes.get(c.parent_id) if c.parent_id else None
        (parent.children if parent else roots).append(nodes[c.id])

    def total(node: CategoryNode) -> int:
        return node.article_count + sum(total(child) for child in node.children)

    for node in nodes.values():
        node.children = [child for child in node.children if total(child)]
    return [root for root in roots if total(root)]


def article_path(workspace_slug: str, locale: str, slug: str) -> str:
    """Return the help center path of an article."""
    return f"/help/{workspace_slug}/{locale}/articles/{slug}"


def sitemap_xml(entries: Iterable[tuple[str, dt.datetime | None]]) -> str:
    """Return a sitemaps.org urlset for (absolute URL, last modified) pairs."""
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    for url, modified in entries:
        lastmod = f"<lastmod>{modified.date().isoformat()}</lastmod>" if modified else ""
        lines.append(f"  <url><loc>{escape(url)}</loc>{lastmod}</url>")
    lines.append("</urlset>")
    return "\n".join(lines) + "\n"
