"""The driver-rule extensions through the API on the real Heidelberg region: refusals in the
contract's 422 shape naming the field, the result's activities, timeline, rules applied and
rule check, and a tenant station that must be vacated when charging ends."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from tests.api.test_planner_api import run_queued_job
from tests.api.test_stations_api import DEPOT_A, depot, import_overlay, overlay
from tests.contract_schema import contract_errors, demo_tour

pytestmark = pytest.mark.integration  # plans or serves on the real Heidelberg tiles

START = "2026-05-04T08:00:00+02:00"


def dated_tour(**extensions: Any) -> dict[str, Any]:
    return demo_tour() | {"start_time_tour": START} | extensions


def planned(client: TestClient, auth: dict[str, str], body: dict[str, Any]) -> dict[str, Any]:
    submitted = client.post("/planner/v2", json=body, headers=auth)
    assert submitted.status_code == 202, submitted.text
    run_queued_job(client, submitted.json()["job_id"])
    result = client.get(
        f"/planner/optimizations/{submitted.json()['optimization_id']}/result", headers=auth
    )
    assert result.status_code == 200, result.text
    answer: dict[str, Any] = result.json()
    return answer


def refusal(client: TestClient, auth: dict[str, str], body: dict[str, Any]) -> dict[str, Any]:
    response = client.post("/planner/v2", json=body, headers=auth)
    assert response.status_code == 422, response.text
    [item] = response.json()["detail"]
    return dict(item)


@pytest.mark.parametrize(
    ("extension", "loc", "words"),
    [
        (
            {"driver_rules": {"break_after_driving_min": 300}},
            ["body", "driver_rules", "break_after_driving_min"],
            "break_after_driving_min must be within 1 h..4 h 30 min, got 5 h",
        ),
        (
            {"driver_rules": {"daily_rest_h": 10}},
            ["body", "driver_rules", "daily_rest_h"],
            "daily_rest_h must be within 11 h..24 h",
        ),
        (
            {"driver_state": {"driving_since_break_min": 275}},
            ["body", "driver_state", "driving_since_break_min"],
            "over the 4 h 30 min of 561/2006 art. 7 already",
        ),
        (
            {"driver_state": {"driving_today_min": -1}},
            ["body", "driver_state", "driving_today_min"],
            "greater than or equal to 0",
        ),
        (
            {"driver_state": {"last_daily_rest_end": "2026-05-03T04:00:00+02:00"}},
            ["body", "driver_state", "last_daily_rest_end"],
            "28 h before the timeline's start: over the 24 h of 561/2006 art. 8(2)",
        ),
        (
            {"driver_state": {"last_daily_rest_end": "2026-05-04T09:00:00+02:00"}},
            ["body", "driver_state", "last_daily_rest_end"],
            "is after the timeline's start",
        ),
    ],
)
def test_a_bad_driver_rule_or_state_is_a_422_naming_the_field(
    client: TestClient, auth: dict[str, str], extension: dict[str, Any], loc: list[Any], words: str
) -> None:
    item = refusal(client, auth, dated_tour(**extension))
    assert item["loc"] == loc
    assert words in item["msg"]


def test_the_demo_tour_s_result_shows_the_driver_s_day_and_passes_the_check(
    client: TestClient, auth: dict[str, str]
) -> None:
    body = dated_tour()
    body["section_list"][1]["driver_free_during_service"] = True
    result = planned(client, auth, body)

    assert contract_errors(result, "OptimizationResultResponse") == []
    assert result["rule_check"] == []
    applied = result["driver_rules_applied"]
    assert applied["driver_free_during_service"] is False
    assert (applied["working_time"], applied["team_driving"]) == (True, False)
    assert applied["break_after_driving_min"] == 270
    flags = {
        s["section_id"]: s["poi_summary"]["driver_free_during_service"]
        for s in result["sections"]
        if s["poi_summary"]["stop_type"] in ("customer", "destination")
    }
    assert flags == {"depot-to-south": False, "south-to-altstadt": True, "altstadt-to-depot": False}
    for section in result["sections"]:
        summary = section["poi_summary"]
        parts = summary["activities"]
        if summary["arrival_time"] != summary["departure_time"]:
            assert parts[0]["start"] == summary["arrival_time"]
            assert parts[-1]["end"] == summary["departure_time"]
    [driver] = result["activity_timeline"]
    kinds = {a["activity"] for a in driver["activities"]}
    assert {"driving", "other_work"} <= kinds
    assert (
        driver["activities"][-1]["end"] == result["sections"][-1]["poi_summary"]["departure_time"]
    )


def test_team_driving_through_the_legacy_endpoint_gives_two_timelines(
    client: TestClient, auth: dict[str, str]
) -> None:
    response = client.post(
        "/planner",
        json=dated_tour(driver_rules={"team_driving": True, "working_time": False}),
        headers=auth,
    )
    assert response.status_code == 200, response.text
    result = response.json()
    assert [t["driver"] for t in result["activity_timeline"]] == [1, 2]
    assert result["rule_check"] == []
    assert result["driver_rules_applied"]["working_time"] is False


def test_a_tenant_station_may_say_its_bay_must_be_vacated(
    client: TestClient, auth: dict[str, str]
) -> None:
    import_overlay(
        client,
        auth,
        overlay(depot("hub", DEPOT_A, vacate_when_charged=True), depot("yard", (49.40, 8.66))),
        source_key="depots",
    )
    hub = client.get("/stations/tenant:hub", headers=auth).json()
    yard = client.get("/stations/tenant:yard", headers=auth).json()
    assert (hub["vacate_when_charged"], yard["vacate_when_charged"]) == (True, False)
