"""Retention, erasure and data export: API routes and the admin page `/settings/privacy`.

Thin: every write is a privacy action; the workspace's `retention` settings section is saved
through the workspace action (audited with before/after). Permissions: privacy.retention,
privacy.erase, privacy.export (admins hold all three; a custom role may too).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError

from omnidesk.core.api import ApiRoute
from omnidesk.core.context import Actor
from omnidesk.core.errors import DomainError
from omnidesk.core.http import ActorDep, SessionDep
from omnidesk.core.schemas import Id
from omnidesk.domains.retention.data_export import check_export_customer
from omnidesk.domains.retention.erasure_actions import do_erase_customer
from omnidesk.domains.retention.purge_actions import do_purge
from omnidesk.domains.retention.schemas import (
    DATA_KINDS,
    ErasureCertificate,
    PurgeReport,
    RetentionSettings,
    retention_settings,
)
from omnidesk.domains.workspaces.actions import do_update_workspace
from omnidesk.domains.workspaces.schemas import WorkspaceUpdate
from omnidesk.domains.workspaces.service import get_workspace
from omnidesk.web.deps import (
    AgentPage,
    agent_page,
    csrf_failed,
    forbidden,
    login_redirect,
    render,
)

router = APIRouter(prefix="/api/v1", tags=["privacy: retention and erasure"],
                   route_class=ApiRoute)
page_router = APIRouter(include_in_schema=False)
ZIP = "application/zip"


async def _save_policy(request: Request, session: SessionDep, actor: Actor,
                       policy: RetentionSettings) -> None:
    actor.require_permission("privacy.retention")
    await do_update_workspace(session, actor=actor, workspace_in=WorkspaceUpdate(
        settings={"retention": policy.model_dump()}),
        settings_checks=request.app.state.settings_checks)


async def _purge(request: Request, session: SessionDep, actor: Actor) -> PurgeReport:
    actor.require_permission("privacy.retention")
    workspace = await get_workspace(session, workspace_id=actor.workspace_id)
    return await do_purge(session, workspace_id=workspace.id,
                          policy=retention_settings(workspace.settings),
                          upload_dir=request.app.state.settings.upload_dir,
                          actor_id=actor.user_id)


@router.get("/privacy/retention", response_model=RetentionSettings)
async def read_retention(actor: ActorDep, session: SessionDep) -> RetentionSettings:
    """Return how many days each kind of data is kept (0: always)."""
    actor.require_permission("privacy.retention")
    workspace = await get_workspace(session, workspace_id=actor.workspace_id)
    return retention_settings(workspace.settings)


@router.put("/privacy/retention", response_model=RetentionSettings)
async def save_retention(request: Request, policy: RetentionSettings, actor: ActorDep,
                         session: SessionDep) -> RetentionSettings:
    """Set the retention periods (audited with before and after)."""
    await _save_policy(request, session, actor, policy)
    await session.commit()
    return policy


@router.post("/privacy/retention/purge", response_model=PurgeReport)
async def purge_now(request: Request, actor: ActorDep, session: SessionDep) -> PurgeReport:
    """Purge now what is past its retention period; the report says what was removed."""
    report = await _purge(request, session, actor)
    await session.commit()
    return report


@router.post("/customers/{customer_id}/erase", response_model=ErasureCertificate)
async def erase_customer(request: Request, customer_id: Id, actor: ActorDep,
                         session: SessionDep) -> ErasureCertificate:
    """Erase a customer everywhere (statistics stay); the answer is the certificate."""
    certificate = await do_erase_customer(session, actor=actor, customer_id=customer_id,
                                          upload_dir=request.app.state.settings.upload_dir)
    await session.commit()
    return certificate


@router.get("/customers/{customer_id}/export", response_class=Response,
            responses={200: {"content": {ZIP: {}}, "description": "customer.json + files"}})
async def export_customer(request: Request, customer_id: Id, actor: ActorDep,
                          session: SessionDep) -> Response:
    """Download everything stored about a customer (an access request): JSON and files."""
    data = await check_export_customer(session, actor=actor, customer_id=customer_id,
                                       upload_dir=request.app.state.settings.upload_dir)
    await session.commit()
    return Response(data, media_type=ZIP, headers={
        "Content-Disposition": f'attachment; filename="customer-{customer_id}.zip"'})


async def _page(request: Request, page: AgentPage, status_code: int = 200,
                **values: Any) -> Response:
    workspace = page.workspace
    return render(request, page, "settings/privacy.html", status_code=status_code,
                  policy=retention_settings(workspace.settings), kinds=DATA_KINDS,
                  nav_active="privacy", **values)


async def _privacy_page(request: Request, session: SessionDep) -> AgentPage | Response:
    page = await agent_page(request, session)
    if page is None:
        return login_redirect(request)
    if not any(page.actor.can(p) for p in ("privacy.retention", "privacy.erase",
                                            "privacy.export")):
        return forbidden(request, page, "This page needs a privacy permission.")
    return page


@page_router.get("/settings/privacy", response_class=HTMLResponse)
async def privacy_page(request: Request, session: SessionDep) -> Response:
    """Show retention periods, purge now, erase a customer and export a customer's data."""
    page = await _privacy_page(request, session)
    return page if isinstance(page, Response) else await _page(request, page)


