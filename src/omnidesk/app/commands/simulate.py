"""The `omnidesk simulate` command: run the real routing engine on a simulated contact center."""

from __future__ import annotations

import json
import math
import time
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from omnidesk.domains.routing.assignment.engine import Strategy
from omnidesk.domains.routing.planning.simulation import (
    SimulationConfig,
    SimulationResult,
    simulate,
)

app = typer.Typer(help="simulate commands", no_args_is_help=True)


def simulate_command(
    agents: Annotated[int, typer.Option(help="Number of agents.")] = 10,
    arrivals_per_hour: Annotated[float, typer.Option(help="Mean Poisson arrival rate.")] = 100.0,
    aht_seconds: Annotated[float, typer.Option(help="Mean (exponential) handle time.")] = 300.0,
    hours: Annotated[float, typer.Option(help="Hours during which contacts arrive.")] = 8.0,
    sla_seconds: Annotated[float, typer.Option(help="Service-level answer target T.")] = 20.0,
    seed: Annotated[int, typer.Option(help="Random seed; equal seeds give equal results.")] = 0,
    patience_seconds: Annotated[
        float | None, typer.Option(help="Mean patience; contacts abandon after it.")
    ] = None,
    skills: Annotated[int, typer.Option(help="Distinct skills contacts ask for.")] = 1,
    skills_per_agent: Annotated[
        int | None, typer.Option(help="Skills each agent has (default: all).")
    ] = None,
    strategy: Annotated[Strategy, typer.Option(help="Agent selection strategy.")] = (
        Strategy.LONGEST_IDLE
    ),
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    workspace: Annotated[str | None, typer.Option(
        help="Take arrivals and handle time from this workspace's last four weeks.")] = None,
    hour_of_week: Annotated[int | None, typer.Option(
        min=0, max=167, help="With --workspace: the local hour of the week (Monday 00:00 = 0; "
                             "default: the busiest).")] = None,
) -> None:
    """Simulate a contact center with the routing engine and compare it with Erlang C."""
    if workspace is not None:
        arrivals_per_hour, aht_seconds = history_inputs(workspace, hour_of_week)
    config = SimulationConfig(
        agents=agents,
        arrivals_per_hour=arrivals_per_hour,
        aht_seconds=aht_seconds,
        hours=hours,
        sla_seconds=sla_seconds,
        seed=seed,
        patience_seconds=patience_seconds,
        skills=skills,
        skills_per_agent=skills_per_agent,
        strategy=strategy,
    )
    try:
        config.validate()
    except ValueError as error:
        typer.echo(f"Error: {error}", err=True)
        raise typer.Exit(code=2) from error
    started = time.perf_counter()
    result = simulate(config)
    figures = result_figures(result, time.perf_counter() - started)
    if as_json:
        typer.echo(json.dumps(figures))
    else:
        Console().print(_table(figures))


def result_figures(result: SimulationResult, elapsed_seconds: float) -> dict[str, Any]:
    """Flatten a result into JSON-safe figures (an infinite ASA becomes null)."""
    erlang = result.erlang
    assert erlang is not None
    return {
        "service_level": round(result.service_level, 6),
        "asa_seconds": round(result.asa_seconds, 3),
        "abandon_rate": round(result.abandon_rate, 6),
        "occupancy": round(result.occupancy, 6),
        "erlang_c_service_level": round(erlang.service_level, 6),
        "erlang_c_asa_seconds": _finite(erlang.asa_seconds),
        "erlang_c_probability_of_wait": round(erlang.probability_of_wait, 6),
        "traffic_erlangs": round(erlang.traffic_erlangs, 6),
        "conversations": result.conversations,
        "answered": result.answered,
        "abandoned": result.abandoned,
        "max_queue": result.max_queue,
        "elapsed_seconds": round(elapsed_seconds, 3),
    }


def history_inputs(slug: str, hour_of_week: int | None) -> tuple[float, float]:
    """Return a workspace's forecast arrivals per hour and handle time (analytics.staffing)."""
    from omnidesk.app.commands.runtime import fail, run_with_session
    from omnidesk.core.db import utcnow
    from omnidesk.domains.analytics.staffing import forecast
    from omnidesk.domains.workspaces.service import get_workspace_by_slug, workspace_calendar

    async def work(session: Any) -> tuple[list[float], float]:
        found = await get_workspace_by_slug(session, slug=slug)
        if found is None:
            fail(f"no workspace {slug!r}")
        return await forecast(session, workspace_id=found.id,
                              calendar=workspace_calendar(found), now=utcnow())

    arrivals, aht = run_with_session(work)
    hour = hour_of_week if hour_of_week is not None else max(range(168),
                                                                key=arrivals.__getitem__)
    if arrivals[hour] <= 0:
        fail(f"{slug} had no conversations needing a person in hour {hour} of the week")
    typer.echo(f"{slug}, hour {hour} of the week: {arrivals[hour]:.2f} arrivals/h, "
               f"handle time {aht:.0f} s", err=True)
    return arrivals[hour], aht


def _finite(value: float) -> float | None:
    return round(value, 3) if math.isfinite(value) else None


def _table(figures: dict[str, Any]) -> Table:
    """Render the figures as a two-column table."""
    table = Table(title="Simulated contact center vs Erlang C")
    table.add_column("figure")
    table.add_column("value", justify="right")
    for name, value in figures.items():
        table.add_row(name, "n/a" if value is None else str(value))
    return table


app.command("simulate")(simulate_command)
