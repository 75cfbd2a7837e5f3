"""The proactive engagement page: campaigns with their reports, and a form to add one.

Admins write; supervisors read. Every write goes through the engagement domain's actions, the
same as the JSON API (`/api/v1/engagement/campaigns`); a problem comes back on the page with
what was typed and the 4xx status of the error.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.core.errors import DomainError
from omnidesk.core.http import SessionDep
from omnidesk.core.schemas import Id
from omnidesk.domains.agents.service import list_users
from omnidesk.domains.commerce.models import BEHAVIOUR_KINDS
from omnidesk.domains.engagement import campaign_actions
from omnidesk.domains.engagement.campaign_service import (
    campaign_stats,
    engagement_settings,
    get_campaign,
    list_campaigns,
)
from omnidesk.domains.engagement.schemas import CampaignCreate, CampaignUpdate
from omnidesk.domains.engagement.service import list_templates
from omnidesk.domains.workspaces.service import get_workspace
from omnidesk.web.deps import AgentPage, agent_page, render
from omnidesk.web.settings_forms import admin_post
from omnidesk.web.supervisor import supervisor_page

router = APIRouter(include_in_schema=False)
PATH = "/settings/engagement"


async def _context(session: AsyncSession, page: AgentPage) -> dict[str, Any]:
    ws = page.actor.workspace_id
    campaigns = await list_campaigns(session, workspace_id=ws)
    workspace = await get_workspace(session, workspace_id=ws)
    return {"campaigns": campaigns,
            "stats": await campaign_stats(session, workspace_id=ws, campaigns=campaigns),
            "agents": await list_users(session, workspace_id=ws),
            "templates": [t for t in await list_templates(session, workspace_id=ws)
                          if t.status == "approved"],
            "event_kinds": BEHAVIOUR_KINDS, "rules": engagement_settings(workspace),
            "can_edit": page.user.role == "admin", "path": PATH}


async def _show(request: Request, session: AsyncSession, page: AgentPage, *,
                status: int = 200, **values: Any) -> Response:
    form = values.pop("form", None) or {}
    return render(request, page, "settings/engagement.html", status_code=status, form=form,
                  **values, **await _context(session, page))


@router.get(PATH, response_class=HTMLResponse)
async def engagement_page(request: Request, session: SessionDep) -> Response:
    """Show the campaigns with what each achieved, and the rules every campaign obeys."""
    page = await supervisor_page(request, session)
    if not isinstance(page, AgentPage):
        return page
    return await _show(request, session, page)


def _campaign_in(form: dict[str, str]) -> CampaignCreate:
    """Read the form into a campaign (the schema validates every field)."""
    def listed(name: str) -> list[str]:
        return [v.strip() for v in form.get(name, "").split(",") if v.strip()]

    def number(name: str) -> str | None:
        return form.get(name) or None

    params = dict(line.split("=", 1) for line in form.get("params", "").splitlines()
                  if "=" in line)
    return CampaignCreate.model_validate({
        "name": form.get("name", ""), "purpose": form.get("purpose", "service"),
        "conversion_hours": number("conversion_hours") or 24,
        "trigger": {k: v for k, v in {
            "kind": form.get("trigger_kind", ""), "minutes": number("minutes"),
            "min_value": number("min_value"), "event": form.get("event") or None,
            "only_errors": form.get("only_errors") == "on",
            "url_contains": form.get("url_contains") or None,
            "count": number("count")}.items() if v is not None},
        "audience": {"tiers": listed("tiers"), "segments": listed("segments")},
        "action": {k: v for k, v in {
            "kind": form.get("action_kind", ""), "text": form.get("text", ""),
            "author_id": number("author_id"), "template_id": number("template_id"),
            "params": {k.strip(): v.strip() for k, v in params.items()},
            "subject": form.get("subject") or None}.items() if v is not None}})


def _problem(exc: Exception) -> tuple[str, int]:
    if isinstance(exc, ValidationError):
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first.get("loc", ()))
        return f"{where}: {first['msg']}".removeprefix(": "), 422
    assert isinstance(exc, DomainError)
    return exc.message, exc.status


@router.post(f"{PATH}/campaigns", response_class=HTMLResponse)
async def create_campaign(request: Request, session: SessionDep) -> Response:
    """Create a campaign from the form."""
    page, form = await admin_post(request, session)
    if not isinstance(page, AgentPage):
        return page
    try:
        await campaign_actions.check_create_campaign(session, actor=page.actor,
                                                     campaign_in=_campaign_in(form))
    except (ValueError, DomainError) as exc:
        await session.rollback()
        page = await agent_page(request, session) or page
        message, status = _problem(exc)
        return await _show(request, session, page, error=message, status=status, form=form)
    await session.commit()
    return RedirectResponse(PATH, status_code=303)


@router.post(f"{PATH}/campaigns/{{campaign_id}}/toggle", response_class=HTMLResponse)
async def toggle_campaign(campaign_id: Id, request: Request, session: SessionDep) -> Response:
    """Switch a campaign on or off."""
    page, _ = await admin_post(request, session)
    if not isinstance(page, AgentPage):
        return page
    try:
        campaign = await get_campaign(session, workspace_id=page.actor.workspace_id,
                                      campaign_id=campaign_id)
        await campaign_actions.check_update_campaign(
            session, actor=page.actor, campaign_id=campaign_id,
            campaign_in=CampaignUpdate(enabled=not campaign.enabled))
    except DomainError as exc:
        await session.rollback()
        page = await agent_page(request, session) or page
        return await _show(request, session, page, error=exc.message, status=exc.status)
    await session.commit()
    return RedirectResponse(PATH, status_code=303)
