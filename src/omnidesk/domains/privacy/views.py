"""Access-log API: search (pii.access_log) and a customer's own access report (privacy.export)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response

from omnidesk.core.api import ApiRoute
from omnidesk.core.http import ActorDep, SessionDep
from omnidesk.core.schemas import Id
from omnidesk.domains.privacy.schemas import AccessQuery, PiiAccessRead
from omnidesk.domains.privacy.service import customer_access_report, report_csv, search_access

router = APIRouter(prefix="/api/v1/privacy", tags=["privacy"], route_class=ApiRoute)


@router.get("/access-log", response_model=list[PiiAccessRead])
async def access_log(actor: ActorDep, session: SessionDep,
                     query: Annotated[AccessQuery, Depends()]) -> list[PiiAccessRead]:
    """Search the log of reads of unmasked personal data (newest first)."""
    actor.require_permission("pii.access_log")
    rows = await search_access(session, workspace_id=actor.workspace_id, query=query)
    return [PiiAccessRead.model_validate(row) for row in rows]


@router.get("/customers/{customer_id}/access-report", response_model=list[PiiAccessRead])
async def access_report(customer_id: Id, actor: ActorDep, session: SessionDep,
                        fmt: Annotated[str, Query(alias="format", pattern="^(json|csv)$")] = "json"
                        ) -> list[PiiAccessRead] | Response:
    """Export who read this customer's personal data, when and why (PIPA access request)."""
    actor.require_permission("privacy.export")
    rows = await customer_access_report(session, workspace_id=actor.workspace_id,
                                        customer_id=customer_id)
    if fmt == "csv":
        return Response(report_csv(rows), media_type="text/csv; charset=utf-8", headers={
            "Content-Disposition": f'attachment; filename="access-report-{customer_id}.csv"'})
    return rows
