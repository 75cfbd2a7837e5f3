"""The personal-data access log page (admins, or a role with pii.access_log) and its CSV export."""

from __future__ import annotations

import datetime as dt
from typing import Annotated
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from omnidesk.core.errors import InvalidInput
from omnidesk.core.http import SessionDep
from omnidesk.core.schemas import Id
from omnidesk.domains.agents.service import list_users
from omnidesk.domains.privacy.models import ACCESS_ACTIONS
from omnidesk.domains.privacy.schemas import AccessQuery
from omnidesk.domains.privacy.service import customer_access_report, report_csv, search_access
from omnidesk.web.deps import agent_page, forbidden, login_redirect, render

router = APIRouter(include_in_schema=False)


def _day(text: str, zone: ZoneInfo, *, end: bool = False) -> dt.datetime | None:
    if not text:
        return None
    try:
        day = dt.date.fromisoformat(text)
    except ValueError as exc:
        raise InvalidInput("dates are YYYY-MM-DD", field="since") from exc
    return dt.datetime.combine(day + dt.timedelta(days=1 if end else 0), dt.time(), zone)


@router.get("/settings/access-log", response_class=HTMLResponse)
async def access_log_page(
    request: Request, session: SessionDep, actor_id: Annotated[str, Query(max_length=20)] = "",
    customer_id: Annotated[str, Query(max_length=20)] = "",
    action: Annotated[str, Query(max_length=20)] = "",
    since: Annotated[str, Query(max_length=10)] = "", until: Annotated[str, Query(max_length=10)] = "",
) -> Response:
    """Show who read unmasked personal data, with filters."""
    page = await agent_page(request, session)
    if page is None:
        return login_redirect(request)
    if not page.actor.can("pii.access_log"):
        return forbidden(request, page, "The access log needs the pii.access_log permission.")
    zone = ZoneInfo(page.workspace.timezone or "UTC")
    error, rows = None, []
    try:
        query = AccessQuery(actor_id=int(actor_id) if actor_id.isdigit() else None,
                            customer_id=int(customer_id) if customer_id.isdigit() else None,
                            action=action if action in ACCESS_ACTIONS else None,
                            since=_day(since, zone), until=_day(until, zone, end=True), limit=200)
        rows = await search_access(session, workspace_id=page.workspace.id, query=query)
    except InvalidInput as exc:
        error = exc.message
    users = await list_users(session, workspace_id=page.workspace.id)
    filters = {"actor_id": actor_id, "customer_id": customer_id, "action": action,
               "since": since, "until": until}
    return render(request, page, "settings/access_log.html", rows=rows, users=users,
                  actions=ACCESS_ACTIONS, query=filters, error=error, zone=zone,
                  nav_active="access_log")


@router.get("/settings/access-log/customers/{customer_id}.csv")
async def access_report_csv(customer_id: Id, request: Request, session: SessionDep) -> Response:
    """Download one customer's access report (PIPA access request) as CSV."""
    page = await agent_page(request, session)
    if page is None:
        return login_redirect(request)
    if not page.actor.can("privacy.export"):
        return HTMLResponse("exporting needs the privacy.export permission", status_code=403)
    rows = await customer_access_report(session, workspace_id=page.workspace.id,
                                        customer_id=customer_id)
    return Response(report_csv(rows), media_type="text/csv; charset=utf-8", headers={
        "Content-Disposition": f'attachment; filename="access-report-{customer_id}.csv"'})
