"""The admin's routing settings page: queues, routing rules in evaluation order, SLA policies.

Admins create, edit, delete, reorder and switch rules on and off; supervisors see the same page
read-only (they need to know why a conversation landed where it did), agents get 403. Every
write goes through the routing domain's config actions, the same as the JSON API. A form with a
problem comes back with what the admin typed and the message, with the 4xx status of the error.
HTMX posts get the page body back; plain form posts are redirected to the page (post/redirect/get).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.core.errors import DomainError, NotFound
from omnidesk.core.http import SessionDep
from omnidesk.core.schemas import Id
from omnidesk.domains.agents.service import list_skills, list_teams
from omnidesk.domains.conversations.models import CHANNELS
from omnidesk.domains.nlu.schemas import SENTIMENT_LABELS
from omnidesk.domains.routing import config_actions as config
from omnidesk.domains.routing import overview
from omnidesk.domains.routing.models import RoutingQueue, RoutingRuleRow, SlaPolicyRow
from omnidesk.domains.routing.rules.matching import CONDITIONS
from omnidesk.domains.routing.schemas import RuleUpdate
from omnidesk.domains.routing.service import get_queue, list_queues
from omnidesk.domains.routing.sla.clocks import METRICS
from omnidesk.web import routing_forms as forms
from omnidesk.web.deps import AgentPage, agent_page, render
from omnidesk.web.i18n import translate
from omnidesk.web.settings_forms import Editor, admin_post, describe_problem, is_partial
from omnidesk.web.supervisor import supervisor_page

router = APIRouter(include_in_schema=False)
PATH = "/settings/routing"
KINDS = ("queue", "rule", "sla")


async def _lookup(session: AsyncSession, page: AgentPage, kind: str,
                  object_id: int) -> RoutingQueue | RoutingRuleRow | SlaPolicyRow:
    """Return a stored queue, rule or policy of the workspace, or raise NotFound."""
    ws = page.actor.workspace_id
    if kind == "queue":
        return await get_queue(session, workspace_id=ws, queue_id=object_id)
    if kind == "rule":
        return await overview.get_rule_row(session, workspace_id=ws, rule_id=object_id)
    return await overview.get_sla_policy(session, workspace_id=ws, policy_id=object_id)


def _form_values(row: RoutingQueue | RoutingRuleRow | SlaPolicyRow) -> dict[str, str]:
    if isinstance(row, RoutingQueue):
        return forms.queue_values(row)
    if isinstance(row, RoutingRuleRow):
        return forms.rule_values(row)
    return forms.sla_values(row)


async def page_context(session: AsyncSession, page: AgentPage) -> dict[str, Any]:
    """Load queues, rules, SLA policies, teams and skills (a fixed number of queries)."""
    ws = page.actor.workspace_id
    queues = await list_queues(session, workspace_id=ws)
    teams = await list_teams(session, workspace_id=ws)
    return {
        "queues": queues, "queue_names": {q.id: q.name for q in queues},
        "rules": await overview.list_rule_rows(session, workspace_id=ws),
        "policies": await overview.list_sla_policies(session, workspace_id=ws),
        "teams": teams, "team_names": {t.id: t.name for t in teams},
        "skills": [s.name for s in await list_skills(session, workspace_id=ws)],
        "strategies": forms.STRATEGIES, "priorities": forms.PRIORITIES, "metrics": METRICS,
        "channels": CHANNELS, "sentiments": SENTIMENT_LABELS, "conditions": CONDITIONS,
        "skills_text": forms.skills_text,
        "can_edit": page.user.role == "admin", "path": PATH, "num": forms.number_text,
        "target": forms.target_text, "units": tuple(forms.TARGET_UNITS),
    }  # fmt: skip


async def show(request: Request, session: AsyncSession, page: AgentPage, *,
               editors: dict[str, Editor] | None = None, error: str | None = None,
               notice: str | None = None, status: int = 200) -> Response:
    """Render the page (the body alone for HTMX) with its three forms."""
    editors = {kind: Editor(values=forms.new_values(kind)) for kind in KINDS} | (editors or {})
    partial = is_partial(request)
    template = "settings/_routing.html" if partial else "settings/routing.html"
    response = render(request, page, template, status_code=status, editors=editors, error=error,
                      notice=notice, **await page_context(session, page))  # fmt: skip
    if partial and (focus := _focus(editors, error or notice)):
        response.headers["HX-Reswap"] = f"innerHTML show:{focus}:top"
    return response


def _focus(editors: dict[str, Editor], message: str | None) -> str | None:
    """Bring into view the form with a problem, else the page's message, else the open form."""
    wrong = next((kind for kind, ed in editors.items() if ed.error), None)
    opened = next((kind for kind, ed in editors.items() if ed.object_id), None)
    if wrong or not message and opened:
        return f"#{wrong or opened}-form"
    return "#routing" if message else None


@router.get(PATH, response_class=HTMLResponse)
async def routing_settings(request: Request, session: SessionDep, edit_queue: int | None = None,
                           edit_rule: int | None = None,
                           edit_sla: int | None = None) -> Response:
    """Show the routing settings; `edit_<kind>=id` opens that object in its form."""
    page = await supervisor_page(request, session)
    if not isinstance(page, AgentPage):
        return page
    editors: dict[str, Editor] = {}
    for kind, object_id in (("queue", edit_queue), ("rule", edit_rule), ("sla", edit_sla)):
        if object_id is None:
            continue
        try:
            row = await _lookup(session, page, kind, object_id)
        except NotFound as exc:
            return await show(request, session, page, error=exc.message, status=404)
        editors[kind] = Editor(object_id, _form_values(row))
    return await show(request, session, page, editors=editors)


