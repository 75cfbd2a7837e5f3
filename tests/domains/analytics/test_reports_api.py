"""The reports API and `omnidesk report kpis`: keys, breakdowns, CSV, agents' own slice."""

from __future__ import annotations

import json

import httpx
import pytest

from omnidesk.core.security import new_api_token
from omnidesk.domains.agents.models import ApiToken
from omnidesk.domains.analytics.actions import do_rebuild
from tests.cli_run import cli_database, run_cli
from tests.conftest import Persona
from tests.domains.analytics.history import Story, add_customer, add_story, kst
from tests.domains.analytics.test_kpis import NOW, build

pytestmark = pytest.mark.parametrize("db_url", ["sqlite", "postgresql"], indirect=True)
DECEMBER = {"from": "2026-12-01", "to": "2026-12-31"}
ISSUE_KEYS = ("first_response_seconds_median", "resolution_seconds_median", "fcr_rate",
              "reopen_rate", "csat_average", "nps", "ces_average",
              "self_service_confirmed_rate", "self_service_assumed_rate", "handoff_rate",
              "sla_attainment")


async def test_the_api_answers_kpis_series_and_tables(session, owner: Persona,
                                                      client: httpx.AsyncClient) -> None:
    await build(session, owner.workspace_id)
    await add_story(session, owner.workspace_id, await add_customer(session, owner.workspace_id,
                                                                    "F"),
                    Story(created=kst(20, 10), agent_replies=[kst(20, 10, 1)],
                          assignee_id=owner.agent.user_id))
    await do_rebuild(session, workspace_id=owner.workspace_id, now=NOW)
    await session.commit()
    answer = await client.get("/api/v1/reports/kpis", params=DECEMBER, headers=owner.headers)
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert set(ISSUE_KEYS) <= set(body)
    assert set(body["retention_by_csat"]) == {"low", "neutral", "high", "none"}
    assert "retention_rate" in body
    assert body["conversations"] == 9 and body["fcr_rate"] == 0.5
    assert body["previous"]["conversations"] == 0  # November
    by_channel = (await client.get("/api/v1/reports/kpis", params={**DECEMBER, "by": "channel"},
                                   headers=owner.headers)).json()
    assert sum(g["conversations"] for g in by_channel["groups"]) == 9
    series = (await client.get("/api/v1/reports/series", params=DECEMBER,
                               headers=owner.headers)).json()
    assert len(series) == 31 and series[10]["conversations"] == 1  # 11 December: c1
    heat = (await client.get("/api/v1/reports/heatmap", params=DECEMBER,
                             headers=owner.headers)).json()
    assert heat[4 * 24 + 17]["conversations"] == 1  # Friday 17:00
    drill = (await client.get("/api/v1/reports/conversations",
                              params={**DECEMBER, "only": "not_fcr"},
                              headers=owner.headers)).json()
    assert len(drill) == 2
    csv = await client.get("/api/v1/reports/conversations",
                           params={**DECEMBER, "only": "handoff", "format": "csv"},
                           headers=owner.headers)
    assert csv.headers["content-type"].startswith("text/csv")
    assert csv.text.lstrip("\ufeff").startswith("conversation_id,")
    surveys = (await client.get("/api/v1/reports/surveys", params=DECEMBER,
                                headers=owner.headers)).json()
    assert surveys["csat"]["5"] == 1 and surveys["csat"]["2"] == 1
    bot = (await client.get("/api/v1/reports/bot", params=DECEMBER,
                            headers=owner.headers)).json()
    assert bot["handoff_reasons"] == [{"key": "customer_request", "conversations": 1}]


