"""The admins' inbox pages `/settings/inboxes`: connect, edit, check and disconnect channels.

The forms are generated from each channel's settings model (`web/channel_forms.py`); saving
goes through the inboxes domain's own actions (the same checks as `/api/v1/inboxes`), so the
page and the API accept exactly the same settings. Secrets are write-only. Supervisors see the
list and each inbox read-only; agents are refused.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel, ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.channels.base import ConnectionChecker
from omnidesk.channels.connection import ConnectionReport, check_inbox_connection, open_settings
from omnidesk.channels.inbox_port import ChannelInboxPort
from omnidesk.channels.manifests import BY_KIND, MANIFESTS
from omnidesk.channels.web.manifest import MANIFEST as WEB
from omnidesk.core.db import utcnow
from omnidesk.core.errors import DomainError, InvalidInput
from omnidesk.core.http import SessionDep
from omnidesk.core.schemas import Id
from omnidesk.domains.engagement.service import widget_settings
from omnidesk.domains.inboxes.actions import (
    check_create_inbox,
    check_delete_inbox,
    check_update_inbox,
)
from omnidesk.domains.inboxes.models import Inbox
from omnidesk.domains.inboxes.schemas import Greeting, InboxCreate, InboxUpdate
from omnidesk.domains.inboxes.service import get_inbox, inbox_calendar, list_inboxes
from omnidesk.domains.routing.service import list_queues
from omnidesk.domains.workspaces.actions import do_update_workspace
from omnidesk.domains.workspaces.schemas import WorkspaceUpdate
from omnidesk.web.channel_forms import (
    FormField,
    FormReadError,
    FormSection,
    describe_form,
    echo_form,
    read_form,
)
from omnidesk.web.deps import AgentPage, render
from omnidesk.web.i18n import translate
from omnidesk.web.settings_forms import admin_post, reset
from omnidesk.web.supervisor import supervisor_page
from omnidesk.web.widget_settings import read_widget_form, widget_panel

router = APIRouter(include_in_schema=False)
BASE = "/settings/inboxes"


def _port(request: Request) -> ChannelInboxPort:
    port: ChannelInboxPort = request.app.state.inbox_port
    return port


def _model(request: Request, kind: str) -> type[BaseModel] | None:
    adapter = _port(request).adapters.get(kind)
    return adapter.config_model if adapter is not None else None


async def _page(request: Request, session: AsyncSession) -> AgentPage | Response:
    return await supervisor_page(request, session)


@router.get(BASE, response_class=HTMLResponse)
async def inbox_list(request: Request, session: SessionDep) -> Response:
    """List the workspace's inboxes and the channels that can be connected."""
    page = await _page(request, session)
    if not isinstance(page, AgentPage):
        return page
    rows = await list_inboxes(session, workspace_id=page.workspace.id)
    port = _port(request)
    return render(request, page, "settings/inboxes.html", nav_active="inboxes",
                  inboxes=[(row, port.describe(row)) for row in rows], manifests=MANIFESTS,
                  can_edit=page.user.role == "admin",
                  notice=_notice(page, request.query_params.get("done")))


def _notice(page: AgentPage, done: str | None) -> str | None:
    messages = {"deleted": "The inbox was disconnected.", "created": "The inbox is connected.",
                "saved": "Saved."}
    return translate(page.locale, messages[done]) if done in messages else None


@router.get(BASE + "/new/{kind}", response_class=HTMLResponse)
async def new_inbox(kind: str, request: Request, session: SessionDep) -> Response:
    """Show the empty form of one channel kind."""
    page = await _page(request, session)
    if not isinstance(page, AgentPage):
        return page
    if page.user.role != "admin":
        return HTMLResponse("admins only", status_code=403)
    if kind not in BY_KIND:
        return HTMLResponse("unknown channel", status_code=404)
    model = _model(request, kind)
    fields = describe_form(model) if model else []
    return await _form(request, session, page, None, kind, fields, {"name": ""})


