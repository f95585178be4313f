"""The compiled search (cpp/, search_core) against the Python reference: the same plans."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import UTC, datetime, time, timedelta

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from voltroute.planner import ArrivalWindow, OpenInterval, PlanningProblem
from voltroute.planner.labels import DriveStep, StopStep
from voltroute.planner.optimizer import (
    EXACT,
    PREPASS,
    OptimizerSettings,
    Solution,
    _arrival_key,
    optimize,
)
from voltroute.vehicles.vehicle import Connector

from .conftest import make_leg_input, make_problem
from .test_optimizer import STEP, long_instances, small_instances, station

SETTINGS = {
    "default": OptimizerSettings(soc_step=STEP),
    "exact": replace(EXACT, soc_step=STEP),
    "narrow": replace(EXACT, soc_step=STEP, label_limit=2),
    "first pass always": OptimizerSettings(soc_step=STEP, prepass_min_points=0),
    "prepass": PREPASS,
}


def assert_same(compiled: Solution, reference: Solution) -> None:
    """Same plan: drive-off, stops, SoCs and times (to rounding), what was dropped, or the
    same place and energy where no plan exists."""
    assert compiled.drive_off == reference.drive_off
    assert compiled.exhaustive == reference.exhaustive
    if reference.arrival_lower_bound_s is None:
        assert compiled.arrival_lower_bound_s is None
    else:
        assert compiled.arrival_lower_bound_s == pytest.approx(
            reference.arrival_lower_bound_s, abs=1e-6
        )
    if reference.best is None:
        assert compiled.best is None
        assert (compiled.reach is None) == (reference.reach is None)
        if reference.reach is not None and compiled.reach is not None:
            assert compiled.reach.leg == reference.reach.leg
            assert compiled.reach.distance_m == pytest.approx(reference.reach.distance_m)
            assert compiled.reach.missing_kwh == pytest.approx(reference.reach.missing_kwh)
        return
    assert compiled.best is not None
    c_key, r_key = _arrival_key(compiled.best), _arrival_key(reference.best)
    assert c_key[0] == r_key[0]
    assert c_key[1:] == pytest.approx(r_key[1:], abs=1e-6)
    c_steps, r_steps = compiled.best.steps(), reference.best.steps()
    assert [type(s) for s in c_steps] == [type(s) for s in r_steps]
    for c, r in zip(c_steps, r_steps, strict=True):
        if isinstance(c, DriveStep) and isinstance(r, DriveStep):
            assert (c.leg, c.from_m, c.to_m) == (r.leg, r.from_m, r.to_m)
            assert c.start_s == pytest.approx(r.start_s, abs=1e-6)
            assert [s.kind for s in c.roadside] == [s.kind for s in r.roadside]
        elif isinstance(c, StopStep) and isinstance(r, StopStep):
            assert c.station == r.station
            assert (c.kind, c.window_met) == (r.kind, r.window_met)
            assert c.soc_departure == pytest.approx(r.soc_departure, abs=1e-9)
            assert c.standstill_s == pytest.approx(r.standstill_s, abs=1e-6)
            assert c.waiting_s == pytest.approx(r.waiting_s, abs=1e-6)
            assert len(c.before) == len(r.before)
            assert len(c.after) == len(r.after)


@st.composite
def windowed_instances(draw: st.DrawFn) -> PlanningProblem:
    """Long legs with windows that may run past midnight, in one of three time zones, and a
    start on a day the clocks change."""
    zone = draw(st.sampled_from(["Europe/Berlin", "America/New_York", "Asia/Kolkata"]))
    legs = []
    for _ in range(draw(st.integers(2, 5))):
        hours = draw(st.floats(1.0, 4.0))
        opens = draw(st.integers(0, 23))
        window = draw(
            st.one_of(
                st.none(),
                st.builds(
                    lambda w, opens=opens: ArrivalWindow(
                        time(opens, 0), time((opens + w) % 24, 30)
                    ),
                    st.integers(1, 12),
                ),
            )
        )
        legs.append(
            make_leg_input(
                [hours * 20.0] * 2,
                length_m=hours * 70_000.0,
                duration_s=hours * 3600.0,
                service_s=draw(st.sampled_from([0.0, 1800.0])),
                dwell_kw=draw(st.sampled_from([0.0, 0.0, 50.0, 150.0])),
                window=window,
                time_zone=zone,
            )
        )
    start = draw(
        st.sampled_from(
            [datetime(2026, 3, 28, 20, 0, tzinfo=UTC), datetime(2026, 10, 24, 22, 0, tzinfo=UTC)]
        )
    ) + timedelta(hours=draw(st.integers(0, 30)))
    problem = make_problem(*legs, soc_start=0.9, soc_end_min=0.1, earliest_departure=start)
    stations = []
    for k in range(draw(st.integers(0, 4))):
        leg_index = draw(st.integers(0, len(legs) - 1))
        opens = start + timedelta(hours=draw(st.floats(0.0, 30.0)))
        hours = draw(st.one_of(st.none(), st.floats(0.5, 12.0)))
        stations.append(
            station(
                leg_index,
                draw(st.floats(0.0, problem.legs[leg_index].route.length_m)),
                draw(st.sampled_from([150.0, 400.0])),
                detour_s=draw(st.floats(60.0, 600.0)),
                open_intervals=None
                if hours is None
                else (OpenInterval(opens, opens + timedelta(hours=hours)),),
                station_id=f"s{k}",
            )
        )
    return replace(problem, stations=tuple(stations))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    problem=st.one_of(small_instances(), long_instances(), windowed_instances()),
    name=st.sampled_from(sorted(SETTINGS)),
)
def test_the_compiled_search_finds_the_reference_search_plan(
    problem: PlanningProblem, name: str
) -> None:
    chosen = SETTINGS[name]
    compiled = optimize(problem, chosen)
    reference = optimize(problem, replace(chosen, compiled=False))
    event("no plan" if reference.best is None else "plan")
    assert_same(compiled, reference)


def test_a_start_below_the_reserve_is_reported_the_same_way() -> None:
    problem = make_problem(make_leg_input([30.0], length_m=20_000.0, duration_s=900.0))
    problem = replace(problem, soc_start=problem.soc_reserve / 2)
    assert_same(optimize(problem), optimize(problem, OptimizerSettings(compiled=False)))


def long_tour(seed: int) -> PlanningProblem:
    """A 500 km day-and-a-half tour with 120 stations, windows and opening hours (seeded)."""
    rng = random.Random(seed)
    legs = [
        make_leg_input(
            [rng.uniform(0.8, 1.5) for _ in range(83)],
            length_m=83_000.0,
            duration_s=83 / rng.uniform(60.0, 85.0) * 3600.0,
            service_s=rng.uniform(20, 90) * 60.0,
            window=ArrivalWindow(time(6, 0), time(20, 0)) if i % 3 == 2 else None,
        )
        for i in range(6)
    ]
    problem = make_problem(*legs, soc_start=0.6, soc_end_min=0.2)
    stations = []
    for k in range(120):
        leg_index = rng.randrange(len(legs))
        opens = problem.earliest_departure + timedelta(hours=rng.uniform(0.0, 30.0))
        stations.append(
            station(
                leg_index,
                rng.uniform(0.0, 83_000.0),
                rng.choice([150.0, 300.0, 400.0, 720.0, 1000.0]),
                detour_s=rng.uniform(60.0, 480.0),
                connector=rng.choice([Connector.CCS, Connector.MCS]),
                open_intervals=(OpenInterval(opens, opens + timedelta(hours=16)),)
                if rng.random() < 0.25
                else None,
                station_id=f"s{k}",
            )
        )
    return replace(problem, stations=tuple(stations))


@pytest.mark.slow
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_on_long_tours_with_many_stations_both_searches_find_the_same_plan(seed: int) -> None:
    problem = long_tour(seed)
    compiled = optimize(problem)
    assert compiled.best is not None
    assert any(
        isinstance(step, StopStep) and step.station is not None for step in compiled.best.steps()
    )
    assert_same(compiled, optimize(problem, OptimizerSettings(compiled=False)))
