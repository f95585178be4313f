"""Chains of stations (issue 21): the truck charges at one station and drives straight on to
another of the same leg (a StationHop) before it rejoins the route."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from voltroute.domain import StationPowerCurve
from voltroute.planner import (
    CandidateStation,
    OpenInterval,
    PlanningProblem,
    StationHop,
    plan_tour,
)
from voltroute.planner.labels import StopStep
from voltroute.planner.leg_profile import LegProfile
from voltroute.planner.optimizer import EXACT, OptimizerSettings, SearchSpace, usable_stations

from .conftest import WINTER_MORNING, make_leg_input, make_problem
from .test_optimizer import station
from .validator import validate

# Fast to 60 %, then a trickle: worth leaving for the next charger once it is reached.
FAST_THEN_SLOW = StationPowerCurve(((0.6, 400.0), (0.61, 40.0)))
# Open from 3 hours after the drive-off (make_problem's) until the evening.
OPENS_LATE = (
    OpenInterval(WINTER_MORNING + timedelta(hours=3), WINTER_MORNING + timedelta(hours=14)),
)
# A charger 30 minutes off the route each way, as a logistics park behind a town can be.
FAR_S, FAR_KWH = 1800.0, 25.0


def charger(
    station_id: str,
    distance_m: float,
    power_kw: float,
    *,
    leg_index: int = 0,
    detour_s: float = FAR_S,
    detour_kwh: float = FAR_KWH,
    curve: StationPowerCurve | None = None,
) -> CandidateStation:
    """test_optimizer's station, far off the route unless told."""
    return station(
        leg_index,
        distance_m,
        power_kw,
        detour_s=detour_s,
        detour_kwh=detour_kwh,
        station_id=station_id,
        power_curve=curve,
    )


def hop(frm: str, to: str, duration_s: float = 120.0, energy_kwh: float = 1.0) -> StationHop:
    return StationHop(0, frm, to, duration_s, energy_kwh, duration_s * 50 / 3.6)


def long_leg_problem() -> PlanningProblem:
    """400 km, 600 kWh, from 50 %: about 400 kWh to charge on the way, at 100 km."""
    leg = make_leg_input([150.0] * 4, length_m=400_000.0, duration_s=16_000.0)
    return make_problem(leg, soc_start=0.5, min_soc_end=0.1)


def test_a_chain_charges_fast_at_one_station_and_finishes_at_the_next_without_a_second_detour() -> (
    None
):
    stations = (
        charger("fast-to-60", 100_000.0, 400.0, curve=FAST_THEN_SLOW),
        charger("steady", 100_500.0, 150.0),
    )
    problem = replace(long_leg_problem(), stations=stations)
    chained = replace(problem, station_hops=(hop("fast-to-60", "steady"),))
    without = plan_tour(problem)
    plan = plan_tour(chained)
    validate(chained, plan)
    charging = [s for s in plan.sections if s.planned_stop.station_id is not None]
    assert [s.planned_stop.station_id for s in charging] == ["fast-to-60", "steady"]
    assert [s.station_hop for s in charging] == [False, True]
    assert charging[0].planned_stop.soc_departure <= 0.61
    # Without the hop the same two sessions cost a second round trip (two hours less 2 min),
    # and one station alone charges at 40 kW above 60 % or at 150 kW from the start.
    assert plan.arrival < without.arrival
    assert (without.arrival - plan.arrival).total_seconds() > 1800.0


def test_a_hop_is_a_shorter_way_back_to_the_route_past_a_station_the_truck_does_not_stop_at() -> (
    None
):
    # The only charger's way back is long (a one-way street network behind it); the next
    # station's junction is close to it and its own way back is short.
    behind = replace(charger("behind-the-town", 100_000.0, 400.0), detour_from_s=2_400.0)
    passed = charger("near-the-ramp", 103_000.0, 50.0, detour_s=120.0, detour_kwh=2.0)
    problem = replace(long_leg_problem(), stations=(behind, passed))
    chained = replace(problem, station_hops=(hop("behind-the-town", "near-the-ramp", 300.0, 4.0),))
    without = plan_tour(problem)
    plan = plan_tour(chained)
    validate(chained, plan)
    charging = [s for s in plan.sections if s.planned_stop.station_id is not None]
    assert [s.planned_stop.station_id for s in charging] == ["behind-the-town"]
    after = plan.sections[plan.sections.index(charging[0]) + 1]
    # The section after the charger drives the hop and the passed station's way back, and
    # leaves out the 3 km of route between the two junctions.
    assert after.hopped_over_m == 3_000.0
    assert after.passed_station_id == "near-the-ramp"
    assert after.driving_s > 300.0 + 120.0
    saved_s = (without.arrival - plan.arrival).total_seconds()
    assert saved_s > 2_400.0 - 300.0 - 120.0 - 3_000.0 / 25.0 - 60.0


