"""Agent occupancy (time at capacity while available) on hand-built presence and assignment
histories with known answers, folded incrementally from the event log."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.core.events import OutboxEvent
from omnidesk.domains.agents.models import User
from omnidesk.domains.analytics.actions import do_rebuild
from omnidesk.domains.analytics.goals import goal_progress, list_goals
from omnidesk.domains.analytics.models import AgentOccupancy, AgentTimeline
from omnidesk.domains.analytics.occupancy import do_fold_occupancy
from omnidesk.domains.analytics.reports import day_filter, kpis
from omnidesk.domains.routing.actions import do_set_presence
from omnidesk.domains.routing.models import AgentStateRow
from omnidesk.domains.routing.service import at_capacity
from omnidesk.domains.workspaces.service import get_workspace, workspace_calendar
from tests.cli_run import cli_database, run_cli
from tests.conftest import Persona
from tests.domains.analytics.history import Story, add_customer, add_story, kst
from tests.domains.analytics.test_kpis import NOW, build
from tests.web.test_supervisor import log_in

pytestmark = pytest.mark.parametrize("db_url", ["sqlite", "postgresql"], indirect=True)
CHAT_ONLY = {"voice": 0, "chat": 2, "email": 0}


def presence(ws: int, user_id: int, state: str, at: dt.datetime,
             capacity: dict[str, int] | None = None) -> OutboxEvent:
    payload: dict[str, Any] = {"user_id": user_id, "presence": state, "at": at.isoformat()}
    if capacity is not None:
        payload["capacity"] = capacity
    return OutboxEvent(workspace_id=ws, name="agent.presence_changed", created_at=at,
                       payload=payload)


def conversation(ws: int, name: str, at: dt.datetime, conversation_id: int,
                 **fields: Any) -> OutboxEvent:
    payload = {"conversation_id": conversation_id, "customer_id": 1, "channel": "web",
               "status": "open", "priority": "normal", **fields}
    return OutboxEvent(workspace_id=ws, name=f"conversation.{name}", created_at=at,
                       payload=payload)


def assigned(ws: int, at: dt.datetime, cid: int, to: int | None,
             source: int | None = None) -> OutboxEvent:
    return conversation(ws, "assigned", at, cid, assignee_id=to, change="assigned",
                        from_assignee_id=source, to_assignee_id=to)


async def december(session: AsyncSession, ws: int, first: int, last: int,
                   by: str | None = None, **slices: Any) -> dict[str, dict[str, Any]]:
    calendar = workspace_calendar(await get_workspace(session, workspace_id=ws))
    flt = day_filter(calendar, dt.date(2026, 12, first), dt.date(2026, 12, last), **slices)
    return await kpis(session, workspace_id=ws, flt=flt, by=by)


async def test_two_hours_online_half_an_hour_at_capacity_is_a_quarter(
        session: AsyncSession, owner: Persona, outsider: Persona) -> None:
    ws, agent = owner.workspace_id, owner.agent.user_id
    session.add_all([
        presence(ws, agent, "online", kst(7, 9), CHAT_ONLY),
        assigned(ws, kst(7, 9), 101, agent),
        assigned(ws, kst(7, 9, 30), 102, agent),  # two chats: at capacity
        conversation(ws, "resolved", kst(7, 10), 102, status="resolved", assignee_id=agent),
        presence(ws, agent, "offline", kst(7, 11)),
        assigned(ws, kst(7, 11, 10), 103, agent),  # full again, but offline: not counted
        assigned(ws, kst(7, 11, 20), 104, agent),
        presence(outsider.workspace_id, outsider.agent.user_id, "online", kst(7, 9)),
    ])
    await session.commit()
    # Folded in three runs: the first sees only what is a minute old at 09:46.
    await do_fold_occupancy(session, now=kst(7, 9, 46))
    await session.commit()
    early = (await december(session, ws, 7, 7))[""]
    assert (early["agent_available_seconds"], early["agent_at_capacity_seconds"]) == (
        2700.0, 900.0)
    await do_fold_occupancy(session, now=kst(8, 0))
    await do_fold_occupancy(session, now=kst(8, 1))  # nothing new: nothing changes
    await session.commit()
    day = (await december(session, ws, 7, 7))[""]
    assert day["agent_occupancy"] == 0.25
    assert (day["agent_available_seconds"], day["agent_at_capacity_seconds"]) == (7200.0, 1800.0)
    by_agent = await december(session, ws, 1, 31, by="agent")
    assert by_agent[str(agent)]["agent_occupancy"] == 0.25
    assert by_agent[str(agent)]["conversations"] == 0  # online, but no conversation created
    own = (await december(session, ws, 1, 31, agent_id=agent))[""]
    assert own["agent_occupancy"] == 0.25
    assert (await december(session, ws, 8, 8))[""]["agent_occupancy"] is None  # no time
    # A slice occupancy has no meaning for (a channel) leaves the keys null.
    assert (await december(session, ws, 7, 7, channel="web"))[""]["agent_occupancy"] is None
    # The other workspace's agent is counted there, not here.
    theirs = (await december(session, outsider.workspace_id, 7, 7))[""]
    assert theirs["agent_available_seconds"] == 15 * 3600.0  # to local midnight


async def test_capacity_changes_away_time_and_local_midnight(
        session: AsyncSession, owner: Persona) -> None:
    ws, agent = owner.workspace_id, owner.admin.user_id
    three = {"voice": 0, "chat": 3, "email": 0}
    session.add_all([
        presence(ws, agent, "online", kst(9, 9), three),
        assigned(ws, kst(9, 9), 201, agent), assigned(ws, kst(9, 9), 202, agent),
    ])
    await session.commit()
    await session.execute(update(User).where(User.id == agent).values(capacity=CHAT_ONLY))
    session.add_all([
        OutboxEvent(workspace_id=ws, name="user.updated", created_at=kst(9, 10),
                    payload={"user_id": agent, "fields": ["capacity"]}),  # 2 of 2 from 10:00
        presence(ws, agent, "away", kst(9, 10, 30)),  # away: not available
        presence(ws, agent, "online", kst(9, 11), CHAT_ONLY),
        conversation(ws, "resolved", kst(9, 11, 30), 201, status="resolved", assignee_id=agent),
        presence(ws, agent, "offline", kst(9, 12)),
        # Across local midnight (Seoul): 23:00–00:30, at capacity from 23:30.
        presence(ws, agent, "online", kst(10, 23), CHAT_ONLY),
        assigned(ws, kst(10, 23, 30), 203, agent),
        presence(ws, agent, "offline", kst(11, 0, 30)),
        # Handed to someone else: no longer the admin's load (nor counted at all: offline).
        assigned(ws, kst(11, 1), 202, owner.agent.user_id, source=agent),
    ])
    await session.commit()
    await do_fold_occupancy(session, now=kst(12, 0))
    await session.commit()
    ninth = (await december(session, ws, 9, 9))[""]
    assert (ninth["agent_available_seconds"], ninth["agent_at_capacity_seconds"]) == (
        9000.0, 3600.0)
    assert ninth["agent_occupancy"] == 0.4
    rows = {row.day.day: (row.available_seconds, row.at_capacity_seconds) for row in (
        await session.scalars(select(AgentOccupancy).where(
            AgentOccupancy.workspace_id == ws, AgentOccupancy.day > dt.date(2026, 12, 9))))}
    assert rows == {10: (3600.0, 1800.0), 11: (1800.0, 1800.0)}
    timelines = {row.agent_id: row for row in await session.scalars(
        select(AgentTimeline).where(AgentTimeline.workspace_id == ws))}
    assert set(timelines[agent].open_conversations) == {"203"}
    assert timelines[owner.agent.user_id].open_conversations == {"202": "chat"}


async def test_routing_presence_events_carry_capacity_and_agents_without_events_are_seeded(
        session: AsyncSession, owner: Persona) -> None:
    ws = owner.workspace_id
    await session.execute(update(User).where(User.id == owner.agent.user_id)
                          .values(capacity={"chat": 1}))
    start = kst(14, 9)
    await do_set_presence(session, workspace_id=ws, user_id=owner.agent.user_id,
                          presence="online", now=start)
    await session.commit()
    event = await session.scalar(select(OutboxEvent).where(
        OutboxEvent.name == "agent.presence_changed", OutboxEvent.workspace_id == ws))
    assert event is not None and event.payload["capacity"] == {
        "voice": 0, "chat": 1, "email": 0}
    event.created_at = start
    await session.commit()
    await do_fold_occupancy(session, now=start + dt.timedelta(hours=1, minutes=1))
    await session.commit()
    day = (await december(session, ws, 14, 14))[""]
    assert (day["agent_available_seconds"], day["agent_at_capacity_seconds"]) == (3600.0, 0.0)
    assert day["agent_occupancy"] == 0.0
    # Routing's rule decides "at capacity": some class with capacity is full.
    assert at_capacity({"chat": 1, "email": 0}, {"chat": 1})
    assert at_capacity({"chat": 2, "email": 5}, {"chat": 2})
    assert not at_capacity({"chat": 2, "email": 5}, {"chat": 1, "email": 4})
    assert not at_capacity({"chat": 2, "email": 0}, {"email": 1})


def documented_keys() -> set[str]:
    """Return every KPI key of the table in docs/metrics.md (`x_median`, `_p90` → x_p90)."""
    text = (Path(__file__).parents[3] / "docs" / "metrics.md").read_text(encoding="utf-8")
    table = text[text.index("## The KPIs"):].split("\n\n")[0]
    keys: set[str] = set()
    for line in table.splitlines()[3:]:
        names = re.findall(r"`([a-z0-9_]+)`", line.split("|")[1])
        for name in names:
            keys.add(names[0].rsplit("_", 1)[0] + name if name.startswith("_") else name)
    return keys


async def online_four_hours_full_three(session: AsyncSession, ws: int, agent: int) -> None:
    """An agent online 09:00-13:00 with two chats of two from 10:00 (full 3 h), folded."""
    session.add_all([presence(ws, agent, "online", kst(7, 9), CHAT_ONLY),
                     assigned(ws, kst(7, 9), 101, agent), assigned(ws, kst(7, 10), 102, agent),
                     presence(ws, agent, "offline", kst(7, 13))])
    await session.commit()
    await do_fold_occupancy(session, now=kst(8, 0))
    await session.commit()


async def test_the_cli_prints_every_documented_kpi_with_occupancy(
        session: AsyncSession, owner: Persona, db_url: str,
        monkeypatch: pytest.MonkeyPatch) -> None:
    ws, agent = owner.workspace_id, owner.agent.user_id
    await build(session, ws)
    await do_rebuild(session, workspace_id=ws, now=NOW)
    await online_four_hours_full_three(session, ws, agent)
    args = ["report", "kpis", "--workspace", owner.slug, "--from", "2026-12-01", "--to",
            "2026-12-31", "--json"]
    with cli_database(monkeypatch, db_url):
        total = await run_cli(args)
        by = await run_cli([*args, "--by", "agent"])
    assert total.exit_code == 0, total.output
    printed = json.loads(total.output)
    keys = documented_keys()
    assert {"agent_occupancy", "fcr_rate", "first_response_seconds_p90",
            "retention_by_csat", "backlog_age_seconds_max"} <= keys
    assert keys <= set(printed), keys - set(printed)
    assert printed["agent_occupancy"] == 0.75  # online 4 h, full (2 of 2 chats) 3 h
    assert printed["agent_available_seconds"] == 14400.0
    groups = {g["key"]: g for g in json.loads(by.output)["groups"]}
    assert groups[str(agent)]["agent_occupancy"] == 0.75
    assert groups[str(agent)]["agent_at_capacity_seconds"] == 10800.0


async def test_the_reports_page_shows_an_occupancy_tile(
        session: AsyncSession, owner: Persona, client: httpx.AsyncClient) -> None:
    ws, agent = owner.workspace_id, owner.agent.user_id
    await online_four_hours_full_three(session, ws, agent)
    await log_in(client, f"admin@{owner.slug}.example", owner.password)
    page = await client.get("/reports", params={"from": "2026-12-01", "to": "2026-12-31"})
    assert page.status_code == 200, page.text
    tile = page.text.split("상담원 점유율")[1].split("</a>")[0]
    assert "75.0%" in tile


async def test_an_agent_routing_knows_without_events_starts_from_routings_state(
        session: AsyncSession, owner: Persona) -> None:
    ws, agent = owner.workspace_id, owner.agent.user_id
    session.add(AgentStateRow(workspace_id=ws, user_id=agent, presence="online",
                              voice_capacity=0, chat_capacity=1, email_capacity=0))
    customer = await add_customer(session, ws, "C")
    await add_story(session, ws, customer, Story(created=kst(15, 8), assignee_id=agent))
    await add_story(session, ws, customer, Story(created=kst(15, 8), assignee_id=agent,
                                                  resolved=kst(15, 8, 30)))
    await session.commit()
    await do_fold_occupancy(session, now=kst(15, 9, 1))  # starts the timeline at 09:00
    await do_fold_occupancy(session, now=kst(15, 10, 1))
    await session.commit()
    day = (await december(session, ws, 15, 15))[""]
    assert (day["agent_available_seconds"], day["agent_at_capacity_seconds"]) == (
        3600.0, 3600.0)  # one open chat of one: full


async def test_the_breakdown_by_agent_shows_occupancy_and_its_csv_carries_it(
        session: AsyncSession, owner: Persona, client: httpx.AsyncClient) -> None:
    ws, agent = owner.workspace_id, owner.agent.user_id
    await online_four_hours_full_three(session, ws, agent)
    await log_in(client, f"admin@{owner.slug}.example", owner.password)
    december_ = {"from": "2026-12-01", "to": "2026-12-31"}
    page = await client.get("/reports", params={**december_, "by": "agent"})
    assert page.status_code == 200, page.text
    table = page.text.split('class="report-table"')[1].split("</table>")[0]
    assert "상담원 점유율" in table and "최대 처리 시간" in table
    row = table.split("에이전트</a>")[1].split("</tr>")[0]  # the agent's row
    assert '<td class="occupancy">75.0%</td><td>4h 0m</td><td>3h 0m</td>' in row
    # The agent's name still opens their conversations.
    assert f"agent_id={agent}" in table.split("에이전트</a>")[0].rsplit("<a", 1)[1]
    # By channel occupancy is null by definition: the columns are not there.
    by_channel = await client.get("/reports", params={**december_, "by": "channel"})
    table = by_channel.text.split('class="report-table"')[1].split("</table>")[0]
    assert "상담원 점유율" not in table
    csv = await client.get("/api/v1/reports/kpis", params={**december_, "by": "agent",
                                                            "format": "csv"},
                           headers=owner.headers)
    assert csv.status_code == 200, csv.text
    lines = csv.text.lstrip("\ufeff").splitlines()
    head = lines[0].split(",")
    values = next(line.split(",") for line in lines[1:] if line.startswith(f"{agent},"))
    found = dict(zip(head, values, strict=True))
    assert (found["agent_occupancy"], found["agent_available_seconds"],
            found["agent_at_capacity_seconds"]) == ("0.75", "14400.0", "10800.0")


async def test_an_occupancy_goal_reads_the_workspace_or_one_agent_and_not_a_team(
        session: AsyncSession, owner: Persona, client: httpx.AsyncClient) -> None:
    ws, agent, admin = owner.workspace_id, owner.agent.user_id, owner.admin.user_id
    session.add_all([presence(ws, admin, "online", kst(7, 9), CHAT_ONLY),
                     presence(ws, admin, "offline", kst(7, 13))])  # 4 h online, no chat
    await online_four_hours_full_three(session, ws, agent)  # 4 h online, 3 h full
    goal = {"name": "Busy but not swamped", "metric": "agent_occupancy", "target": 0.7,
            "period": "month"}
    made = [await client.post("/api/v1/reports/goals", json=body, headers=owner.headers)
            for body in (goal, {**goal, "scope": "agent", "scope_id": agent})]
    assert [m.status_code for m in made] == [201, 201], made[-1].text
    for scope in ("team", "inbox"):
        refused = await client.post("/api/v1/reports/goals", headers=owner.headers,
                                    json={**goal, "scope": scope, "scope_id": 1})
        assert refused.status_code == 422, refused.text
        assert "one agent" in refused.text
    calendar = workspace_calendar(await get_workspace(session, workspace_id=ws))
    progress = [await goal_progress(session, goal=g, calendar=calendar,
                                    today=dt.date(2026, 12, 31))
                for g in await list_goals(session, workspace_id=ws)]
    assert [(p.scope, p.value, p.on_track) for p in progress] == [
        ("workspace", 0.375, False), ("agent", 0.75, True)]  # higher is better
    # The form on /reports offers it (translated) and says why a team goal is refused.
    csrf = await log_in(client, f"admin@{owner.slug}.example", owner.password)
    page = await client.get("/reports")
    assert '<option value="agent_occupancy" data-unit="percent">상담원 점유율' in page.text
    form = {"csrf": csrf, "name": "팀 점유율", "metric": "agent_occupancy", "target": "75",
            "period": "week", "scope": "team:1"}
    refused_form = await client.post("/reports/goals", data=form)
    assert refused_form.status_code == 422
    assert "팀이나 채널 계정 단위 목표는 만들 수 없습니다" in refused_form.text
    assert 'value="팀 점유율"' in refused_form.text  # what was typed is kept
    added = await client.post("/reports/goals", data={**form, "scope": f"agent:{agent}"})
    assert added.status_code == 303, added.text
    stored = (await list_goals(session, workspace_id=ws))[-1]
    assert (stored.metric, stored.target, stored.scope, stored.scope_id, stored.owner_id) == (
        "agent_occupancy", 0.75, "agent", agent, admin)
    typo = await client.post("/reports/goals", data={**form, "target": "lots"})
    assert typo.status_code == 422 and "목표값(숫자)" in typo.text


async def occupancy_rows(session: AsyncSession) -> dict[tuple[int, int, dt.date],
                                                        tuple[float, float]]:
    """Return every workspace's daily occupancy rows."""
    session.expire_all()
    return {(r.workspace_id, r.agent_id, r.day): (r.available_seconds, r.at_capacity_seconds)
            for r in await session.scalars(select(AgentOccupancy))}


