"""The planner endpoints on the real Heidelberg region: results in the contract's shape."""

from __future__ import annotations

import itertools
from datetime import datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient
from tests.contract_schema import (
    SIX_OCLOCK_START_UTC,
    contract_errors,
    demo_tour,
    six_oclock_tour,
)

from voltroute.composition import Backend
from voltroute.jobs.runner import JobRunner

pytestmark = pytest.mark.integration  # plans or serves on the real Heidelberg tiles


def request_stops(sections: list[dict[str, Any]]) -> list[str]:
    """section_id of the sections that end at one of the request's own stops."""
    return [
        s["section_id"]
        for s in sections
        if s["poi_summary"]["stop_type"] in ("customer", "destination")
    ]


def run_queued_job(client: TestClient, job_id: str) -> None:
    """Do what a worker does for one job (the e2e tests use real worker processes)."""
    backend: Backend = client.app.state.backend  # type: ignore[attr-defined]
    JobRunner(backend.store, backend.planning, "test-worker").run(job_id)


def submit_and_run(
    client: TestClient, auth: dict[str, str], body: dict[str, Any]
) -> dict[str, Any]:
    submitted = client.post("/planner/v2", json=body, headers=auth)
    assert submitted.status_code == 202, submitted.text
    assert contract_errors(submitted.json(), "PlannerV2SubmitResponse") == []
    run_queued_job(client, submitted.json()["job_id"])
    return dict(submitted.json())


def test_a_submitted_tour_yields_a_contract_valid_result(
    client: TestClient, auth: dict[str, str]
) -> None:
    submitted = submit_and_run(client, auth, demo_tour())
    status = client.get(f"/planner/jobs/{submitted['job_id']}", headers=auth).json()
    assert contract_errors(status, "JobStatusResponse") == []
    assert status["status"] == "succeeded"
    assert status["vehicle_id"] == "010160700001"
    result = client.get(
        f"/planner/optimizations/{submitted['optimization_id']}/result", headers=auth
    ).json()
    assert contract_errors(result, "OptimizationResultResponse") == []
    assert result["qualification"] == "Driveable"
    # Inserted stops add sections; the request's own stops stay, in order.
    assert request_stops(result["sections"]) == [
        "depot-to-south",
        "south-to-altstadt",
        "altstadt-to-depot",
    ]
    assert result["poi_list"], "the scenario stations along the A5 are candidates"
    for entry in result["poi_list"]:
        assert contract_errors(entry, "ResultPOI") == []
        assert entry["scenario"] is True
    assert result["sections"][-1]["poi_summary"]["name"] == "Destination"
    assert result["time_windows_reachable"] == "True"
    assert result["optimal_departure_time"].endswith("Z")


def test_result_sections_chain_soc_and_time(client: TestClient, auth: dict[str, str]) -> None:
    submitted = submit_and_run(client, auth, demo_tour())
    result = client.get(
        f"/planner/optimizations/{submitted['optimization_id']}/result", headers=auth
    ).json()
    sections = result["sections"]
    assert sections[0]["start_pos"][2] == 0.8
    for before, after in itertools.pairwise(sections):
        assert after["start_pos"][2] == before["poi_summary"]["stop_soc"]
        assert after["poi_summary"]["arrival_time"] > before["poi_summary"]["arrival_time"]
    for section in sections:
        summary = section["poi_summary"]
        assert summary["sec_length_km"] * 1000 == section["length_m"] / 1000 * 1000
        assert summary["start_soc"] == section["stop_pos"][2]
        assert section["turnByTurnActions"][0]["action"] == "depart"
        assert section["turnByTurnActions"][-1]["action"] == "arrive"
    kinds = [s["poi_summary"]["stop_type"] for s in sections]
    assert [k for k in kinds if k in ("customer", "destination")] == [
        "customer",
        "customer",
        "destination",
    ]
    assert all(s["warnings"] == [] for s in sections)  # well under 4.5 h of driving
    depot = next(s for s in sections if s["section_id"] == "south-to-altstadt")
    charging = depot["poi_summary"]  # 20 min at a 150 kW depot charger
    assert charging["stop_soc"] > charging["start_soc"]
    assert 0 < charging["charge_time_min"] <= 20
    assert charging["energy_kWh"] > 0
    assert result["battery_level_end"] == sections[-1]["poi_summary"]["stop_soc"]


