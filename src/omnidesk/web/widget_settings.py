"""The web chat inbox's widget panel: appearance, pre-chat form, allowed sites, embed snippet.

The widget's look lives in the workspace's `widget` settings section (`engagement`'s
WidgetSettings, the one the widget frame reads); saving goes through `do_update_workspace` with
the same section check the settings API uses.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fastapi import Request

from omnidesk.domains.engagement.schemas import WidgetSettings
from omnidesk.domains.engagement.service import widget_settings
from omnidesk.web.deps import AgentPage

TEXT_FIELDS = ("title_ko", "title_en", "launcher_text_ko", "launcher_text_en", "greeting_ko",
               "greeting_en", "offline_ko", "offline_en")
PRECHAT = ("name", "email")


@dataclass(frozen=True)
class WidgetPanel:
    """What the widget section of the web inbox page shows."""

    settings: WidgetSettings
    allowed_sites: str
    snippet: str
    identity_secret: str
    public_url: str
    error: str | None = None


def allowed_sites(frame_ancestors: str) -> str:
    """Return the CSP frame-ancestors sources one per line ('*' is any site, shown blank)."""
    sources = [s for s in frame_ancestors.split() if s != "*"]
    return "\n".join(sources)


def frame_ancestors(lines: str) -> str:
    """Turn the allowed sites typed one per line into CSP sources ('*' when none)."""
    sources = [line.strip().rstrip("/") for line in lines.replace(",", "\n").splitlines()
               if line.strip()]
    return " ".join(["'self'", *sources]) if sources else "*"


def embed_snippet(public_url: str, slug: str) -> str:
    """Return the one tag a site pastes before </body>."""
    base = public_url.rstrip("/")
    return f'<script src="{base}/widget.js" data-workspace="{slug}" async></script>'


def widget_panel(request: Request, page: AgentPage, error: str | None = None) -> WidgetPanel:
    """Describe the widget panel from the stored settings."""
    settings = widget_settings(page.workspace)
    public_url = request.app.state.settings.public_url
    return WidgetPanel(
        settings=settings, allowed_sites=allowed_sites(settings.frame_ancestors),
        snippet=embed_snippet(public_url, page.workspace.slug),
        identity_secret=page.workspace.secret if page.user.role == "admin" else "",
        public_url=public_url, error=error)


def read_widget_form(form: dict[str, str], current: WidgetSettings) -> dict[str, Any]:
    """Read the widget form into the `widget` settings section (validated by its model)."""
    data: dict[str, Any] = {name: form.get(name, "").strip() for name in TEXT_FIELDS}
    data["color"] = form.get("color", "").strip()
    data["position"] = form.get("position", "right")
    data["prechat_fields"] = [name for name in PRECHAT if form.get(f"prechat_{name}")]
    data["frame_ancestors"] = frame_ancestors(form.get("allowed_sites", ""))
    return WidgetSettings.model_validate({**current.model_dump(), **data}).model_dump(mode="json")
