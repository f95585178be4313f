"""Result bodies to export: a small hand-made one with every stop kind, and the demo tour planned
in-process on the real Heidelberg region."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from tests.contract_schema import demo_tour

from voltroute.api.schemas import PlannerRequest
from voltroute.regions import Region
from voltroute.routing.flexpolyline import encode_shape
from voltroute.routing.route import ShapePoint
from voltroute.tours import plan_locally

PLANNED_AT = datetime(2026, 5, 4, 6, 0, tzinfo=UTC)


def _section(
    points: list[tuple[float, float, float]], summary: dict[str, Any], soc: tuple[float, float]
) -> dict[str, Any]:
    shape = [ShapePoint(lat, lon, elevation) for lat, lon, elevation in points]
    return {
        "section_id": summary.pop("section_id", None),
        "polyline": encode_shape(shape),
        "start_pos": [points[0][0], points[0][1], soc[0]],
        "stop_pos": [points[-1][0], points[-1][1], soc[1]],
        "payload_kg": 19300.0,
        "length_m": 5000.0,
        "duration_min": 6.0,
        "energy_kWh": 6.2,
        "poi_summary": {
            "coordinate_lat": points[-1][0],
            "coordinate_lon": points[-1][1],
            "sec_duration_min": 6.0,
            **summary,
        },
    }


@pytest.fixture
def small_result() -> dict[str, Any]:
    """Four sections ending at a charging stop, a break, a daily rest and the destination."""
    stop = {"start_soc": 0.3, "stop_soc": 0.3, "energy_kWh": 0.0, "charge_time_min": 0.0}
    return {
        "optimization_id": 7,
        "tour_id": 7,
        "status": "succeeded",
        "qualification": "Driveable",
        "battery_level_start": 0.8,
        "battery_level_end": 0.3,
        "sections": [
            _section(
                [(49.40, 8.60, 110.0), (49.41, 8.61, 115.5), (49.42, 8.62, 120.0)],
                {
                    "section_id": "to-charger",
                    "name": "Scenario: Rest area",
                    "stop_type": "charging",
                    "arrival_time": "2026-05-04T06:30:00Z",
                    "departure_time": "2026-05-04T07:00:00Z",
                    "arrival_time_local": "2026-05-04T08:30:00+02:00",
                    "start_soc": 0.2,
                    "stop_soc": 0.8,
                    "energy_kWh": 360.0,
                    "charge_time_min": 28.0,
                    "service_time_min": 30.0,
                    "station_id": "st-1",
                },
                (0.8, 0.2),
            ),
            _section(
                [(49.42, 8.62, 120.0), (49.43, 8.63, 130.0)],
                {
                    **stop,
                    "name": "Break",
                    "stop_type": "break",
                    "arrival_time": "2026-05-04T11:30:00Z",
                    "departure_time": "2026-05-04T12:15:00Z",
                    "break_time_min": 45.0,
                },
                (0.8, 0.5),
            ),
            _section(
                [(49.43, 8.63, 130.0), (49.44, 8.64, 125.0)],
                {
                    **stop,
                    "name": "Daily rest",
                    "stop_type": "daily_rest",
                    "arrival_time": "2026-05-04T16:00:00Z",
                    "departure_time": "2026-05-05T03:00:00Z",
                    "rest_time_min": 660.0,
                },
                (0.5, 0.3),
            ),
            _section(
                [(49.44, 8.64, 125.0), (49.45, 8.65, 118.0)],
                {
                    **stop,
                    "section_id": "last",
                    "name": "Destination",
                    "stop_type": "destination",
                    "arrival_time": "2026-05-05T03:20:00Z",
                    "departure_time": "2026-05-05T03:20:00Z",
                },
                (0.3, 0.3),
            ),
        ],
        "poi_list": [
            {
                "title": "Scenario: Rest area",
                "position_lat": 49.42,
                "position_lon": 8.62,
                "power": 400.0,
                "section": 0,
                "detour_from_route": 120.0,
                "station_id": "st-1",
                "scenario": True,
            }
        ],
        "available_charging_stations": [
            {"id": "st-1", "name": "Scenario: Rest area", "latitude": 49.42, "longitude": 8.62},
            {"id": "st-2", "name": "Depot", "latitude": 49.3, "longitude": 8.5, "scenario": False},
        ],
    }


@pytest.fixture(scope="session")
def planned_result(heidelberg_region: Region) -> dict[str, Any]:
    """The README's demo tour (three sections, stations in the corridor) planned in-process."""
    body = {**demo_tour(), "include_available_charging_stations": True}
    return plan_locally(
        PlannerRequest.model_validate(body), heidelberg_region.path, 8000, now=PLANNED_AT
    )


LOCAL = timedelta(hours=2)  # Heidelberg in May (CEST)


def activity(kind: str, start: str, end: str, place: str | None = None) -> dict[str, Any]:
    """An activity as the result gives it: UTC and local times, minutes (and place)."""
    begins, ends = datetime.fromisoformat(start), datetime.fromisoformat(end)
    zone = timezone(LOCAL)
    entry: dict[str, Any] = {
        "activity": kind,
        "start": begins.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "end": ends.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "start_local": begins.astimezone(zone).isoformat(),
        "end_local": ends.astimezone(zone).isoformat(),
        "duration_min": (ends - begins).total_seconds() / 60.0,
    }
    if place is not None:
        entry["place"] = place
    return entry


