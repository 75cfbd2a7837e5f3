"""Workspace settings API: time zone and business hours are validated before they are stored."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("body", [
    {"timezone": ""},
    {"timezone": "Asia/Seol"},
    {"business_hours": {"timezone": "Nowhere/City"}},
    {"business_hours": {"weekly": {"mon": [["22:00", "25:00"]]}}},
    {"business_hours": {"weekly": {"someday": [["09:00", "18:00"]]}}},
    {"business_hours": {"holidays": ["next tuesday"]}},
])
async def test_bad_time_zones_and_hours_are_refused_with_422(client, owner, body) -> None:
    before = (await client.get("/api/v1/workspace", headers=owner.headers)).json()
    response = await client.patch("/api/v1/workspace", json=body, headers=owner.headers)
    assert response.status_code == 422, response.text
    after = (await client.get("/api/v1/workspace", headers=owner.headers)).json()
    assert (after["timezone"], after["business_hours"]) == (
        before["timezone"], before["business_hours"])


async def test_hours_are_stored_in_their_compact_form(client, owner) -> None:
    hours = {"timezone": "America/New_York",
             "weekly": {"fri": [["22:00", "02:00"]], "sat": [["10:00", "24:00"]]},
             "holidays": ["2026-12-25", {"date": "2026-12-31", "name": "New Year's Eve",
                                         "hours": [["09:00", "13:00"]]}]}
    response = await client.patch("/api/v1/workspace", json={"business_hours": hours},
                                  headers=owner.headers)
    assert response.status_code == 200, response.text
    assert response.json()["business_hours"] == hours
    cleared = await client.patch("/api/v1/workspace", json={"business_hours": {}},
                                 headers=owner.headers)
    assert cleared.json()["business_hours"] == {"weekly": {}, "holidays": []}
