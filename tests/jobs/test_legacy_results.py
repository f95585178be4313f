"""A job row stored before the plan held typed stations still answers with the same result."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from tests.jobs.test_results import drivable_plan_with_windows_and_charging

from voltroute.api.translate_result import result_body
from voltroute.jobs.results import plan_from_json, plan_to_json
from voltroute.planner import Plan, WindowsReachable
from voltroute.planning.tour_request import SectionSpec, TourRequest

# What the previous version stored (and answered) for a used and an unrouted station.
OLD_POI_LIST: list[dict[str, Any]] = [
    {
        "title": "Autohof Walldorf",
        "address": "Am Autohof 1",
        "distance_from_start": 4321.5,
        "position_lat": 49.3051,
        "position_lon": 8.6432,
        "power": 400.0,
        "detour_from_route": 1350.0,
        "section": 0,
        "position_lat_route": 49.3049871,
        "position_lon_route": 8.6401234,
        "poi_id": 7,
        "mapping": 3,
        "represents": 1,
        "poi_crash": 0,
        "opening_time": "2026-05-04T04:00:00Z",
        "closing_time": "2026-05-04T20:00:00Z",
        "poi_arrival_time": "2026-05-04T05:31:07Z",
        "bookable": True,
        "location_id": "LOC-1",
        "station_id": "bnetza:123",
        "scenario": False,
        "distance_to_route_m": 212.3,
        "detour_duration_s": 118.4,
        "truck_approved": "TT",
        "opening_hours": "Mo-Su 06:00-22:00",
        "amenities": ["toilets", "food, drinks"],
        "tenant_station": False,
        "used_in_sections": [0],
        "alternatives": [
            {
                "name": "Rasthof Hockenheim",
                "address": None,
                "coordinate_lat": 49.31,
                "coordinate_lon": 8.65,
                "station_id": "osm:node/42",
                "poi_id": 9,
                "power_kW": 350.0,
                "detour_from_route": 2100.0,
                "distance_from_chosen_m": -812.4,
                "same_group": False,
                "scenario": True,
            }
        ],
    },
    {
        "title": "Depot Nord",
        "address": None,
        "distance_from_start": 8000.0,
        "position_lat": 49.4,
        "position_lon": 8.7,
        "power": 150.0,
        "detour_from_route": None,
        "section": 1,
        "position_lat_route": 49.4001,
        "position_lon_route": 8.6999,
        "poi_id": 12,
        "mapping": 5,
        "represents": 0,
        "poi_crash": 1,
        "opening_time": None,
        "closing_time": None,
        "poi_arrival_time": None,
        "bookable": None,
        "location_id": None,
        "station_id": "tenant:depot-nord",
        "scenario": False,
        "distance_to_route_m": 35.0,
        "detour_duration_s": None,
        "truck_approved": None,
        "opening_hours": None,
        "amenities": [],
        "tenant_station": True,
        "used_in_sections": [],
    },
]
OLD_AVAILABLE: list[dict[str, Any]] = [
    {
        "id": "bnetza:123",
        "name": "Autohof Walldorf",
        "address": "Am Autohof 1",
        "latitude": 49.3051,
        "longitude": 8.6432,
        "power_available_kW": 400.0,
        "truck_approved": "TT",
        "amenities": "toilets, food, drinks",
        "bookable": True,
        "location_id": "LOC-1",
        "uses_company_vehicle_types": False,
        "scenario": False,
    },
    {
        "id": "tenant:depot-nord",
        "name": "Depot Nord",
        "address": None,
        "latitude": 49.4,
        "longitude": 8.7,
        "power_available_kW": 150.0,
        "truck_approved": None,
        "amenities": None,
        "bookable": None,
        "location_id": None,
        "uses_company_vehicle_types": True,
        "scenario": False,
    },
]


def old_row(plan: Plan) -> dict[str, Any]:
    """The plan as the previous version stored it: contract entries, the contract's tri-state
    string, and each route with its encoded polyline and HERE actions."""
    document = plan_to_json(plan)
    del document["stations_on_route"], document["corridor_stations"]
    document["poi_list"] = OLD_POI_LIST
    document["available_charging_stations"] = OLD_AVAILABLE
    document["windows_reachable"] = "True"
    for stored, section in zip(document["sections"], plan.sections, strict=True):
        stored["route"]["polyline"] = section.route.polyline
        stored["route"]["here_actions"] = [dict(a) for a in section.route.here_actions]
    return json.loads(json.dumps(document))


def request() -> TourRequest:
    return TourRequest(
        vehicle_id="010160700001",
        battery_level_start=0.7,
        battery_level_end=0.2,
        sections=(SectionSpec(None, None, None, None, 12_500, 0, 0, None),),
        service_time_departure_min=15,
        start_time=None,
        corridor_m=8000,
        min_charge_duration_min=0,
        include_available_charging_stations=True,
        poi_info=None,
    )


def test_an_old_row_reads_back_as_typed_stations() -> None:
    plan = plan_from_json(old_row(drivable_plan_with_windows_and_charging()))
    assert plan.windows_reachable is WindowsReachable.TRUE
    used, unrouted = plan.stations_on_route
    assert used.station.amenities == ("toilets", "food, drinks")
    assert used.arrival == datetime(2026, 5, 4, 5, 31, 7, tzinfo=UTC)
    assert used.used_in_sections == (0,)
    assert used.alternatives[0].along_from_chosen_m == -812.4
    assert unrouted.detour_m is None
    assert unrouted.station.tenant_station
    assert [s.station_id for s in plan.corridor_stations] == ["bnetza:123", "tenant:depot-nord"]


def test_an_old_row_answers_with_the_result_it_answered_before() -> None:
    stored = old_row(drivable_plan_with_windows_and_charging())
    body = result_body(plan_from_json(stored), request(), 1, 1, "completed")
    assert json.dumps(body["poi_list"]) == json.dumps(OLD_POI_LIST)
    assert json.dumps(body["available_charging_stations"]) == json.dumps(OLD_AVAILABLE)
    assert body["time_windows_reachable"] == "True"
    for section, row in zip(body["sections"], stored["sections"], strict=True):
        assert section["polyline"] == row["route"]["polyline"]
        assert section["turnByTurnActions"] == row["route"]["here_actions"]
    summary = body["sections"][0]["poi_summary"]
    assert summary["alternatives"] == OLD_POI_LIST[0]["alternatives"]
    assert summary["amenities"] == OLD_POI_LIST[0]["amenities"]
    assert (summary["bookable"], summary["location_id"]) == (True, "LOC-1")
    assert body["sections"][1]["poi_summary"]["alternatives"] == []


def test_an_old_row_stored_again_gives_the_same_result() -> None:
    old = plan_from_json(old_row(drivable_plan_with_windows_and_charging()))
    again = plan_from_json(json.loads(json.dumps(plan_to_json(old))))
    assert again == old
    first = result_body(old, request(), 1, 1, "completed")
    assert json.dumps(result_body(again, request(), 1, 1, "completed")) == json.dumps(first)