def test_a_tour_asked_to_start_at_six_leaves_at_six_in_the_result(
    client: TestClient, auth: dict[str, str]
) -> None:
    submitted = submit_and_run(client, auth, six_oclock_tour())
    path = f"/planner/optimizations/{submitted['optimization_id']}/result"
    result = client.get(path, headers=auth).json()
    assert contract_errors(result, "OptimizationResultResponse") == []
    sections = result["sections"]
    assert sections[0]["start_departure_time"] == SIX_OCLOCK_START_UTC
    for before, after in itertools.pairwise(sections):
        assert after["start_departure_time"] == before["poi_summary"]["departure_time"]
    for section in sections:
        # Rounded, not cut: leaving plus the leg's driving is the arrival to within a second.
        leaves = datetime.fromisoformat(section["start_departure_time"])
        arrives = datetime.fromisoformat(section["poi_summary"]["arrival_time"])
        driven_s = (arrives - leaves).total_seconds()
        assert driven_s == pytest.approx(section["duration_min"] * 60.0, abs=1.5)
    geojson = client.get(f"{path}.geojson", headers=auth).json()
    origin = next(
        f["properties"] for f in geojson["features"] if f["properties"].get("stop_type") == "origin"
    )
    assert origin["departure_time"] == SIX_OCLOCK_START_UTC


def test_the_synchronous_endpoint_returns_the_plan_directly(
    client: TestClient, auth: dict[str, str]
) -> None:
    response = client.post("/planner", json=demo_tour(), headers=auth)
    assert response.status_code == 200, response.text
    body = response.json()
    assert contract_errors(body, "PlannerResponse") == []
    assert body["vehicle_id"] == "010160700001"
    assert request_stops(body["sections"])[-1] == "altstadt-to-depot"
    assert body["qualification"] == "Driveable"
    # The demo tour's plan is proven optimal: it arrives at the lower bound of every plan (with
    # the driver rules' counters the search may reach its label limit on the way).
    assert body["optimality"] == {
        "exhaustive": body["optimality"]["exhaustive"],
        "arrival_lower_bound": body["optimality"]["arrival_lower_bound"],
        "gap_min": 0.0,
    }
    assert body["optimality"]["arrival_lower_bound"].endswith("Z")


def test_a_depleting_tour_is_not_drivable_with_the_km_named(
    client: TestClient, auth: dict[str, str]
) -> None:
    body = demo_tour()
    body["battery_level_start"] = 0.12
    body["poi_info"] = {"min_kW": 5000}  # a filter no station passes
    submitted = submit_and_run(client, auth, body)
    status = client.get(f"/planner/jobs/{submitted['job_id']}", headers=auth).json()
    assert status["status"] == "not_drivable"
    result = client.get(
        f"/planner/optimizations/{submitted['optimization_id']}/result", headers=auth
    ).json()
    assert contract_errors(result, "OptimizationResultResponse") == []
    assert result["qualification"] == "not_drivable"
    reason = result["not_drivable_reason"]
    assert reason["code"] in ("battery_depleted_mid_route", "no_chargers_available")
    assert f"km {reason['distance_from_start_km']:.1f}" in reason["message"]
    assert reason["missing_energy_kWh"] > 0


def test_a_low_battery_tour_gets_a_charging_stop_at_a_corridor_station(
    client: TestClient, auth: dict[str, str]
) -> None:
    body = demo_tour()
    body["battery_level_start"] = 0.12
    submitted = submit_and_run(client, auth, body)
    result = client.get(
        f"/planner/optimizations/{submitted['optimization_id']}/result", headers=auth
    ).json()
    assert result["qualification"] == "Driveable"
    charging = [
        s["poi_summary"] for s in result["sections"] if s["poi_summary"]["stop_type"] == "charging"
    ]
    assert charging
    assert charging[0]["name"].startswith("Scenario: ")
    assert charging[0]["stop_soc"] > charging[0]["start_soc"]
    assert charging[0]["charge_time_min"] > 0
    assert charging[0]["id"] == charging[0]["station_id"]
    assert charging[0]["plug_overhead_min"] > 0
    assert charging[0]["driving_time_since_break_min"] > 0


