"""What bounds the search: a finer SoC grid never loses to the default one, and a proof stops
at its memory limit with a plan that says it is not proven."""

from __future__ import annotations

from dataclasses import replace
from datetime import time

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from voltroute.planner import ArrivalWindow, Plan, PlanningProblem, plan_tour, search_core
from voltroute.planner.optimizer import EXACT, OptimizerSettings, optimize
from voltroute.vehicles.vehicle import ChargingCurve, Connector

from .conftest import EACTROS, make_leg_input, make_problem
from .test_optimizer import long_instances, long_tour, small_instances, station, with_stations
from .validator import validate


def tour_s(plan: Plan) -> float:
    # As the optimizer counts it: to when the last stop's window lets the truck in (waiting
    # there instead of on the way is no earlier a tour).
    waiting_s = plan.sections[-1].planned_stop.waiting_s
    return (plan.arrival - plan.departure).total_seconds() + waiting_s


def missed(plan: Plan) -> int:
    return sum(1 for s in plan.sections if s.planned_stop.window_met is False)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    problem=st.one_of(small_instances(), long_instances()),
    step=st.sampled_from([0.01, 0.005, 0.001]),
    label_limit=st.sampled_from([2, 10, 100]),
)
def test_a_finer_grid_never_plans_a_later_tour_than_the_default_grid(
    problem: PlanningProblem, step: float, label_limit: int
) -> None:
    default = plan_tour(problem, OptimizerSettings(label_limit=label_limit))
    finer = plan_tour(problem, OptimizerSettings(soc_step=step, label_limit=label_limit))
    assert finer.drivable == default.drivable
    if not default.drivable:
        return
    validate(problem, finer)
    event("finer is earlier" if tour_s(finer) < tour_s(default) - 1.0 else "as early")
    assert (missed(finer), tour_s(finer)) <= (missed(default), tour_s(default) + 1e-3)


def fewer_misses_later() -> PlanningProblem:
    """An instance the test above drew (no station curve in it): one 50 kW MCS station, a
    09:00-11:00 window at the second stop and a 06:00-07:00 one at the last, which a drive-off
    at 07:00 UTC misses today; meeting it tomorrow is the plan of fewer missed windows."""
    problem = make_problem(
        make_leg_input(
            [5.0, 40.17405070528333, 60.0], length_m=30_000.0, duration_s=300.078125,
            service_s=1200.0,
        ),
        make_leg_input([5.0], duration_s=300.0, window=ArrivalWindow(time(9, 0), time(11, 0))),
        make_leg_input([5.0, 46.0, 60.0], length_m=30_000.0, duration_s=300.1169599803866),
        make_leg_input(
            [5.0, 5.0, 51.0], length_m=30_000.0, duration_s=300.0, service_s=1200.0,
            window=ArrivalWindow(time(6, 0), time(7, 0)),
        ),
        soc_start=0.75,
        min_soc_end=0.28125,
    )  # fmt: skip
    curve = ChargingCurve(((0.0, 60.6), (0.2, 101.0), (0.5, 101.0), (1.0, 20.2)))
    return replace(
        problem,
        vehicle=replace(EACTROS, charging_curve=curve, mcs_max_kw=1000.0),
        min_charge_duration_s=600.0,
        stations=(
            station(
                1, 0.0, 50.0, detour_s=124.0, detour_kwh=4.5, connector=Connector.MCS,
                station_id="s0",
            ),
        ),
    )  # fmt: skip


def test_a_finer_grid_s_departure_survives_searches_that_miss_fewer_windows() -> None:
    # Drawn when the truck could not yet stand near a stop for its next window: both grids
    # missed the last window, the default grid left at 06:57:15 and met the 09:00 window
    # without waiting (4365 s), while the finer grid's own departure bisection stopped at
    # 06:47:20 with 1027 s of waiting (4960 s): from every later drive-off tried, its search
    # (label limit 10) returned a plan meeting tomorrow's last window instead, which does not
    # arrive by the target. The finer grid now also delays the default grid's plan and takes
    # the shorter tour.
    problem = fewer_misses_later()
    default = plan_tour(problem, OptimizerSettings(label_limit=10))
    finer = plan_tour(problem, OptimizerSettings(soc_step=0.01, label_limit=10))
    assert (missed(finer), tour_s(finer)) <= (missed(default), tour_s(default) + 1e-3)


def test_a_proof_that_would_outgrow_its_memory_stops_and_says_it_is_not_proven() -> None:
    problem = with_stations(
        long_tour(), *(station(leg, 10_000.0 * k, 150.0) for leg in range(4) for k in range(1, 9))
    )
    proof = optimize(problem, EXACT)
    assert proof.best is not None
    assert proof.exhaustive
    # Far fewer labels than the proof needs (it makes some 20 within the first pass's bound):
    # the search stops short, the plan is the first pass's, and nothing is claimed about the
    # optimum.
    capped = optimize(problem, replace(EXACT, max_labels=10))
    assert capped.best is not None
    assert not capped.exhaustive
    assert capped.arrival_lower_bound_s is None
    plan = plan_tour(problem, replace(EXACT, max_labels=10))
    validate(problem, plan)
    assert plan.drivable
    assert not plan.search_exhaustive


def test_a_capped_search_that_found_nothing_plans_with_the_label_limit_instead() -> None:
    problem = with_stations(
        long_tour(), *(station(leg, 10_000.0 * k, 150.0) for leg in range(4) for k in range(1, 9))
    )
    # No first pass and a cap nothing fits under: the plan comes from a label-limited search.
    settings = replace(EXACT, max_labels=1, prepass_above_points=10**9)
    solution = optimize(problem, settings)
    assert solution.best is not None
    assert not solution.exhaustive
    assert plan_tour(problem, settings).drivable


@pytest.mark.parametrize("field", ["max_labels", "prepass_above_points"])
def test_negative_bounds_are_rejected(field: str) -> None:
    with pytest.raises(ValueError, match=field):
        OptimizerSettings(**{field: -1})  # type: ignore[arg-type]


def test_a_tour_that_cannot_be_driven_is_proven_so_where_its_last_charge_is() -> None:
    # Two hours to a station, then six legs of 100 kWh each: after the station no battery
    # lasts. A label short of energy with no charging ahead is dead where it stands, so a proof
    # (no label limit, no plan to bound it) stops at the station instead of searching every
    # schedule of breaks and rests over the legs after it; it says where the truck runs dry as
    # the default search does.
    legs = [make_leg_input([40.0] * 2, length_m=160_000.0, duration_s=2 * 3600.0)]
    legs += [
        make_leg_input([50.0] * 2, length_m=160_000.0, duration_s=2 * 3600.0, service_s=3600.0)
        for _ in range(6)
    ]
    problem = with_stations(make_problem(*legs, soc_start=0.9), station(0, 150_000.0, 400.0))
    made: list[int] = []
    search = search_core.core.search

    def counted(laid: search_core.core.Problem, chosen: search_core.core.Settings) -> object:
        result = search(laid, chosen)
        made.append(result.labels_made)
        return result

    search_core.core.search = counted  # type: ignore[assignment]
    try:
        proof = optimize(problem, EXACT)
    finally:
        search_core.core.search = search  # type: ignore[assignment]
    default = optimize(problem)
    assert proof.best is None
    assert default.best is None
    assert proof.reach is not None
    assert default.reach is not None
    assert (proof.reach.leg, proof.reach.distance_m) == pytest.approx(
        (default.reach.leg, default.reach.distance_m)
    )
    assert proof.reach.missing_kwh == pytest.approx(default.reach.missing_kwh)
    assert sum(made) < 2_000