Change = Callable[[AsyncSession, AgentPage, dict[str, str], int | None], Awaitable[Any]]


async def _change(request: Request, session: AsyncSession, kind: str, object_id: int | None,
                  change: Change, *, from_form: bool = True) -> Response:
    """Check the admin and token, run the change, commit; on a problem re-render the form.

    A problem with a form (`from_form`) is shown in that form with what was typed; one with a
    button (delete, move, on/off) above the page.
    """
    page, form = await admin_post(request, session)
    if not isinstance(page, AgentPage):
        return page
    try:
        if object_id is not None:
            await _lookup(session, page, kind, object_id)
    except NotFound as exc:
        return await show(request, session, page, error=exc.message, status=404)
    try:
        await change(session, page, form, object_id)
    except (forms.FormError, DomainError, IntegrityError) as exc:
        await session.rollback()  # nothing half-written stays; reload the expired agent
        page = await agent_page(request, session) or page
        message, status, bad_field = describe_problem(page, exc)
        if not from_form:
            return await show(request, session, page, error=message, status=status)
        editor = Editor(object_id, form, message, bad_field)
        return await show(request, session, page, editors={kind: editor}, status=status)
    await session.commit()
    if not request.headers.get("hx-request"):
        return RedirectResponse(PATH, status_code=303)
    return await show(request, session, page, notice=translate(page.locale, "Saved."))


async def _save_queue(session: AsyncSession, page: AgentPage, form: dict[str, str],
                      queue_id: int | None) -> None:
    if queue_id is None:
        await config.check_create_queue(session, actor=page.actor,
                                        queue_in=forms.queue_in(form, update=False))
    else:
        await config.check_update_queue(session, actor=page.actor, queue_id=queue_id,
                                        queue_in=forms.queue_in(form, update=True))


async def _save_rule(session: AsyncSession, page: AgentPage, form: dict[str, str],
                     rule_id: int | None) -> None:
    if rule_id is None:
        rules = await overview.list_rule_rows(session, workspace_id=page.actor.workspace_id)
        last = max((r.position for r in rules), default=-1)
        rule_in = forms.rule_in(form, update=False, position=last + 1)  # new rules go last
        await config.check_create_rule(session, actor=page.actor, rule_in=rule_in)
    else:
        await config.check_update_rule(session, actor=page.actor, rule_id=rule_id,
                                       rule_in=forms.rule_in(form, update=True))


async def _save_sla(session: AsyncSession, page: AgentPage, form: dict[str, str],
                    policy_id: int | None) -> None:
    policy_in = forms.sla_in(form, update=policy_id is not None)
    await config.check_save_sla_policy(session, actor=page.actor, policy_in=policy_in,
                                       policy_id=policy_id)


SAVES: dict[str, Change] = {"queue": _save_queue, "rule": _save_rule, "sla": _save_sla}


async def _delete(session: AsyncSession, page: AgentPage, kind: str, object_id: int) -> None:
    actor = page.actor
    if kind == "queue":
        await config.do_delete_queue(session, actor=actor, queue_id=object_id)
    elif kind == "rule":
        await config.do_delete_rule(session, actor=actor, rule_id=object_id)
    else:
        await config.do_delete_sla_policy(session, actor=actor, policy_id=object_id)


def _routes(kind: str, segment: str) -> None:
    """Register create, update and delete posts for one kind of object."""

    async def create(request: Request, session: SessionDep) -> Response:
        return await _change(request, session, kind, None, SAVES[kind])

    async def update(request: Request, session: SessionDep, object_id: Id) -> Response:
        return await _change(request, session, kind, object_id, SAVES[kind])

    async def delete(request: Request, session: SessionDep, object_id: Id) -> Response:
        return await _change(request, session, kind, object_id,
                             lambda s, p, _f, _i: _delete(s, p, kind, object_id),
                             from_form=False)

    base = f"{PATH}/{segment}"
    create.__doc__ = f"Create a {kind} from the form."
    update.__doc__ = f"Save the edited {kind}."
    delete.__doc__ = f"Delete a {kind}."
    router.add_api_route(base, create, methods=["POST"], response_class=HTMLResponse)
    router.add_api_route(f"{base}/{{object_id}}", update, methods=["POST"],
                         response_class=HTMLResponse)
    router.add_api_route(f"{base}/{{object_id}}/delete", delete, methods=["POST"],
                         response_class=HTMLResponse)


for _kind, _segment in (("queue", "queues"), ("rule", "rules"), ("sla", "sla-policies")):
    _routes(_kind, _segment)


@router.post(f"{PATH}/rules/{{rule_id}}/move", response_class=HTMLResponse)
async def move_rule(request: Request, session: SessionDep, rule_id: Id) -> Response:
    """Move a rule one place up or down (`direction` = up | down)."""
    return await _change(request, session, "rule", rule_id, lambda s, p, f, _i: config.check_move_rule(
        s, actor=p.actor, rule_id=rule_id, direction=f.get("direction", "")), from_form=False)


@router.post(f"{PATH}/rules/{{rule_id}}/active", response_class=HTMLResponse)
async def set_rule_active(request: Request, session: SessionDep, rule_id: Id) -> Response:
    """Switch a rule on or off (`is_active` checked or not)."""
    return await _change(request, session, "rule", rule_id, lambda s, p, f, _i: config.check_update_rule(
        s, actor=p.actor, rule_id=rule_id, rule_in=RuleUpdate(is_active=forms.is_checked(f, "is_active"))),
        from_form=False)