async def test_rebuild_refolds_occupancy_to_the_same_figures_and_leaves_others_alone(
        session: AsyncSession, owner: Persona, outsider: Persona) -> None:
    ws, agent, admin = owner.workspace_id, owner.agent.user_id, owner.admin.user_id
    theirs = outsider.agent.user_id
    session.add_all([
        presence(ws, agent, "online", kst(7, 9), CHAT_ONLY),
        assigned(ws, kst(7, 9), 101, agent), assigned(ws, kst(7, 10), 102, agent),
        conversation(ws, "resolved", kst(7, 12), 102, status="resolved", assignee_id=agent),
        presence(ws, agent, "offline", kst(7, 13)),
        presence(ws, agent, "online", kst(8, 9), CHAT_ONLY),  # still online when folded
        assigned(ws, kst(8, 9), 103, agent),
        presence(outsider.workspace_id, theirs, "online", kst(7, 9), CHAT_ONLY),
    ])
    # Time no stored event holds (like the demo's history): kept by a rebuild.
    session.add(AgentOccupancy(workspace_id=ws, agent_id=admin, day=dt.date(2026, 11, 30),
                               available_seconds=3600.0, at_capacity_seconds=600.0))
    await session.commit()
    await do_fold_occupancy(session, now=kst(7, 11, 1))
    await do_fold_occupancy(session, now=kst(8, 11, 1))  # counted to 11:00 on the 8th
    await session.commit()
    folded = await occupancy_rows(session)
    assert folded[(ws, agent, dt.date(2026, 12, 7))] == (14400.0, 7200.0)
    assert folded[(ws, agent, dt.date(2026, 12, 8))] == (7200.0, 7200.0)  # 101 and 103
    # A rebuild of a workspace whose rows were lost or miscounted puts them back.
    await session.execute(update(AgentOccupancy).where(
        AgentOccupancy.workspace_id == ws, AgentOccupancy.agent_id == agent).values(
        available_seconds=1.0))
    await do_rebuild(session, workspace_id=ws, now=NOW)
    await session.commit()
    assert await occupancy_rows(session) == folded
    await do_rebuild(session, workspace_id=ws, now=NOW)
    await session.commit()
    assert await occupancy_rows(session) == folded  # twice: the same
    # The scheduled fold goes on from where it was: nothing counted twice or lost.
    session.add(conversation(ws, "resolved", kst(8, 12), 103, status="resolved",
                             assignee_id=agent))
    await session.commit()
    await do_fold_occupancy(session, now=kst(8, 13, 1))
    await session.commit()
    after = await occupancy_rows(session)
    assert after[(ws, agent, dt.date(2026, 12, 8))] == (4 * 3600.0, 3 * 3600.0)
    assert after[(outsider.workspace_id, theirs, dt.date(2026, 12, 8))] == (13 * 3600.0, 0.0)
    assert after[(outsider.workspace_id, theirs, dt.date(2026, 12, 7))] == (15 * 3600.0, 0.0)
