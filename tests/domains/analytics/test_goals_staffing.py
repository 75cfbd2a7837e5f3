"""Goals (progress, trend, the off-track notice once a period) and the Erlang C recommendation."""

from __future__ import annotations

import datetime as dt

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.app.commands.simulate import app as simulate_app
from omnidesk.core.db import utcnow
from omnidesk.core.events import OutboxEvent
from omnidesk.domains.analytics.actions import do_check_goals, do_rebuild
from omnidesk.domains.analytics.staffing import StaffingGoal, recommend
from omnidesk.domains.routing.service import predict_staffing
from tests.cli_run import cli_database, run_cli
from tests.conftest import Persona
from tests.domains.analytics.history import Story, add_customer, add_story
from tests.domains.analytics.test_kpis import NOW, build


async def test_an_off_track_goal_tells_its_owner_once_a_period(
        session: AsyncSession, owner: Persona, client: httpx.AsyncClient) -> None:
    await build(session, owner.workspace_id)
    await do_rebuild(session, workspace_id=owner.workspace_id, now=NOW)
    await session.commit()
    goal = {"name": "FCR 90%", "metric": "fcr_rate", "target": 0.9, "period": "month",
            "owner_id": owner.admin.user_id}
    made = await client.post("/api/v1/reports/goals", json=goal, headers=owner.headers)
    assert made.status_code == 201, made.text
    bad = await client.post("/api/v1/reports/goals", json={**goal, "metric": "weather"},
                            headers=owner.headers)
    assert bad.status_code in {400, 422}
    assert await do_check_goals(session, now=NOW) == 1  # December's FCR is 50 %
    assert await do_check_goals(session, now=NOW) == 0  # told once this month
    await session.commit()
    notices = (await session.scalars(select(OutboxEvent).where(
        OutboxEvent.name == "goal.off_track"))).all()
    assert len(notices) == 1 and notices[0].payload["user_id"] == owner.admin.user_id
    assert notices[0].payload["value"] == 0.5


def test_the_recommendation_is_the_fewest_agents_that_meet_the_service_level() -> None:
    goal = StaffingGoal(level=0.8, target_seconds=60.0, concurrency=2)
    plan = recommend(30.0, 600.0, goal)  # 5 Erlangs of chats, two at a time per agent
    assert plan.service_level >= 0.8
    fewer = predict_staffing((plan.agents - 1) * goal.concurrency, 30.0, 600.0, 60.0)
    assert fewer.service_level < 0.8
    assert recommend(0.0, 600.0, goal).agents == 0


async def test_simulate_takes_its_inputs_from_the_workspace_history(
        session: AsyncSession, owner: Persona, db_url: str,
        monkeypatch: pytest.MonkeyPatch) -> None:
    now = utcnow()
    customer = await add_customer(session, owner.workspace_id, "S")
    for days in (3, 10, 17):  # the same hour of three weeks, each answered by an agent
        opened = now - dt.timedelta(days=days, hours=1)
        await add_story(session, owner.workspace_id, customer, Story(
            created=opened, agent_replies=[opened + dt.timedelta(minutes=2)],
            resolved=opened + dt.timedelta(minutes=12)))
    await session.commit()
    await do_rebuild(session, workspace_id=owner.workspace_id)
    await session.commit()
    with cli_database(monkeypatch, db_url):
        result = await run_cli(["--workspace", owner.slug, "--agents", "1", "--hours", "2",
                                "--json"], cli=simulate_app)
    assert result.exit_code == 0, result.output
    assert "0.75 arrivals/h, handle time 600 s" in result.output  # 3 in 4 weeks, 10 min each
    assert "service_level" in result.output
