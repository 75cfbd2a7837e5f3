"""`omnidesk report kpis` and `omnidesk report rebuild`: KPIs on the command line."""

from __future__ import annotations

import datetime as dt
import json
from typing import Annotated, Any

import typer
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.app.commands.runtime import fail, print_table, run_with_session
from omnidesk.core.db import utcnow
from omnidesk.domains.analytics.actions import do_rebuild
from omnidesk.domains.analytics.reports import BREAKDOWNS, backlog, day_filter, kpis
from omnidesk.domains.analytics.retention import retention
from omnidesk.domains.workspaces.service import get_workspace_by_slug, workspace_calendar

app = typer.Typer(help="KPI reports", no_args_is_help=True)


def _date(value: str | None, name: str) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        fail(f"--{name} must be a date like 2026-11-30, not {value!r}", code=2)


@app.command("kpis")
def kpis_command(
    workspace: Annotated[str, typer.Option(help="Workspace slug")] = "hanbit",
    date_from: Annotated[str | None, typer.Option("--from", help="First day (YYYY-MM-DD); "
                                                  "default 30 days before --to")] = None,
    date_to: Annotated[str | None, typer.Option("--to", help="Last day, inclusive; "
                                                "default today")] = None,
    by: Annotated[str | None, typer.Option(help="Group by: " + ", ".join(BREAKDOWNS))] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON")] = False,
) -> None:
    """Print the KPIs of the conversations created in a period (keys as in docs/metrics.md)."""
    if by is not None and by not in BREAKDOWNS:
        fail(f"--by must be one of {', '.join(BREAKDOWNS)}", code=2)
    start, end = _date(date_from, "from"), _date(date_to, "to")

    async def work(session: AsyncSession) -> dict[str, Any]:
        ws = await get_workspace_by_slug(session, slug=workspace)
        if ws is None:
            fail(f"no workspace {workspace!r}")
        calendar = workspace_calendar(ws)
        last = end or utcnow().astimezone(calendar.tz).date()
        first = start or last - dt.timedelta(days=29)
        flt = day_filter(calendar, first, last)
        groups = await kpis(session, workspace_id=ws.id, flt=flt, by=by)
        head = {"workspace": ws.slug, "from": first.isoformat(), "to": last.isoformat()}
        if by is None:
            return {**head, **groups[""], **await backlog(session, workspace_id=ws.id,
                                                          now=utcnow()),
                    **await retention(session, workspace_id=ws.id, flt=flt, now=utcnow())}
        return {**head, "by": by, "groups": [{"key": k, **v} for k, v in groups.items()]}

    result = run_with_session(work)
    if as_json:
        typer.echo(json.dumps(result, ensure_ascii=False, indent=2))
    elif by is None:
        print_table(f"KPIs {result['from']} – {result['to']}", ["kpi", "value"],
                    [[k, v] for k, v in result.items()])
    else:
        names = ["conversations", "first_response_seconds_median", "resolution_seconds_median",
                 "fcr_rate", "csat_average"]
        print_table(f"KPIs by {by}", ["key", *names],
                    [[g["key"] or "-", *(g[n] for n in names)] for g in result["groups"]])


@app.command("rebuild")
def rebuild_command(
    workspace: Annotated[str, typer.Option(help="Workspace slug")] = "hanbit",
) -> None:
    """Recompute a workspace's analytics facts, rollups and agent occupancy from its stored
    history (occupancy from the stored events the scheduled fold has read)."""

    async def work(session: AsyncSession) -> str:
        ws = await get_workspace_by_slug(session, slug=workspace)
        if ws is None:
            fail(f"no workspace {workspace!r}")
        count = await do_rebuild(session, workspace_id=ws.id)
        await session.commit()
        return f"rebuilt analytics of {count} conversations in {workspace}"

    typer.echo(run_with_session(work))