async def test_an_agent_sees_only_their_own_and_bad_input_is_a_4xx(
        session, owner: Persona, client: httpx.AsyncClient) -> None:
    await build(session, owner.workspace_id)
    await add_story(session, owner.workspace_id, await add_customer(session, owner.workspace_id,
                                                                    "F"),
                    Story(created=kst(20, 10), agent_replies=[kst(20, 10, 1)],
                          assignee_id=owner.agent.user_id))
    await do_rebuild(session, workspace_id=owner.workspace_id, now=NOW)
    await session.commit()
    token, token_hash, prefix = new_api_token()
    session.add(ApiToken(workspace_id=owner.workspace_id, user_id=owner.agent.user_id,
                         name="agent", token_hash=token_hash, prefix=prefix, role="agent"))
    await session.commit()
    own = (await client.get("/api/v1/reports/kpis", params=DECEMBER,
                            headers={"Authorization": f"Bearer {token}"})).json()
    assert own["conversations"] == 1
    for params in ({"from": "2026-13-01"}, {"from": "2026-12-05", "to": "2026-12-01"},
                   {**DECEMBER, "by": "weather"}):
        answer = await client.get("/api/v1/reports/kpis", params=params, headers=owner.headers)
        assert 400 <= answer.status_code < 500, (params, answer.text)
    bad = await client.get("/api/v1/reports/conversations", params={"only": "nope"},
                           headers=owner.headers)
    assert bad.status_code in {400, 422}


async def test_the_cli_prints_every_kpi_key_as_json(session, owner: Persona, db_url: str,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    await build(session, owner.workspace_id)
    await do_rebuild(session, workspace_id=owner.workspace_id, now=NOW)
    await session.commit()
    with cli_database(monkeypatch, db_url):
        result = await run_cli(["report", "kpis", "--workspace", owner.slug, "--from",
                                "2026-12-01", "--to", "2026-12-31", "--json"])
        by = await run_cli(["report", "kpis", "--workspace", owner.slug, "--from",
                            "2026-12-01", "--to", "2026-12-31", "--by", "intent", "--json"])
        wrong = await run_cli(["report", "kpis", "--workspace", "nobody", "--json"])
    assert result.exit_code == 0, result.output
    printed = json.loads(result.output)
    assert set(ISSUE_KEYS) <= set(printed) and printed["reopen_rate"] == 0.25
    assert "retention_rate" in printed and "high" in printed["retention_by_csat"]
    assert {g["key"] for g in json.loads(by.output)["groups"]} == {"", "refund"}
    assert wrong.exit_code == 1 and "no workspace" in wrong.output


async def test_every_number_drills_down_and_every_table_exports_csv(
        session, owner: Persona, client: httpx.AsyncClient) -> None:
    ids = await build(session, owner.workspace_id)
    await do_rebuild(session, workspace_id=owner.workspace_id, now=NOW)
    await session.commit()

    async def listed(**params: object) -> list[int]:
        answer = await client.get("/api/v1/reports/conversations",
                                  params={**DECEMBER, **params}, headers=owner.headers)
        assert answer.status_code == 200, answer.text
        return sorted(row["conversation_id"] for row in answer.json())

    assert await listed(hour_of_week=4 * 24 + 17) == [ids["c1"]]  # a heatmap cell
    assert await listed(only="csat_2") == [ids["c6"]]  # a bar of the CSAT distribution
    assert await listed(only="nps_10") == [ids["c3"]]
    assert await listed(only="handoff", handoff_reason="customer_request") == [ids["c6"]]
    assert await listed(only="handoff", intent="refund") == [ids["c6"]]
    assert await listed(only="self_service_confirmed") == [ids["c4"]]
    for path, header in (("kpis", "kpi,value,previous"), ("series", "date,"),
                         ("heatmap", "hour_of_week,"), ("surveys", "kind,score,conversations"),
                         ("bot", "table,key,conversations"), ("conversations", "conversation_id,"),
                         ("staffing", "hour_of_week,")):
        answer = await client.get(f"/api/v1/reports/{path}", params={**DECEMBER, "format": "csv"},
                                  headers=owner.headers)
        assert answer.status_code == 200, (path, answer.text)
        assert answer.text.lstrip("\ufeff").startswith(header), (path, answer.text[:80])
    bad = await client.get("/api/v1/reports/conversations",
                           params={**DECEMBER, "hour_of_week": 168}, headers=owner.headers)
    assert bad.status_code == 422