@page_router.post("/settings/privacy", response_class=HTMLResponse)
async def privacy_post(request: Request, session: SessionDep,
                       do: Annotated[str, Form(max_length=20)] = "",
                       customer_id: Annotated[str, Form(max_length=20)] = "",
                       confirm: Annotated[str, Form(max_length=40)] = "",
                       csrf: Annotated[str | None, Form()] = None) -> Response:
    """Save the periods, purge now, or erase a customer (typing ERASE to confirm)."""
    page = await _privacy_page(request, session)
    if isinstance(page, Response):
        return page
    if (denied := csrf_failed(request, csrf)) is not None:
        return denied
    form = await request.form()
    try:
        if do == "save":
            policy = RetentionSettings(**{k: int(str(form.get(k) or 0)) for k in DATA_KINDS})
            await _save_policy(request, session, page.actor, policy)
            await session.commit()
            await session.refresh(page.workspace)
            return await _page(request, page, notice="saved")
        if do == "purge":
            report = await _purge(request, session, page.actor)
            await session.commit()
            return await _page(request, page, report=report)
        if do == "erase":
            if confirm.strip() != "ERASE" or not customer_id.isdigit():
                return await _page(request, page, error="confirm", status_code=400)
            certificate = await do_erase_customer(
                session, actor=page.actor, customer_id=int(customer_id),
                upload_dir=request.app.state.settings.upload_dir)
            await session.commit()
            return await _page(request, page, certificate=certificate)
    except ValidationError as exc:
        law = any("access_log" in e["loc"] and e["type"] == "value_error" for e in exc.errors())
        return await _page(request, page, error="access_log" if law else "numbers",
                           status_code=400)
    except ValueError:
        return await _page(request, page, error="numbers", status_code=400)
    except DomainError as exc:
        return await _page(request, page, error_text=exc.message, status_code=exc.status)
    return await _page(request, page, error="unknown", status_code=400)


@page_router.get("/settings/privacy/export")
async def export_from_page(request: Request, session: SessionDep, customer_id: str = "") -> Response:
    """Download a customer's data from the page (same archive as the API)."""
    page = await _privacy_page(request, session)
    if isinstance(page, Response):
        return page
    if not customer_id.isdigit():
        return await _page(request, page, error="confirm", status_code=400)
    try:
        return await export_customer(request, int(customer_id), page.actor, session)
    except DomainError as exc:
        return await _page(request, page, error_text=exc.message, status_code=exc.status)
