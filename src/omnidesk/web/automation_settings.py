"""The automation page: rules (with "test this rule" and the run log) and outgoing webhooks.

Admins write; supervisors read (they need to know why a conversation changed). Every write
goes through the automation domain's actions, the same as the JSON API; a problem comes back
on the page with what was typed and the 4xx status of the error.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.core.errors import DomainError
from omnidesk.core.events import CATALOGUE
from omnidesk.core.http import SessionDep
from omnidesk.core.schemas import Id
from omnidesk.domains.automation import actions as rules
from omnidesk.domains.automation import webhook_actions as hooks
from omnidesk.domains.automation.schemas import (
    AllowedHostCreate,
    EndpointCreate,
    RuleCreate,
    RuleUpdate,
)
from omnidesk.domains.automation.service import (
    allowed_hosts,
    dry_run,
    get_rule,
    list_endpoints,
    list_rules,
    list_runs,
    list_webhook_deliveries,
)
from omnidesk.domains.automation.triggers import TRIGGER_NAMES
from omnidesk.domains.automation.webhook_actions import webhook_events
from omnidesk.web.automation_forms import (
    action_lines,
    condition_lines,
    parse_actions,
    parse_conditions,
)
from omnidesk.web.deps import AgentPage, agent_page, render
from omnidesk.web.settings_forms import admin_post
from omnidesk.web.supervisor import supervisor_page

router = APIRouter(include_in_schema=False)
PATH = "/settings/automation"


async def _context(session: AsyncSession, page: AgentPage) -> dict[str, Any]:
    ws = page.actor.workspace_id
    endpoints = await list_endpoints(session, workspace_id=ws)
    return {
        "rules": await list_rules(session, workspace_id=ws),
        "runs": await list_runs(session, workspace_id=ws, limit=20),
        "endpoints": endpoints,
        "deliveries": {e.id: await list_webhook_deliveries(session, workspace_id=ws,
                                                           endpoint_id=e.id, limit=5)
                       for e in endpoints},
        "hosts": sorted(await allowed_hosts(session, workspace_id=ws)),
        "triggers": TRIGGER_NAMES, "can_edit": page.user.role == "admin", "path": PATH,
        "webhook_event_names": sorted(e.name for e in webhook_events(list(CATALOGUE.values()))),
        "condition_lines": condition_lines, "action_lines": action_lines,
    }


async def _show(request: Request, session: AsyncSession, page: AgentPage, *,
                status: int = 200, **values: Any) -> Response:
    form = values.pop("form", None) or {}
    return render(request, page, "settings/automation.html", status_code=status, form=form,
                  **values, **await _context(session, page))


@router.get(PATH, response_class=HTMLResponse)
async def automation_settings(request: Request, session: SessionDep,
                              test: Id | None = None) -> Response:
    """Show rules, their last runs and webhooks; `test=<rule id>` shows a dry run of it."""
    page = await supervisor_page(request, session)
    if not isinstance(page, AgentPage):
        return page
    tested = None
    if test is not None:
        try:
            rule = await get_rule(session, workspace_id=page.actor.workspace_id, rule_id=test)
        except DomainError as exc:
            return await _show(request, session, page, error=exc.message, status=exc.status)
        tested = (rule, await dry_run(session, workspace_id=page.actor.workspace_id, rule=rule))
    return await _show(request, session, page, tested=tested)


async def _rolled_back(request: Request, session: AsyncSession, page: AgentPage) -> AgentPage:
    """Roll the failed change back and reload the (expired) agent for the page."""
    await session.rollback()
    return await agent_page(request, session) or page


def _problem(exc: Exception) -> tuple[str, int]:
    if isinstance(exc, ValidationError):
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first.get("loc", ()))
        return f"{where}: {first['msg']}".removeprefix(": "), 422
    if isinstance(exc, DomainError):
        return exc.message, exc.status
    return str(exc), 422


@router.post(f"{PATH}/rules", response_class=HTMLResponse)
async def create_rule(request: Request, session: SessionDep) -> Response:
    """Create a rule from the form (conditions and actions one per line)."""
    page, form = await admin_post(request, session)
    if not isinstance(page, AgentPage):
        return page
    raw = await request.form()
    events = [str(v) for v in raw.getlist("events")]
    try:
        rule_in = RuleCreate(name=form.get("name", ""), events=events,
                             conditions=parse_conditions(form.get("conditions", "")),
                             actions=parse_actions(form.get("actions", "")),
                             stop_processing=form.get("stop_processing") == "on")
        await rules.check_create_rule(session, actor=page.actor, rule_in=rule_in)
    except (ValueError, DomainError) as exc:
        page = await _rolled_back(request, session, page)
        message, status = _problem(exc)
        return await _show(request, session, page, error=message, status=status,
                           form={**form, "events": events})
    await session.commit()
    return RedirectResponse(PATH, status_code=303)


Change = Callable[[AsyncSession, AgentPage], Awaitable[object]]


async def _button(request: Request, session: AsyncSession, change: Change) -> Response:
    """Run a button's change as the posting admin; a problem shows above the page."""
    page, _ = await admin_post(request, session)
    if not isinstance(page, AgentPage):
        return page
    try:
        await change(session, page)
    except DomainError as exc:
        page = await _rolled_back(request, session, page)
        return await _show(request, session, page, error=exc.message, status=exc.status)
    await session.commit()
    return RedirectResponse(PATH, status_code=303)


