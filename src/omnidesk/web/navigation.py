"""The staff layout's navigation: which sections and settings pages each person sees.

One list for every staff page's top bar and the settings pages' side list, so a page is shown
to exactly the people its route lets in (by role rank, or by a permission a custom role holds).
Labels are msgids the templates translate.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from starlette.routing import BaseRoute, Match

from omnidesk.core.context import ROLE_RANK, Actor


@dataclass(frozen=True)
class Link:
    """One navigation entry: its key (``nav_active``), address, label and who may open it."""

    key: str
    href: str
    label: str
    role: str = "agent"
    permissions: tuple[str, ...] = ()  # any of these also lets a lower role in

    def shown_to(self, actor: Actor) -> bool:
        """Tell whether this person may open the page (so whether to show it)."""
        if ROLE_RANK.get(actor.role, 0) >= ROLE_RANK[self.role]:
            return True
        return any(actor.can(permission) for permission in self.permissions)


SECTIONS = (
    Link("inbox", "/inbox", "Inbox"),
    Link("customers", "/customers", "Customers"),
    Link("mentions", "/mentions", "Mentions"),
    Link("kb", "/kb-admin", "Knowledge base"),
    Link("supervisor", "/supervisor", "Supervisor", role="supervisor"),
    Link("reports", "/reports", "Reports"),
    Link("settings", "/settings", "Settings"),
)
SETTINGS = (
    Link("getting_started", "/settings/getting-started", "Getting started", role="admin"),
    Link("profile", "/profile", "My profile"),
    Link("security", "/settings/security", "Sign-in security"),
    Link("canned", "/settings/canned", "Canned replies"),
    Link("team", "/settings/team", "Team", role="admin"),
    Link("inboxes", "/settings/inboxes", "Inboxes", role="supervisor"),  # read-only below admin
    Link("hours", "/settings/hours", "Business hours", role="supervisor"),  # read-only below admin
    Link("recognition", "/settings/recognition", "Greeting and closing lines", role="supervisor"),
    Link("routing", "/settings/routing", "Routing", role="supervisor"),
    Link("bot", "/settings/bot", "Bot", role="supervisor"),
    Link("store_policy", "/settings/store-policy", "Store policy", role="supervisor"),  # read-only
    Link("automation", "/settings/automation", "Automation and webhooks", role="supervisor"),
    Link("engagement", "/settings/engagement", "Proactive engagement", role="supervisor"),
    Link("surveys", "/settings/surveys", "Surveys", role="supervisor"),
    Link("api_tokens", "/settings/api-tokens", "API tokens", role="admin"),
    Link("audit", "/settings/audit", "Audit log", role="admin", permissions=("audit.read",)),
    Link("access_log", "/settings/access-log", "Access log", role="admin",
         permissions=("pii.access_log",)),
    Link("privacy", "/settings/privacy", "Retention and erasure", role="admin",
         permissions=("privacy.retention", "privacy.erase", "privacy.export")),
)
SETTINGS_KEYS = frozenset(link.key for link in SETTINGS)


@dataclass(frozen=True)
class Navigation:
    """What one person's top bar and settings list show."""

    sections: tuple[Link, ...]
    settings: tuple[Link, ...]

    def section_of(self, active: str | None) -> str | None:
        """Return the top-bar key to highlight for a page key (settings pages light Settings)."""
        return "settings" if active in SETTINGS_KEYS else active


def navigation_for(actor: Actor, *, routes: frozenset[str] | None = None) -> Navigation:
    """Return the links this person may open (only pages this app serves, when it says)."""
    def served(link: Link) -> bool:
        return routes is None or link.href in routes

    return Navigation(
        sections=tuple(link for link in SECTIONS if link.shown_to(actor) and served(link)),
        settings=tuple(link for link in SETTINGS if link.shown_to(actor) and served(link)),
    )


def served_paths(app_routes: Sequence[BaseRoute]) -> frozenset[str]:
    """Return the menu's addresses an app answers GET on (so it never links to a missing page)."""
    def served(href: str) -> bool:
        scope = {"type": "http", "method": "GET", "path": href, "root_path": "",
                 "path_params": {}}
        return any(route.matches(scope)[0] == Match.FULL for route in app_routes)

    return frozenset(link.href for link in (*SECTIONS, *SETTINGS) if served(link.href))
