"""Long tours on the long-haul networks, planned as `voltroute plan` plans them.

Berlin-Brandenburg with the real Bundesnetzagentur register (4,514 stations), Denmark with its
labelled scenario overlay at real motorway exits, Rhein-Neckar without chargers: the example
tours of examples/ are drivable as the README says, charge where they must, rest where the law
says, and a filter no station passes comes back not drivable with the place it binds.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from voltroute.api.schemas.request import PlannerRequest
from voltroute.regions import Region, ensure_region
from voltroute.tours.local import plan_locally

pytestmark = [pytest.mark.integration, pytest.mark.slow]

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "examples"
CACHE = REPO / ".cache" / "regions"
CORRIDOR_M = 2000


@pytest.fixture(scope="module")
def rhein_neckar(shared_data: Path) -> Region:
    return ensure_region(
        shared_data / "osm" / "rhein-neckar.osm.pbf", CACHE / "rhein-neckar", replace=True
    )


def _plan(region: Region, tour: str, **changes: Any) -> dict[str, Any]:
    body = json.loads((EXAMPLES / tour).read_text())
    body.update(changes)
    return plan_locally(PlannerRequest.model_validate(body), region.path, CORRIDOR_M)


def _stops(result: dict[str, Any], stop_type: str) -> list[dict[str, Any]]:
    return [
        s["poi_summary"] for s in result["sections"] if s["poi_summary"]["stop_type"] == stop_type
    ]


def _km(result: dict[str, Any]) -> float:
    return sum(s["length_m"] for s in result["sections"]) / 1000


def test_the_berlin_tour_charges_at_a_real_register_station(
    berlin_brandenburg_region: Region,
) -> None:
    result = _plan(berlin_brandenburg_region, "berlin-brandenburg-tour.json")
    assert result["status"] == "succeeded"
    assert _km(result) > 380
    (charging,) = _stops(result, "charging")
    chosen = next(p for p in result["poi_list"] if p["station_id"] == charging["station_id"])
    assert chosen["scenario"] is False  # a real register entry, not an invented site
    assert chosen["power"] >= 150
    assert len(result["poi_list"]) >= 100  # the corridor of a 400 km tour through Berlin
    assert result["battery_level_end"] >= 0.2


def test_a_power_no_station_reaches_is_not_drivable_and_says_where(
    berlin_brandenburg_region: Region,
) -> None:
    result = _plan(
        berlin_brandenburg_region, "berlin-brandenburg-tour.json", poi_info={"min_kW": 4000}
    )
    assert result["status"] == "not_drivable"
    reason = result["not_drivable_reason"]
    assert reason["code"] in {"battery_depleted_mid_route", "no_chargers_available"}
    assert "km" in reason["message"]
    assert result["poi_list"] == []


def test_the_two_day_denmark_tour_rests_overnight_and_charges_at_scenario_sites(
    denmark_region: Region,
) -> None:
    result = _plan(denmark_region, "denmark-two-day-tour.json")
    assert result["status"] == "succeeded"
    assert _km(result) > 1000
    assert _stops(result, "daily_rest") or any(
        s["poi_summary"]["rest_time_min"] >= 540 for s in result["sections"]
    )
    charging = _stops(result, "charging")
    assert len(charging) >= 2
    for stop in charging:
        entry = next(p for p in result["poi_list"] if p["station_id"] == stop["station_id"])
        assert entry["scenario"] is True
        assert entry["title"].startswith("Scenario: ")


def test_the_long_denmark_tour_crosses_the_country(denmark_region: Region) -> None:
    result = _plan(denmark_region, "denmark-long-haul-tour.json")
    assert result["status"] == "succeeded"
    assert _km(result) > 600


def test_a_tour_across_rhein_neckar_needs_no_charger(rhein_neckar: Region) -> None:
    result = _plan(rhein_neckar, "rhein-neckar-tour.json")
    assert result["status"] == "succeeded"
    assert _km(result) > 150
    assert _stops(result, "charging") == []


TRUCK_FILTERS = {"truck_approved": "T", "connector_pos": "RIGHT", "min_kW": 150}


def test_filters_the_register_cannot_answer_are_named_with_the_way_out(
    berlin_brandenburg_region: Region,
) -> None:
    result = _plan(
        berlin_brandenburg_region, "berlin-brandenburg-tour.json", poi_info=TRUCK_FILTERS
    )
    assert result["status"] == "not_drivable"
    reason = result["not_drivable_reason"]
    assert reason["code"] == "no_chargers_available"
    assert "truck_approved removed" in reason["message"]
    assert "the Bundesnetzagentur register has no truck-approval field" in reason["message"]
    assert reason["removed_by_filter"]["truck_approved"] >= 10
    assert (
        reason["unknown_by_filter"]["truck_approved"]
        == reason["removed_by_filter"]["truck_approved"]
    )
    assert reason["binding_filters"] == ["truck_approved", "connector_pos"]
    assert reason["drivable_without_binding_filters"] is True
    assert "Without truck_approved and connector_pos the tour is drivable" in reason["message"]
    assert reason["charging_without_binding_filters"]


def test_unknown_station_data_accepted_plans_the_tour_and_warns(
    berlin_brandenburg_region: Region,
) -> None:
    body = json.loads((EXAMPLES / "berlin-brandenburg-tour.json").read_text())
    body["poi_info"] = TRUCK_FILTERS
    result = plan_locally(
        PlannerRequest.model_validate(body),
        berlin_brandenburg_region.path,
        CORRIDOR_M,
        accept_unknown_station_data=True,
    )
    assert result["status"] == "succeeded"
    (charging,) = _stops(result, "charging")
    section = next(s for s in result["sections"] if s["poi_summary"] is charging)
    assert any("truck approval unknown" in w for w in section["warnings"])
