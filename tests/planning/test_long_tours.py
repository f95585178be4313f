"""Long tours on the real Heidelberg region: charging stops, EU 561 breaks and a rest at a charger.

The whole pipeline plans them (routing, energy, the corridor's scenario stations, the optimizer,
the result). The shuttles run between real places of the extract, with 10 minutes of service
at each stop, so every break the plan needs has to be planned rather than found in a long stop.
"""

from __future__ import annotations

from itertools import pairwise
from typing import Any

import pytest

from voltroute.api.schemas import PlannerRequest
from voltroute.regions import Region
from voltroute.tours.local import plan_locally

pytestmark = pytest.mark.integration

PLACES = {
    "heidelberg": [49.4100, 8.6500],
    "eberbach": [49.4650, 8.9850],
    "schwetzingen": [49.3830, 8.5700],
}
BREAK_AFTER_MIN = 270.0  # 4.5 h of driving
RESERVE = 0.1


def shuttle(places: list[str], soc_start: float) -> PlannerRequest:
    """A tour through the places in order, 15 t payload and 10 minutes of service at each."""
    sections = [
        {
            "section_id": f"leg-{i + 1}",
            "start_pos": PLACES[a],
            "stop_pos": PLACES[b],
            "payload_kg": 15_000,
            "service_time_min": 10,
        }
        for i, (a, b) in enumerate(pairwise(places))
    ]
    return PlannerRequest.model_validate(
        {
            "vehicle_id": "010160700001",
            "battery_level_start": soc_start,
            "battery_level_end": 0.2,
            "start_time_tour": "2026-11-24T06:00:00+01:00",
            "poi_info": {"truck_approved": "T", "connector_type": ["CCS"], "min_kW": 150},
            "section_list": sections,
        }
    )


def stops(result: dict[str, Any]) -> list[dict[str, Any]]:
    return [section["poi_summary"] for section in result["sections"]]


def check_driver_and_battery(result: dict[str, Any]) -> None:
    """Never more than 4.5 h of driving without a break; SoC never below the reserve."""
    assert result["qualification"] == "Driveable"
    for stop in stops(result):
        assert stop["driving_time_since_break_min"] <= BREAK_AFTER_MIN + 0.01
        assert stop["start_soc"] >= RESERVE - 1e-6
        assert stop["stop_soc"] >= stop["start_soc"] - 1e-6
    assert result["battery_level_end"] >= 0.2 - 1e-6


def test_a_12_leg_delivery_day_charges_and_breaks_while_charging(
    heidelberg_region: Region,
) -> None:
    places = ["heidelberg", "eberbach", "schwetzingen", "eberbach"] * 3 + ["heidelberg"]
    result = plan_locally(shuttle(places, soc_start=0.6), heidelberg_region.path, 8000)
    check_driver_and_battery(result)
    summary = stops(result)
    assert sum(stop["sec_length_km"] for stop in summary) > 300.0
    charging = [stop for stop in summary if stop["stop_type"] == "charging"]
    assert charging, "the battery cannot do 300+ km from 60 %"
    assert all(stop["station_id"] for stop in charging)
    # More than 4.5 h of driving in all: a full 45-minute break (or its split parts) is planned.
    assert sum(stop["break_time_min"] for stop in summary) >= 45.0 - 0.01
    assert max(stop["break_time_min"] for stop in summary) >= 30.0 - 0.01
    assert all(stop["rest_time_min"] == 0.0 for stop in summary)


def test_a_two_day_tour_rests_at_a_charger(heidelberg_region: Region) -> None:
    places = ["eberbach", "schwetzingen"] * 12 + ["eberbach"]
    result = plan_locally(shuttle(places, soc_start=0.9), heidelberg_region.path, 8000)
    check_driver_and_battery(result)
    summary = stops(result)
    assert sum(stop["sec_length_km"] for stop in summary) > 900.0
    rests = [stop for stop in summary if stop["stop_type"] == "daily_rest"]
    assert len(rests) == 1
    rest = rests[0]
    # A daily rest: 11 h, or 9 h where a reduced one ends the tour sooner (561/2006 art. 8(4)).
    assert rest["rest_time_min"] >= 9 * 60 - 0.01
    # A charger is reachable at the end of the first day: the rest is taken there, charging.
    assert rest["station_id"]
    assert rest["stop_soc"] > rest["start_soc"]
    assert sum(stop["break_time_min"] for stop in summary) >= 2 * 45.0 - 0.01