def test_a_hop_backwards_along_the_route_or_shorter_than_the_route_is_not_taken() -> None:
    # Backwards: the second station's junction lies before the first's (the route points are
    # searched in order). A shortcut: the hop with both detours beats the route between the
    # junctions, which the bounds ahead of a point count as the least to drive.
    stations = (
        charger("fast-to-60", 100_000.0, 400.0, curve=FAST_THEN_SLOW),
        charger("steady", 99_500.0, 150.0),
        charger("beyond", 250_000.0, 150.0, detour_s=60.0, detour_kwh=1.0),
    )
    problem = replace(long_leg_problem(), stations=stations)
    hops = (hop("fast-to-60", "steady"), hop("fast-to-60", "beyond", 60.0, 1.0))
    plan = plan_tour(replace(problem, station_hops=hops))
    assert not any(s.station_hop for s in plan.sections)
    assert plan.arrival == plan_tour(problem).arrival


@st.composite
def chained_problems(draw: st.DrawFn) -> PlanningProblem:
    """A 300 km leg that needs charging (3 to 5.5 hours: a break may fall due on the way), two
    to four stations near each other, some opening late or to be left when charged, hops
    between some of them."""
    n_legs = 1
    legs = [
        make_leg_input(
            [draw(st.floats(200.0, 280.0)) for _ in range(2)],
            length_m=300_000.0,
            duration_s=draw(st.floats(10_000.0, 20_000.0)),
        )
    ]
    stations: list[CandidateStation] = []
    site_m = draw(st.floats(50_000.0, 110_000.0))
    for k in range(draw(st.integers(2, 4))):
        # The first tapers early: a chain's case.
        curve = FAST_THEN_SLOW if k == 0 else draw(st.sampled_from([None, FAST_THEN_SLOW]))
        stations.append(
            charger(
                f"s{k}",
                site_m + (0.0 if k == 0 else draw(st.floats(-1_000.0, 5_000.0))),
                400.0 if k == 0 else draw(st.sampled_from([150.0, 300.0])),
                leg_index=draw(st.integers(0, n_legs - 1)),
                detour_s=draw(st.floats(300.0, 2_400.0)),
                detour_kwh=draw(st.floats(1.0, 30.0)),
                curve=curve,
            )
        )
        # Some ways back are longer than the way there (a hop may be the shorter one).
        stations[-1] = replace(
            stations[-1],
            detour_from_s=draw(st.floats(300.0, 3_600.0)),
            open_intervals=draw(st.sampled_from([None, OPENS_LATE])),
            vacate_when_charged=draw(st.booleans()),
        )
    hops = [
        StationHop(
            a.leg_index,
            a.station_id,
            b.station_id,
            draw(st.floats(60.0, 900.0)),
            draw(st.floats(0.5, 10.0)),
            5_000.0,
        )
        for a in stations
        for b in stations
        if a is not b and a.leg_index == b.leg_index and draw(st.booleans())
    ]
    problem = make_problem(*legs, soc_start=draw(st.floats(0.45, 0.7)), min_soc_end=0.1)
    return replace(problem, stations=tuple(stations), station_hops=tuple(hops))


@settings(max_examples=150, deadline=None, derandomize=True, database=None)
@given(problem=chained_problems())
def test_hops_only_add_plans_the_exact_search_never_arrives_later_and_every_chain_is_lawful(
    problem: PlanningProblem,
) -> None:
    exact = OptimizerSettings(soc_step=0.05, driver_step_s=EXACT.driver_step_s, label_limit=0)
    chained = plan_tour(problem, exact)
    alone = plan_tour(replace(problem, station_hops=()), exact)
    assert chained.drivable or not alone.drivable
    if not chained.drivable:
        return
    validate(problem, chained)
    if alone.drivable:
        assert chained.arrival <= alone.arrival


@settings(max_examples=60, deadline=None, derandomize=True, database=None)
@given(problem=chained_problems())
def test_a_plan_s_station_stops_read_without_its_labels_are_the_stops_its_labels_hold(
    problem: PlanningProblem,
) -> None:
    # The core keeps a plan found until it is read (Plan): its station stops (the refinement's
    # stations and targets) come without its labels, and must be the ones they hold, passes
    # at a hop's end included, in tour order.
    profiles = [LegProfile(leg) for leg in problem.legs]
    space = SearchSpace.over(problem, profiles, usable_stations(problem))
    drive_off = problem.earliest_departure + timedelta(seconds=problem.departure_service_s)
    found, _ = space.search(drive_off, OptimizerSettings())
    if found is None:
        return
    held = [
        (step.station, step.soc_departure)
        for step in found.label().steps()
        if isinstance(step, StopStep) and step.station is not None
    ]
    assert found.station_stops() == held