def _at(clock: str, day: int = 4) -> str:
    return f"2026-05-0{day}T{clock}:00+00:00"


@pytest.fixture
def timeline_result() -> dict[str, Any]:
    """A day and a night with the activity timeline: service then a 45-minute break at a
    customer, plugging and waiting at a charger, a roadside daily rest, service at the end."""

    def section(
        index: int, end: tuple[float, float], summary: dict[str, Any], parts: list[dict[str, Any]]
    ) -> dict[str, Any]:
        start = (49.40 + 0.01 * index, 8.60 + 0.01 * index)
        built = _section(
            [(*start, 110.0), (*end, 120.0)],
            {"section_id": f"leg-{index + 1}", **summary, "activities": parts},
            (0.8, 0.6),
        )
        built["poi_summary"]["driver_free_during_service"] = False
        return built

    stop = {"start_soc": 0.6, "stop_soc": 0.6, "energy_kWh": 0.0, "charge_time_min": 0.0}
    first = section(
        0,
        (49.41, 8.61),
        {
            **stop,
            "name": "Customer A",
            "stop_type": "customer",
            "arrival_time": "2026-05-04T08:00:00Z",
            "departure_time": "2026-05-04T09:45:00Z",
            "arrival_time_local": "2026-05-04T10:00:00+02:00",
            "service_time_min": 105.0,
            "break_time_min": 45.0,
        },
        [
            activity("other_work", _at("08:00"), _at("09:00")),
            activity("break", _at("09:00"), _at("09:45")),
        ],
    )
    first["start_departure_time"] = "2026-05-04T06:00:00Z"
    sections = [
        first,
        section(
            1,
            (49.42, 8.62),
            {
                "name": "Rest area",
                "stop_type": "charging",
                "arrival_time": "2026-05-04T10:30:00Z",
                "departure_time": "2026-05-04T11:10:00Z",
                "arrival_time_local": "2026-05-04T12:30:00+02:00",
                "start_soc": 0.3,
                "stop_soc": 0.8,
                "energy_kWh": 300.0,
                "charge_time_min": 30.0,
                "service_time_min": 40.0,
                "station_id": "st-1",
            },
            [
                activity("other_work", _at("10:30"), _at("10:35")),
                activity("availability", _at("10:35"), _at("11:05")),
                activity("other_work", _at("11:05"), _at("11:10")),
            ],
        ),
        section(
            2,
            (49.43, 8.63),
            {
                **stop,
                "name": "Daily rest",
                "stop_type": "daily_rest",
                "arrival_time": "2026-05-04T14:00:00Z",
                "departure_time": "2026-05-05T01:00:00Z",
                "arrival_time_local": "2026-05-04T16:00:00+02:00",
                "rest_time_min": 660.0,
            },
            [activity("daily_rest", _at("14:00"), _at("01:00", day=5))],
        ),
        section(
            3,
            (49.44, 8.64),
            {
                **stop,
                "name": "Destination",
                "stop_type": "destination",
                "arrival_time": "2026-05-05T01:30:00Z",
                "departure_time": "2026-05-05T01:50:00Z",
                "arrival_time_local": "2026-05-05T03:30:00+02:00",
                "service_time_min": 20.0,
            },
            [activity("other_work", _at("01:30", day=5), _at("01:50", day=5))],
        ),
    ]
    driver = [
        activity("other_work", _at("05:45"), _at("06:00"), "Start"),
        activity("driving", _at("06:00"), _at("08:00"), "Start - Customer A"),
        activity("other_work", _at("08:00"), _at("09:00"), "Customer A"),
        activity("break", _at("09:00"), _at("09:45"), "Customer A"),
        activity("driving", _at("09:45"), _at("10:30"), "Customer A - Rest area"),
        activity("other_work", _at("10:30"), _at("10:35"), "Rest area"),
        activity("availability", _at("10:35"), _at("11:05"), "Rest area"),
        activity("other_work", _at("11:05"), _at("11:10"), "Rest area"),
        activity("driving", _at("11:10"), _at("14:00"), "Rest area - Daily rest"),
        activity("daily_rest", _at("14:00"), _at("01:00", day=5), "Daily rest"),
        activity("driving", _at("01:00", day=5), _at("01:30", day=5), "Daily rest - Destination"),
        activity("other_work", _at("01:30", day=5), _at("01:50", day=5), "Destination"),
    ]
    return {
        "optimization_id": 8,
        "tour_id": 8,
        "status": "succeeded",
        "qualification": "Driveable",
        "battery_level_start": 0.8,
        "battery_level_end": 0.6,
        "sections": sections,
        "poi_list": [],
        "activity_timeline": [{"driver": 1, "activities": driver}],
        "driver_rules_applied": {"driver_free_during_service": False, "working_time": True},
        "rule_check": [],
    }
