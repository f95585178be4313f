"""Plans stored as JSON in the job row come back unchanged."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

import pytest

from voltroute.domain import LatLon
from voltroute.jobs.results import plan_from_json, plan_to_json
from voltroute.planner import (
    AlternativeStation,
    ArrivalWindow,
    CorridorStation,
    Plan,
    PlannedLegInput,
    PlanningProblem,
    PlanWarning,
    StationOnRoute,
    plan_tour,
)
from voltroute.routing.route import Edge, Maneuver, RouteLeg, ShapePoint
from voltroute.vehicles import DEFAULT_VEHICLE_ID, Catalogue

EACTROS = Catalogue().get(DEFAULT_VEHICLE_ID)
HEIDELBERG = LatLon(49.40, 8.60)


def leg(
    start: LatLon,
    energy_kwh: float,
    *,
    service_s: float = 0.0,
    dwell_kw: float = 0.0,
    window: ArrivalWindow | None = None,
    duration_s: float = 450.0,
) -> PlannedLegInput:
    """A 10 km eastbound leg of one edge, with a motorway exit manoeuvre."""
    stop = LatLon(start.lat, start.lon + 0.138)
    route = RouteLeg(
        shape=(
            ShapePoint(start.lat, start.lon, 110.0),
            ShapePoint(start.lat, start.lon + 0.069, 125.5),
            ShapePoint(stop.lat, stop.lon, 101.25),
        ),
        edges=(
            Edge(
                length_m=10_000.0,
                duration_s=duration_s,
                speed_kph=80.0,
                road_class="motorway",
                elevation_start_m=110.0,
                elevation_end_m=101.25,
                names=("Bundesautobahn 5",),
                refs=("A 5",),
                toll=True,
                way_id=4_242_424_242,
                country_code="DE",
                begin_shape_index=0,
                end_shape_index=2,
            ),
        ),
        maneuvers=(
            Maneuver(
                type=20,
                instruction="Take exit 37 toward Heidelberg.",
                length_m=10_000.0,
                duration_s=duration_s,
                begin_shape_index=0,
                end_shape_index=2,
                street_names=("A 5",),
                bearing_before=90,
                bearing_after=95,
                exit_numbers=("37",),
                exit_branches=("A 656",),
                exit_towards=("Heidelberg",),
            ),
            Maneuver(4, "You have arrived.", 0.0, 0.0, 2, 2),
        ),
        length_m=10_000.0,
        duration_s=duration_s,
    )
    return PlannedLegInput(
        section_id="s-1",
        start=start,
        stop=stop,
        route=route,
        edge_energy_kwh=(energy_kwh,),
        payload_kg=12_500.0,
        service_time_s=service_s,
        dwell_power_kw=dwell_kw,
        window=window,
        stop_time_zone="Europe/Berlin",
        opening_time=("09:00:00", "17:00:00") if window else None,
    )


def drivable_plan_with_windows_and_charging() -> Plan:
    first = leg(HEIDELBERG, 11.3, service_s=1800.0, dwell_kw=150.0)
    second = leg(first.stop, 9.7, window=ArrivalWindow(time(9, 0), time(17, 0)))
    return plan_tour(
        PlanningProblem(
            vehicle=EACTROS,
            legs=(first, second),
            soc_start=0.7,
            min_soc_end=0.2,
            earliest_departure=datetime(2026, 5, 4, 7, 0, tzinfo=ZoneInfo("Europe/Berlin")),
            departure_service_s=900.0,
        )
    )


def not_drivable_plan_with_warnings() -> Plan:
    # 40 % - 3 x 70 kWh crosses the 10 % reserve on the third leg; the last leg takes 5 h.
    legs = (*(leg(HEIDELBERG, 70.0) for _ in range(3)), leg(HEIDELBERG, 50.0, duration_s=18_000.0))
    plan = plan_tour(
        PlanningProblem(
            vehicle=EACTROS,
            legs=legs,
            soc_start=0.4,
            min_soc_end=0.1,
            earliest_departure=datetime(2026, 1, 13, 6, 0, tzinfo=UTC),
        )
    )
    # The planner schedules breaks now, so warnings are rare: carry one explicitly.
    return replace(plan, warnings=(PlanWarning(3, "Section 3: an example warning."),))


def plan_with_stations_on_route() -> Plan:
    plan = drivable_plan_with_windows_and_charging()
    walldorf = CorridorStation(
        station_id="bnetza:123",
        name="Autohof Walldorf",
        address="Am Autohof 1",
        position=LatLon(49.3051, 8.6432),
        max_power_kw=400.0,
        truck_access="TT",
        amenities=("toilets", "food"),
        bookable=True,
        location_id="LOC-1",
        opening_hours="Mo-Su 06:00-22:00",
        tenant_station=False,
        scenario=False,
    )
    used = StationOnRoute(
        station=walldorf,
        corridor_number=7,
        leg_index=0,
        distance_along_leg_m=4321.543,
        route_point=LatLon(49.30498712, 8.64012345),
        distance_to_route_m=212.34,
        power_kw=400.0,
        detour_m=1350.25,
        detour_s=118.43,
        group_id=3,
        represents_group=True,
        position_conflict=False,
        arrival=datetime(2026, 5, 4, 5, 31, 7, 250_000, tzinfo=UTC),
        opens=datetime(2026, 5, 4, 4, 0, tzinfo=UTC),
        closes=None,
        used_in_sections=(0,),
        alternatives=(
            AlternativeStation(
                station_id="osm:node/42",
                name="Rasthof Hockenheim",
                address=None,
                position=LatLon(49.31, 8.65),
                corridor_number=9,
                power_kw=350.0,
                detour_m=2100.0,
                along_from_chosen_m=-812.4,
                same_group=False,
                scenario=True,
            ),
        ),
    )
    unrouted = replace(used, corridor_number=8, detour_m=None, detour_s=None, arrival=None)
    return replace(
        plan,
        stations_on_route=(used, replace(unrouted, used_in_sections=(), alternatives=())),
        corridor_stations=(walldorf, replace(walldorf, station_id="tenant:d", tenant_station=True)),
    )


@pytest.mark.parametrize(
    "plan",
    [
        drivable_plan_with_windows_and_charging(),
        not_drivable_plan_with_warnings(),
        plan_with_stations_on_route(),
    ],
    ids=["drivable-windows-charging", "not-drivable-warnings", "stations-on-route"],
)
def test_a_plan_survives_the_trip_through_json_unchanged(plan: Plan) -> None:
    stored = json.loads(json.dumps(plan_to_json(plan)))
    restored = plan_from_json(stored)
    assert restored == plan
    assert restored.departure.utcoffset() is not None


def test_the_sample_plans_cover_what_a_plan_can_hold() -> None:
    # Guards the round-trip test against sample plans that silently lose their variety.
    drivable = drivable_plan_with_windows_and_charging()
    assert drivable.drivable
    assert drivable.optimal_departure is not None
    assert drivable.sections[0].planned_stop.charged_kwh > 0
    broken = not_drivable_plan_with_warnings()
    assert broken.not_drivable is not None
    assert broken.warnings
