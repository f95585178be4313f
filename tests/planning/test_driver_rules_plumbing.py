"""The request's driver rules reach the planner: `plan_request` builds the PlanningProblem's
DriverRules from the tour request and each leg's `driver_free_during_service` from its section
(or the tour's default); the plan's stops say which choice applied.

Routed by a straight-line router (no tiles): only the plumbing is under test.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from voltroute.domain import LatLon, haversine_m
from voltroute.planner import PlanningProblem, StopKind, plan_tour
from voltroute.planning import pipeline
from voltroute.planning.pipeline import PlanningServices, TourInputError, plan_request
from voltroute.planning.tour_request import SectionSpec, StartTime, TourRequest
from voltroute.routing import RouteLeg, TravelCost, TruckProfile
from voltroute.routing.route import Edge, ShapePoint
from voltroute.tachograph import DriverStartState, RuleOptions
from voltroute.vehicles import DEFAULT_VEHICLE_ID, Catalogue

START = datetime(2026, 5, 4, 6, 0, tzinfo=UTC)
STOPS = (LatLon(49.435, 8.59), LatLon(49.372, 8.634), LatLon(49.412, 8.71), LatLon(49.435, 8.59))


class StraightRouter:
    """One edge from start to stop at 60 km/h, on a flat road."""

    def route(self, start: LatLon, stop: LatLon, truck: TruckProfile) -> RouteLeg:
        length_m = max(haversine_m(start, stop), 100.0)
        duration_s = length_m / (60 / 3.6)
        edge = Edge(
            length_m, duration_s, 60.0, "primary", 110.0, 110.0, (), (), False, 1, "DE", 0, 1
        )
        shape = (ShapePoint(start.lat, start.lon, 110.0), ShapePoint(stop.lat, stop.lon, 110.0))
        return RouteLeg(
            shape=shape, edges=(edge,), maneuvers=(), length_m=length_m, duration_s=duration_s
        )

    def match(self, shape: Sequence[LatLon], truck: TruckProfile) -> RouteLeg:
        return self.route(shape[0], shape[-1], truck)

    def matrix(
        self, sources: Sequence[LatLon], targets: Sequence[LatLon], truck: TruckProfile
    ) -> list[list[TravelCost | None]]:
        return [[None for _ in targets] for _ in sources]

    def heights(self, points: Sequence[LatLon]) -> list[float | None]:
        return [110.0 for _ in points]


def tour(*flags: bool | None, **changes: Any) -> TourRequest:
    sections = tuple(
        SectionSpec(
            section_id=f"s{index}",
            start=STOPS[index],
            stop=STOPS[index + 1],
            polyline=None,
            payload_kg=10_000.0,
            service_time_min=40.0,
            power_available_kw=0.0,
            opening_time=None,
            driver_free_during_service=flag,
        )
        for index, flag in enumerate(flags)
    )
    request = TourRequest(
        vehicle_id=DEFAULT_VEHICLE_ID,
        battery_level_start=0.9,
        battery_level_end=0.2,
        sections=sections,
        service_time_departure_min=0.0,
        start_time=StartTime(text=START.isoformat(), instant=START),
        corridor_m=8000,
        min_charge_duration_min=0,
        include_available_charging_stations=False,
        poi_info=None,
    )
    return replace(request, **changes)


@pytest.fixture
def problems(monkeypatch: pytest.MonkeyPatch) -> list[PlanningProblem]:
    """Every PlanningProblem plan_request hands the planner."""
    seen: list[PlanningProblem] = []

    def spy(problem: PlanningProblem) -> Any:
        seen.append(problem)
        return plan_tour(problem)

    monkeypatch.setattr(pipeline, "plan_tour", spy)
    return seen


SERVICES = PlanningServices(router=StraightRouter(), catalogue=Catalogue())


def test_each_section_flag_reaches_its_leg_and_its_stop(problems: list[PlanningProblem]) -> None:
    plan = plan_request(tour(True, None, False), SERVICES, START)

    [problem] = problems
    assert [leg.driver_free_during_service for leg in problem.legs] == [True, False, False]
    customer_stops = [
        s.planned_stop
        for s in plan.sections
        if s.planned_stop.kind in (StopKind.CUSTOMER, StopKind.DESTINATION)
    ]
    assert [stop.driver_free_during_service for stop in customer_stops] == [True, False, False]


def test_the_tour_default_applies_where_a_section_does_not_say(
    problems: list[PlanningProblem],
) -> None:
    plan_request(tour(None, False, None, driver_free_during_service=True), SERVICES, START)
    assert [leg.driver_free_during_service for leg in problems[0].legs] == [True, False, True]


def test_without_extensions_the_law_and_a_rested_driver_are_planned(
    problems: list[PlanningProblem],
) -> None:
    plan_request(tour(None, None, None), SERVICES, START)
    rules = problems[0].driver_rules
    assert rules.law == RuleOptions()
    assert rules.start == DriverStartState()
    assert not any(leg.driver_free_during_service for leg in problems[0].legs)


def test_rules_and_state_reach_the_planning_problem(problems: list[PlanningProblem]) -> None:
    options = RuleOptions(team_driving=True, working_time=False, daily_driving_s=8 * 3600)
    state = DriverStartState(
        driving_since_break_s=3600,
        driving_today_s=7200,
        work_today_s=7200,
        last_daily_rest_end=START - timedelta(hours=3),
    )
    plan = plan_request(
        tour(None, None, None, rule_options=options, driver_state=state), SERVICES, START
    )
    rules = problems[0].driver_rules
    assert (rules.law, rules.start) == (options, state)
    assert plan.team_driving


def test_a_state_no_longer_valid_at_the_tour_start_fails_naming_the_field() -> None:
    state = DriverStartState(last_daily_rest_end=START - timedelta(hours=30))
    with pytest.raises(TourInputError, match=r"^driver_state\.last_daily_rest_end: "):
        plan_request(tour(None, driver_state=state), SERVICES, START)