async def _form(request: Request, session: AsyncSession, page: AgentPage, inbox: Inbox | None,
                kind: str, fields: list[FormField | FormSection], values: dict[str, str], *,
                error: str | None = None, report: ConnectionReport | None = None,
                status: int = 200, notice: str | None = None,
                widget_error: str | None = None) -> Response:
    port = _port(request)
    read = port.describe(inbox) if inbox is not None else None
    state = inbox_calendar(page.workspace, inbox).state(utcnow(), page.locale) \
        if inbox is not None else None
    return render(
        request, page, "settings/inbox.html", status_code=status, nav_active="inboxes",
        inbox=inbox, read=read, kind=kind, manifest=BY_KIND[kind], fields=fields, values=values,
        error=error, report=report, notice=notice, can_edit=page.user.role == "admin",
        checkable=isinstance(port.adapters.get(kind), ConnectionChecker),
        queues=await list_queues(session, workspace_id=page.workspace.id), hours=state,
        widget=widget_panel(request, page, widget_error) if kind == WEB.kind else None)


def _values(inbox: Inbox) -> dict[str, str]:
    greeting = inbox.greeting or {}
    return {"name": inbox.name, "greeting_ko": greeting.get("ko", ""),
            "greeting_en": greeting.get("en", ""), "is_active": "on" if inbox.is_active else "",
            "default_queue_id": str(inbox.default_queue_id or "")}


def _fields_in(form: dict[str, str]) -> dict[str, Any]:
    queue = form.get("default_queue_id", "").strip()
    if queue and not queue.isdigit():
        raise InvalidInput("Choose one of the listed values.", field="default_queue_id")
    return {"greeting": Greeting(ko=form.get("greeting_ko", "").strip() or None,
                                 en=form.get("greeting_en", "").strip() or None),
            "default_queue_id": int(queue) if queue else None}