@router.post(f"{PATH}/rules/{{rule_id}}/toggle", response_class=HTMLResponse)
async def toggle_rule(rule_id: Id, request: Request, session: SessionDep) -> Response:
    """Switch a rule on or off."""

    async def toggle(session: AsyncSession, page: AgentPage) -> object:
        rule = await get_rule(session, workspace_id=page.actor.workspace_id, rule_id=rule_id)
        return await rules.check_update_rule(session, actor=page.actor, rule_id=rule_id,
                                             rule_in=RuleUpdate(enabled=not rule.enabled))

    return await _button(request, session, toggle)


@router.post(f"{PATH}/rules/{{rule_id}}/delete", response_class=HTMLResponse)
async def delete_rule(rule_id: Id, request: Request, session: SessionDep) -> Response:
    """Delete a rule."""
    return await _button(request, session, lambda session, page: rules.check_delete_rule(
        session, actor=page.actor, rule_id=rule_id))


@router.post(f"{PATH}/webhooks", response_class=HTMLResponse)
async def create_endpoint(request: Request, session: SessionDep) -> Response:
    """Create an endpoint; the page shows its signing secret this once."""
    page, form = await admin_post(request, session)
    if not isinstance(page, AgentPage):
        return page
    events = [e.strip() for e in form.get("events", "").replace("\n", ",").split(",")
              if e.strip()]
    try:
        endpoint = await hooks.check_create_endpoint(
            session, actor=page.actor, endpoint_in=EndpointCreate(
                name=form.get("name", ""), url=form.get("url", ""), events=events))
    except (ValueError, DomainError) as exc:
        page = await _rolled_back(request, session, page)
        message, status = _problem(exc)
        return await _show(request, session, page, error=message, status=status,
                           hook_form=form)
    await session.commit()
    return await _show(request, session, page, secret=(endpoint.name, endpoint.secret),
                       status=201)


@router.post(f"{PATH}/webhooks/{{endpoint_id}}/deliveries/{{delivery_id}}/replay",
             response_class=HTMLResponse)
async def replay(endpoint_id: Id, delivery_id: Id, request: Request,
                 session: SessionDep) -> Response:
    """Send a dead-lettered delivery again."""
    return await _button(request, session, lambda session, page: hooks.check_replay_delivery(
        session, actor=page.actor, endpoint_id=endpoint_id, delivery_id=delivery_id))


@router.post(f"{PATH}/hosts", response_class=HTMLResponse)
async def allow_host(request: Request, session: SessionDep) -> Response:
    """Allow webhooks to reach a host on a private address."""
    page, form = await admin_post(request, session)
    if not isinstance(page, AgentPage):
        return page
    try:
        await hooks.check_allow_host(session, actor=page.actor,
                                     host_in=AllowedHostCreate(host=form.get("host", "")))
    except (ValueError, DomainError) as exc:
        page = await _rolled_back(request, session, page)
        message, status = _problem(exc)
        return await _show(request, session, page, error=message, status=status)
    await session.commit()
    return RedirectResponse(PATH, status_code=303)