def test_cancel_stops_a_queued_job_for_good(client: TestClient, auth: dict[str, str]) -> None:
    submitted = client.post("/planner/v2", json=demo_tour(), headers=auth).json()
    canceled = client.post(f"/planner/jobs/{submitted['job_id']}/cancel", headers=auth)
    assert canceled.status_code == 200
    assert canceled.json()["status"] == "canceled"
    run_queued_job(client, submitted["job_id"])  # a late worker must not revive it
    status = client.get(f"/planner/jobs/{submitted['job_id']}", headers=auth).json()
    assert status["status"] == "canceled"
    result = client.get(
        f"/planner/optimizations/{submitted['optimization_id']}/result", headers=auth
    )
    assert result.status_code == 404
    assert "canceled" in result.json()["detail"]


def test_jobs_are_listed_for_their_user_newest_first(
    client: TestClient, auth: dict[str, str]
) -> None:
    first = client.post("/planner/v2", json=demo_tour(), headers=auth).json()
    second = client.post("/planner/v2", json=demo_tour(), headers=auth).json()
    backend: Backend = client.app.state.backend  # type: ignore[attr-defined]
    user_id = backend.store.get(first["job_id"]).user_id  # type: ignore[union-attr]
    listed = client.get(f"/planner/jobs?user_id={user_id}", headers=auth).json()
    assert contract_errors(listed, "JobListResponse") != []  # a list, not one object
    for entry in listed:
        assert contract_errors(entry, "JobListResponse") == []
    assert [entry["job_id"] for entry in listed] == [second["job_id"], first["job_id"]]
    assert client.get(f"/planner/jobs?user_id={user_id + 999}", headers=auth).json() == []


def test_health_and_metrics_need_no_token(client: TestClient, auth: dict[str, str]) -> None:
    client.post("/planner/v2", json=demo_tour(), headers=auth)
    health = client.get("/health").json()
    assert health["status"] == "degraded"  # the in-process app runs no worker
    assert health["region"] == "heidelberg"
    metrics = client.get("/metrics").text
    assert 'voltroute_jobs{status="queued"} 1.0' in metrics
    assert 'route="/planner/v2"' in metrics


def test_an_unroutable_position_fails_the_job_with_a_message(
    client: TestClient, auth: dict[str, str]
) -> None:
    body = demo_tour()
    body["section_list"][0]["stop_pos"] = [49.45, 8.35]  # inside the bbox, off the clipped network
    body["section_list"][1]["start_pos"] = [49.45, 8.35]
    submitted = submit_and_run(client, auth, body)
    status = client.get(f"/planner/jobs/{submitted['job_id']}", headers=auth).json()
    assert status["status"] == "failed"
    result = client.get(
        f"/planner/optimizations/{submitted['optimization_id']}/result", headers=auth
    )
    assert result.status_code == 404
    detail = result.json()["detail"]
    assert "section 0" in detail
    assert "49.45000, 8.35000" in detail


def test_a_section_given_as_a_polyline_is_matched_onto_the_network(
    client: TestClient, auth: dict[str, str]
) -> None:
    no_stations = {**demo_tour(), "poi_info": {"min_kW": 5000}}  # keep the legs unsplit
    routed = client.post("/planner", json=no_stations, headers=auth).json()
    first = routed["sections"][0]
    body = {**no_stations, "section_list": [{"section_id": "given", "polyline": first["polyline"]}]}
    matched = client.post("/planner", json=body, headers=auth)
    assert matched.status_code == 200, matched.text
    section = matched.json()["sections"][0]
    assert abs(section["length_m"] - first["length_m"]) <= 0.02 * first["length_m"]
    assert section["poi_summary"]["sec_energy_consumption_kWhkm"] == pytest.approx(
        first["poi_summary"]["sec_energy_consumption_kWhkm"], rel=0.05
    )
    assert section["turnByTurnActions"][-1]["action"] == "arrive"