def _problem(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        error = exc.errors()[0]
        where = ".".join(str(p) for p in error["loc"])
        return f"{where}: {error['msg']}" if where else str(error["msg"])
    if isinstance(exc, DomainError):
        return exc.message
    return str(exc)


@router.post(BASE + "/new/{kind}", response_class=HTMLResponse)
async def create_inbox(kind: str, request: Request, session: SessionDep) -> Response:
    """Connect a channel from its form; a refusal keeps what was typed (never the secrets)."""
    page, form = await admin_post(request, session)
    if not isinstance(page, AgentPage):
        return page
    if kind not in BY_KIND:
        return HTMLResponse("unknown channel", status_code=404)
    model = _model(request, kind)
    try:
        settings = read_form(model, form) if model else {}
        inbox_in = InboxCreate(kind=kind, name=form.get("name", "").strip() or None,
                               settings=settings, **_fields_in(form))
        inbox = await check_create_inbox(session, actor=page.actor, inbox_in=inbox_in,
                                         port=_port(request))
    except (FormReadError, ValidationError, DomainError) as exc:
        await reset(session, page)
        fields = echo_form(model, form) if model else []
        return await _form(request, session, page, None, kind, fields, form,
                           error=_problem(exc), status=422)
    await session.commit()
    return RedirectResponse(f"{BASE}/{inbox.id}?done=created", status_code=303)


@router.get(BASE + "/{inbox_id}", response_class=HTMLResponse)
async def edit_inbox(inbox_id: Id, request: Request, session: SessionDep) -> Response:
    """Show one inbox: its settings (secrets never shown), webhook URL and check button."""
    page = await _page(request, session)
    if not isinstance(page, AgentPage):
        return page
    inbox = await get_inbox(session, workspace_id=page.workspace.id, inbox_id=inbox_id)
    return await _edit(request, session, page, inbox,
                       notice=_notice(page, request.query_params.get("done")))


async def _edit(request: Request, session: AsyncSession, page: AgentPage, inbox: Inbox,
                **extra: Any) -> Response:
    port = _port(request)
    model = _model(request, inbox.kind)
    current = open_settings(inbox, port.adapters.get(inbox.kind), port.cipher)
    fields = describe_form(model, current) if model else []
    return await _form(request, session, page, inbox, inbox.kind, fields, _values(inbox),
                       **extra)


@router.post(BASE + "/{inbox_id}", response_class=HTMLResponse)
async def save_inbox(inbox_id: Id, request: Request, session: SessionDep) -> Response:
    """Save an inbox's name, state, greeting, queue and settings (blank secrets are kept)."""
    page, form = await admin_post(request, session)
    if not isinstance(page, AgentPage):
        return page
    inbox = await get_inbox(session, workspace_id=page.workspace.id, inbox_id=inbox_id)
    port = _port(request)
    model = _model(request, inbox.kind)
    stored = open_settings(inbox, port.adapters.get(inbox.kind), port.cipher)
    try:
        inbox_in = InboxUpdate(name=form.get("name", "").strip() or None,
                               is_active=bool(form.get("is_active")),
                               settings=read_form(model, form, stored) if model else None,
                               **_fields_in(form))
        await check_update_inbox(session, actor=page.actor, inbox_id=inbox.id,
                                 inbox_in=inbox_in, port=port)
    except (FormReadError, ValidationError, DomainError) as exc:
        await reset(session, page)
        inbox = await get_inbox(session, workspace_id=page.workspace.id, inbox_id=inbox_id)
        fields = echo_form(model, form, stored) if model else []
        return await _form(request, session, page, inbox, inbox.kind, fields, form,
                           error=_problem(exc), status=422)
    await session.commit()
    return RedirectResponse(f"{BASE}/{inbox.id}?done=saved", status_code=303)


@router.post(BASE + "/{inbox_id}/check", response_class=HTMLResponse)
async def check_inbox(inbox_id: Id, request: Request, session: SessionDep) -> Response:
    """Ask the provider whether the stored settings work, and show its answer in words."""
    page, _ = await admin_post(request, session)
    if not isinstance(page, AgentPage):
        return page
    inbox = await get_inbox(session, workspace_id=page.workspace.id, inbox_id=inbox_id)
    port = _port(request)
    report = await check_inbox_connection(inbox, port.adapters, port.cipher)
    return await _edit(request, session, page, inbox, report=report)


@router.post(BASE + "/{inbox_id}/delete", response_class=HTMLResponse)
async def delete_inbox(inbox_id: Id, request: Request, session: SessionDep) -> Response:
    """Disconnect an inbox; its conversations keep their history."""
    page, _ = await admin_post(request, session)
    if not isinstance(page, AgentPage):
        return page
    await check_delete_inbox(session, actor=page.actor, inbox_id=inbox_id)
    await session.commit()
    return RedirectResponse(f"{BASE}?done=deleted", status_code=303)


@router.post(BASE + "/{inbox_id}/widget", response_class=HTMLResponse)
async def save_widget(inbox_id: Id, request: Request, session: SessionDep) -> Response:
    """Save the widget's look, pre-chat fields and allowed sites (the workspace's widget)."""
    page, form = await admin_post(request, session)
    if not isinstance(page, AgentPage):
        return page
    inbox = await get_inbox(session, workspace_id=page.workspace.id, inbox_id=inbox_id)
    try:
        section = read_widget_form(form, widget_settings(page.workspace))
        await do_update_workspace(session, actor=page.actor,
                                  workspace_in=WorkspaceUpdate(settings={"widget": section}),
                                  settings_checks=request.app.state.settings_checks)
    except (ValidationError, DomainError) as exc:
        await reset(session, page)
        inbox = await get_inbox(session, workspace_id=page.workspace.id, inbox_id=inbox_id)
        return await _edit(request, session, page, inbox, widget_error=_problem(exc),
                           status=422)
    await session.commit()
    return RedirectResponse(f"{BASE}/{inbox.id}?done=saved#widget", status_code=303)
