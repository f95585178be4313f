"""Tolls of a planned Heidelberg tour: computed after planning, stored with the plan."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from voltroute.domain import LatLon
from voltroute.jobs.results import plan_from_json, plan_to_json
from voltroute.planner import Plan
from voltroute.planning.pipeline import PlanningServices, plan_request
from voltroute.planning.plan_tolls import vehicle_toll_class
from voltroute.planning.tour_request import SectionSpec, TourRequest, parse_start_time
from voltroute.regions import Region
from voltroute.routing import EmbeddedValhallaRouter
from voltroute.tolls import TollVehicle, cost_cents
from voltroute.vehicles import Catalogue

pytestmark = pytest.mark.integration

SUBMITTED = datetime(2026, 8, 31, 12, 0, tzinfo=UTC)
# The demo tour's first two legs; both drive some Autobahn or Bundesstrasse.
DEPOT, SOUTH, ALTSTADT = LatLon(49.4350, 8.5900), LatLon(49.3720, 8.6340), LatLon(49.4122, 8.7100)


def tour(start_time: str) -> TourRequest:
    def section(start: LatLon, stop: LatLon) -> SectionSpec:
        return SectionSpec(None, start, stop, None, 19_300, 10, 0, None)

    return TourRequest(
        vehicle_id="010160700001",
        battery_level_start=0.9,
        battery_level_end=0.2,
        sections=(section(DEPOT, SOUTH), section(SOUTH, ALTSTADT)),
        service_time_departure_min=0,
        start_time=parse_start_time(start_time),
        corridor_m=8000,
        min_charge_duration_min=0,
        include_available_charging_stations=False,
        poi_info=None,
    )


@pytest.fixture(scope="module")
def services(heidelberg_region: Region) -> Iterator[PlanningServices]:
    router = EmbeddedValhallaRouter(heidelberg_region.valhalla_config_path())
    yield PlanningServices(router=router, catalogue=Catalogue())
    router.close()


@pytest.fixture(scope="module")
def plan_2026(services: PlanningServices) -> Plan:
    return plan_request(tour("2026-09-01T08:00:00"), services, SUBMITTED)


def test_the_catalogue_truck_is_an_emission_free_40_t_five_axle_combination() -> None:
    vehicle, warnings = vehicle_toll_class(Catalogue().get("010160700001"))

    assert vehicle == TollVehicle(40_000, 5, emission_free=True, euro_class=None, co2_class=5)
    assert warnings == ()


def test_the_electric_truck_pays_no_german_toll_in_2026(plan_2026: Plan) -> None:
    assert plan_2026.tolls is not None
    sections = plan_2026.tolls.sections
    assert [s.on_date for s in sections] == [date(2026, 9, 1)] * 2
    for section in sections:
        (toll,) = section.systems
        assert toll.tolled_m is not None
        assert toll.tolled_m > 500
        assert toll.cost_cents == 0
        assert toll.exemption is not None
        assert "no. 7" in toll.exemption
        assert toll.diesel_equivalent_cents == cost_cents(Decimal("0.348"), toll.tolled_m)
    (total,) = plan_2026.tolls.totals()
    assert (total.toll_system, total.currency, total.total_cents) == ("TOLL COLLECT GMBH", "EUR", 0)


def test_the_tolls_survive_the_job_result_json(plan_2026: Plan) -> None:
    assert plan_from_json(json.loads(json.dumps(plan_to_json(plan_2026)))) == plan_2026


def test_from_july_2031_the_same_tour_pays_the_co2_class_5_rate(
    services: PlanningServices,
) -> None:
    plan = plan_request(tour("2031-07-01T08:00:00"), services, SUBMITTED)

    assert plan.tolls is not None
    for section in plan.tolls.sections:
        (toll,) = section.systems
        assert toll.tolled_m is not None
        assert toll.exemption is None
        assert toll.cost_cents == cost_cents(Decimal("0.168"), toll.tolled_m) > 0
