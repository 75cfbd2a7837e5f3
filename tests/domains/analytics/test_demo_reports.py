"""The demo's 90 days of reporting history: `omnidesk report kpis --workspace hanbit --json`
prints every KPI with a value a store would recognise (issue 15's Done-when, on what `make run`
loads)."""

from __future__ import annotations

import json

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from tests.cli_run import cli_database, run_cli
from tests.demo_cache import loaded_demo
from tests.domains.analytics.test_reports_api import ISSUE_KEYS

pytestmark = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)  # seconds of writes


async def test_the_demo_reports_plausible_kpis(session: AsyncSession, db_url: str,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    demo = await loaded_demo(session, "history")
    assert "90 days" in demo.summary
    with cli_database(monkeypatch, db_url):
        result = await run_cli(["report", "kpis", "--workspace", "hanbit", "--json"])
    assert result.exit_code == 0, result.output
    kpis = json.loads(result.output)
    assert set(ISSUE_KEYS) <= set(kpis)
    assert all(kpis[key] is not None for key in ISSUE_KEYS), kpis
    assert kpis["conversations"] > 300  # a month of a store's chats
    assert 0 < kpis["first_response_seconds_median"] < kpis["first_response_seconds_p90"]
    assert 0.5 < kpis["fcr_rate"] < 1 and 0 < kpis["reopen_rate"] < 0.2
    assert 3.5 < kpis["csat_average"] <= 5 and -100 <= kpis["nps"] <= 100
    assert 0 < kpis["self_service_confirmed_rate"] < 1
    assert 0 < kpis["self_service_assumed_rate"] < 1 and 0 < kpis["handoff_rate"] < 1
