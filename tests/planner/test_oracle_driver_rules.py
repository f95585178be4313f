"""The optimizer against the exhaustive driver-rules oracle on small tours where the rules bind.

Instances of 2-4 legs and 5-14 h of driving, a few stations, services (work, or free time when
the driver is free during them), some windows and driver states: breaks, working-time breaks,
10-hour days and daily rests (reduced, split, regular) decide the arrival. The oracle
(driver_rules_oracle.py) knows the rules only through the independent roadside check; the
optimizer's plans (production and exhaustive settings) must pass the same check and arrive no
later than the oracle's earliest lawful arrival, but for one SoC grid step of charging per
charging stop of the oracle's plan (its targets need not lie on the optimizer's grid).

The hand-built tours at the end are the smallest found where the optimizer is beaten (issue 20,
item 6): each names the plan the oracle finds, and fails while the optimizer does not find it.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import time, timedelta

import pytest
from hypothesis import HealthCheck, Phase, event, given, settings
from hypothesis import strategies as st
from hypothesis.control import currently_in_test_context

from voltroute.planner import (
    ArrivalWindow,
    Plan,
    PlannedLegInput,
    PlanningProblem,
    StopKind,
    plan_tour,
)
from voltroute.planner.activity_timeline import driver_timelines
from voltroute.planner.driver_rules import DriverRules
from voltroute.planner.optimizer import EXACT, OptimizerSettings
from voltroute.tachograph import (
    Activity,
    ActivityKind,
    DriverStartState,
    RuleOptions,
    check_timeline,
)
from voltroute.vehicles import charge_time_s
from voltroute.vehicles.vehicle import Connector

from .conftest import WINTER_MORNING, make_leg_input, make_problem
from .driver_rules_oracle import CLOSING_REST_S, OracleBudgetError, Schedule, oracle_best
from .test_optimizer import station
from .validator import validate

H = 3600.0
STEP = 0.05
# The checker reads instants to the microsecond and forgives a second; the oracle takes no
# advantage of that, but its clock and the plan's round differently.
TOL_S = 1.0
# The oracle's budget per instance: on tours where only idling for a later window meets it, its
# search can run for many minutes (the missed windows count first, so time bounds nothing).
MAX_CHECKS = 15_000
SETTINGS = {
    "production": OptimizerSettings(),
    "exhaustive": replace(EXACT, soc_step=STEP),
}


@st.composite
def binding_instances(draw: st.DrawFn) -> PlanningProblem:
    """2-4 legs, 5-14 h of driving in all, 1-4 stations, services, windows, driver states."""
    n_legs = draw(st.integers(2, 4))
    total_h = draw(st.floats(5.0, 14.0))
    shares = draw(st.lists(st.floats(0.2, 1.0), min_size=n_legs, max_size=n_legs))
    legs = []
    for share in shares:
        hours = total_h * share / sum(shares)
        kwh_per_h = draw(st.floats(20.0, 70.0))
        window = draw(
            st.one_of(
                st.none(),
                st.none(),
                st.builds(
                    lambda opens, hours: ArrivalWindow(time(opens, 0), time((opens + hours) % 24)),
                    st.integers(0, 23),
                    st.integers(1, 10),
                ),
            )
        )
        made = make_leg_input(
            [hours * kwh_per_h / 2] * 2,
            length_m=hours * 70_000.0,
            duration_s=hours * H,
            service_s=draw(st.sampled_from([0.0, 900.0, 1800.0, 3600.0, 7200.0, 10800.0])),
            window=window,
        )
        legs.append(replace(made, driver_free_during_service=draw(st.booleans())))
    problem = make_problem(
        *legs,
        soc_start=draw(st.floats(0.3, 1.0)),
        min_soc_end=draw(st.sampled_from([0.1, 0.2])),
        departure_service_s=draw(st.sampled_from([0.0, 0.0, 1800.0])),
    )
    stations = []
    for k in range(draw(st.integers(1, 4))):
        leg_index = draw(st.integers(0, n_legs - 1))
        stations.append(
            station(
                leg_index,
                draw(st.floats(0.0, problem.legs[leg_index].route.length_m)),
                draw(st.sampled_from([150.0, 400.0, 1000.0])),
                detour_s=draw(st.floats(60.0, 900.0)),
                detour_kwh=draw(st.floats(0.5, 5.0)),
                connector=Connector.CCS,
                station_id=f"s{k}",
            )
        )
    law = RuleOptions(working_time=draw(st.booleans()) or draw(st.booleans()))
    start = draw(
        st.sampled_from(
            [
                DriverStartState(),
                DriverStartState(reduced_rests_used=3),
                DriverStartState(extended_days_used=2),
                # Driven 3 h since a rest that ended 4 h before the tour.
                DriverStartState(
                    driving_since_break_s=3 * H,
                    first_break_part_taken=True,
                    work_since_break_s=3 * H,
                    driving_today_s=3 * H,
                    work_today_s=3.5 * H,
                    work_breaks_today_s=900.0,
                    last_daily_rest_end=WINTER_MORNING - timedelta(hours=4),
                ),
            ]
        )
    )
    return replace(
        problem,
        stations=tuple(stations),
        driver_rules=DriverRules(law=law, start=start),
        min_charge_duration_s=draw(st.sampled_from([0.0, 0.0, 600.0])),
    )


def end_s(problem: PlanningProblem, plan: Plan) -> float:
    """The objective: the arrival as the last window lets the truck in, from the earliest
    drive-off (a plan that drives off later counts from there too)."""
    last = plan.sections[-1].planned_stop
    drive_off = problem.earliest_departure + timedelta(seconds=problem.departure_service_s)
    return (last.arrival - drive_off).total_seconds() + last.waiting_s


def missed(plan: Plan) -> int:
    return sum(1 for s in plan.sections if s.planned_stop.window_met is False)


def closing_infringements(problem: PlanningProblem, plan: Plan) -> list[str]:
    """What the check finds once a daily rest follows the tour (as the oracle asks of its own
    plans): a working day whose breaks fall short, a rest that can no longer be taken in time."""
    (timeline,) = driver_timelines(plan)
    end = timeline.end
    rest = Activity(ActivityKind.DAILY_REST, end, end + timedelta(seconds=CLOSING_REST_S))
    rules = problem.driver_rules
    found = check_timeline((*timeline.activities, rest), rules.law, rules.start)
    return [str(f) for f in found]


def grid_allowance_s(problem: PlanningProblem, schedule: Schedule, soc_step: float) -> float:
    """One grid step of charging per charging stop of the oracle's plan: the optimizer's
    targets lie on its grid (and a few session lengths), the oracle's may lie between."""
    stations = {s.station_id: s for s in problem.stations}
    total = 0.0
    for station_id, target, _ in schedule.charging:
        s = stations[station_id]
        above = min(problem.soc_max, target + soc_step)
        total += charge_time_s(problem.vehicle, target, above, s.power_kw, s.connector)
    return total


def describe_plan(problem: PlanningProblem, plan: Plan) -> str:
    drive_off = problem.earliest_departure + timedelta(seconds=problem.departure_service_s)
    lines = [f"missed {missed(plan)}, arrival {end_s(problem, plan):.1f} s"]
    for section in plan.sections:
        stop = section.planned_stop
        if stop.kind == StopKind.CHARGING or stop.station_id:
            lines.append(
                f"  charge at {stop.station_id} {stop.soc_arrival:.3f} -> {stop.soc_departure:.3f}"
            )
    for a in driver_timelines(plan)[0].activities:
        lines.append(
            f"  {(a.start - drive_off).total_seconds() / H:7.3f}-"
            f"{(a.end - drive_off).total_seconds() / H:7.3f} h {a.kind}"
        )
    return "\n".join(lines)


def describe_problem(problem: PlanningProblem) -> str:
    rules = problem.driver_rules
    lines = [
        f"soc_start {problem.soc_start:.4f}, min_soc_end {problem.min_soc_end}, "
        f"departure service {problem.departure_service_s:.0f} s, "
        f"min charge {problem.min_charge_duration_s:.0f} s, "
        f"working_time {rules.law.working_time}, start {rules.start}"
    ]
    for k, leg in enumerate(problem.legs):
        lines.append(
            f"  leg {k}: {leg.route.duration_s / H:.4f} h, {leg.route.length_m / 1000:.2f} km, "
            f"{sum(leg.edge_energy_kwh):.2f} kWh, service {leg.service_time_s:.0f} s"
            f"{' (driver free)' if leg.driver_free_during_service else ''}, window {leg.window}"
        )
    for s in problem.stations:
        lines.append(
            f"  station {s.station_id}: leg {s.leg_index} at {s.distance_along_leg_m:.0f} m, "
            f"{s.power_kw:.0f} kW, detour {s.detour_to_s:.0f} s / {s.detour_to_kwh:.2f} kWh"
        )
    return "\n".join(lines)


def record(what: str) -> None:
    """A hypothesis event, where the check runs inside a hypothesis test."""
    if currently_in_test_context():
        event(what)


def budgeted(
    problem: PlanningProblem,
    *,
    better_than: tuple[int, float] | None = None,
    any_plan: bool = False,
) -> Schedule | None:
    """The oracle's answer; where it gives up, the best plan it found by then (any lawful plan
    of its is a plan the optimizer must not lose to)."""
    try:
        return oracle_best(
            problem, STEP, better_than=better_than, any_plan=any_plan, max_checks=MAX_CHECKS
        )
    except OracleBudgetError as gave_up:
        record("the oracle gave up")
        return gave_up.best


def lawful_plans(problem: PlanningProblem) -> dict[str, Plan]:
    """Every setting's plan, each checked lawful (the roadside check finds nothing in it)."""
    plans = {name: plan_tour(problem, chosen) for name, chosen in SETTINGS.items()}
    for name, plan in plans.items():
        if plan.drivable:
            validate(problem, plan)  # the roadside check finds nothing in the plan's timeline
            closing = closing_infringements(problem, plan)
            assert not closing, f"{name}: {closing}\n{describe_problem(problem)}"
    return plans


def check_against_the_oracle(problem: PlanningProblem) -> None:
    """Every setting's plan is lawful, and the oracle finds no lawful plan that arrives earlier
    than it by more than one SoC grid step of charging per charging stop."""
    plans = lawful_plans(problem)
    lost = sorted(name for name, plan in plans.items() if not plan.drivable)
    if lost:
        best = budgeted(problem, any_plan=True)
        assert best is None, (
            f"{lost}: no plan, but the oracle found one\n{describe_problem(problem)}\n"
            f"oracle:\n{best.describe() if best else ''}"
        )
        record("no plan")
        return
    # The oracle looks only for plans that beat the latest arrival of the settings (less a
    # second): the earliest of them is its answer if any setting can lose to it at all.
    latest = max((missed(plan), end_s(problem, plan) - TOL_S) for plan in plans.values())
    best = budgeted(problem, better_than=latest)
    record("not beaten" if best is None else "the oracle's plan is earlier")
    if best is None:
        return
    beaten = []
    for name, plan in plans.items():
        allowance_s = TOL_S + grid_allowance_s(problem, best, SETTINGS[name].soc_step)
        if (missed(plan), end_s(problem, plan)) > (best.missed, best.end_s + allowance_s):
            beaten.append(
                f"{name}: the oracle arrives {end_s(problem, plan) - best.end_s:.0f} s earlier "
                f"(allowed {allowance_s:.0f} s; missed windows {missed(plan)} -> {best.missed})"
                f"\noptimizer ({name}):\n{describe_plan(problem, plan)}"
            )
    assert not beaten, (
        "\n".join(beaten) + f"\n{describe_problem(problem)}\noracle:\n{best.describe()}"
    )


BINDING_TOURS = settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    database=None,
    # A failing example is reported as drawn: shrinking reruns the oracle hundreds of times (the
    # smallest tours found are the hand-built tests below).
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=[HealthCheck.too_slow],
)


@BINDING_TOURS
@given(problem=binding_instances())
def test_the_optimizer_s_plans_of_tours_where_the_rules_bind_are_lawful(
    problem: PlanningProblem,
) -> None:
    lawful_plans(problem)


@BINDING_TOURS
@given(problem=binding_instances())
def test_the_optimizer_is_lawful_and_never_beaten_by_the_driver_rules_oracle(
    problem: PlanningProblem,
) -> None:
    check_against_the_oracle(problem)


# --- the oracle on tours whose answer is known -------------------------------------------------


def utc_leg(
    hours: float, kwh: float = 12.0, service_min: float = 0.0, window: ArrivalWindow | None = None
) -> PlannedLegInput:
    """A leg of `hours` at 80 km/h using kwh, its stop's clock in UTC (the tour starts 06:00)."""
    return make_leg_input(
        [kwh / 2, kwh / 2],
        length_m=80_000.0 * hours,
        duration_s=hours * H,
        service_s=service_min * 60.0,
        window=window,
        time_zone="UTC",
    )


def problem_of(
    *legs: PlannedLegInput, start: DriverStartState | None = None, **changes: object
) -> PlanningProblem:
    problem = make_problem(*legs, **changes)  # type: ignore[arg-type]
    return replace(problem, driver_rules=DriverRules(start=start or DriverStartState()))


def test_the_oracle_finds_the_ten_hour_day_and_no_more() -> None:
    # 9.5 h of driving: 4.5 h, 45 min, 4.5 h, 30 min, no rest (one of the week's 10-hour days).
    problem = problem_of(utc_leg(4.5), utc_leg(4.5), utc_leg(1.0))
    best = oracle_best(problem, STEP)
    assert best is not None
    assert best.end_s == pytest.approx(11.5 * H)
    check_against_the_oracle(problem)


def test_the_oracle_takes_a_reduced_rest_where_only_it_meets_the_window() -> None:
    # A 9-hour day, 2 h to a window closing at 03:00: only a 9-hour rest meets it; with the
    # reduced rests used up the window is missed (test_driver_rules' tour).
    window = ArrivalWindow(time(0, 0), time(3, 0))
    legs = utc_leg(4.5), utc_leg(4.5), utc_leg(2.0, window=window)
    best = oracle_best(problem_of(*legs), STEP)
    assert best is not None
    assert best.missed == 0
    assert best.end_s <= 21 * H
    used_up = oracle_best(problem_of(*legs, start=DriverStartState(reduced_rests_used=3)), STEP)
    assert used_up is not None
    assert used_up.missed == 1
    check_against_the_oracle(problem_of(*legs))


def test_the_oracle_finds_no_plan_where_the_battery_cannot_do_it() -> None:
    problem = problem_of(utc_leg(4.0, kwh=400.0), utc_leg(4.0, kwh=400.0))
    assert oracle_best(problem, STEP) is None
    assert not plan_tour(problem).drivable


def test_every_plan_the_oracle_returns_passes_the_whole_check() -> None:
    problem = problem_of(utc_leg(3.0, service_min=120), utc_leg(4.0), utc_leg(3.0))
    best = oracle_best(problem, STEP)
    assert best is not None
    zero = problem.earliest_departure
    timeline = [
        Activity(b.kind, zero + timedelta(seconds=b.start_s), zero + timedelta(seconds=b.end_s))
        for b in best.blocks
        if b.end_s > b.start_s
    ]
    rules = problem.driver_rules
    assert check_timeline(timeline, rules.law, rules.start) == []


# --- where the optimizer is beaten (issue 20, item 6) -------------------------------------------
#
# Each tour: the oracle's lawful plan, the optimizer's, the gap. They fail until the optimizer
# finds the oracle's plan (or arrives as early).


def assert_not_beaten(problem: PlanningProblem, expected_oracle_s: float) -> None:
    best = oracle_best(problem, STEP)
    assert best is not None
    assert best.end_s == pytest.approx(expected_oracle_s, abs=TOL_S)
    check_against_the_oracle(problem)


def test_a_15_minute_part_interrupts_six_hours_of_work() -> None:
    # 2 h driving, 3 h unloading, 2 h driving: 7 h of work, 4 h at the wheel. 2002/15 asks for
    # no more than 6 h of work without a break (parts of 15 min count) and 30 min of breaks in a
    # day of 6-9 h of work: the oracle drives 1 h after the service, breaks 30 min, drives 1 h,
    # arriving at 7 h 30. The optimizer breaks 45 min (it resets six hours of work only with a
    # full break) and arrives at 7 h 45.
    assert_not_beaten(problem_of(utc_leg(2.0, service_min=180), utc_leg(2.0)), 7.5 * H)


def test_the_15_minutes_decide_whether_the_day_ends_in_time() -> None:
    # The same tour for a driver whose last daily rest ended 5 h 24 min before the start, with
    # the week's reduced rests used up: the regular 11-hour rest must start by 7 h 36 into the
    # tour. The oracle arrives at 7 h 30 as above (its rest after the tour starts in time). The
    # optimizer, 15 minutes later on the road, must rest 11 h before the end: it arrives at
    # 18 h 45.
    start = DriverStartState(
        last_daily_rest_end=WINTER_MORNING - timedelta(hours=5.4), reduced_rests_used=3
    )
    problem = problem_of(utc_leg(2.0, service_min=180), utc_leg(2.0), start=start)
    assert_not_beaten(problem, 7.5 * H)


def test_the_daily_rest_may_be_taken_where_the_break_falls_due() -> None:
    # 5.5 h, a charger (150 kW, 1 min off the road) where the second leg starts, 5.5 h; 40 %
    # at the start, 100 kWh a leg. The oracle drives 4.5 h and takes its reduced 9-hour rest
    # there, so that the next day's 15-minute charge is the first part of a split break
    # (15 + 30 min): it arrives at 20 h 52. The optimizer breaks 45 min at 4.5 h, charges
    # 15 min (a first part the rest then wipes out), rests 9 h at the day's 9 hours of
    # driving, and arrives at 21 h 07. (Without working-time rules alike.)
    problem = problem_of(utc_leg(5.5, kwh=100.0), utc_leg(5.5, kwh=100.0), soc_start=0.4)
    charger = station(1, 0.0, 150.0, detour_s=60.0, detour_kwh=0.5, station_id="s0")
    assert_not_beaten(replace(problem, stations=(charger,)), 75_120.0)


def test_the_daily_rest_may_take_the_place_of_a_break_the_day_s_services_bring_due() -> None:
    # 2 h, 3 h of service, 2 h, 3 h of service, 2 h, 1 h of service, 1.5 h (561/2006 only): the
    # day's 15.5 h do not fit before its rest must start, and 4.5 h of driving fall due half an
    # hour into the third leg. The oracle takes its 9-hour rest there in the break's place and
    # arrives at 23 h 30. Counting the day without that break, the search did not offer the
    # rest on the road and arrived at 24 h 15.
    legs = utc_leg(2.0, service_min=180), utc_leg(2.0, service_min=180)
    problem = problem_of(*legs, utc_leg(2.0, service_min=60), utc_leg(1.5))
    law = DriverRules(law=RuleOptions(working_time=False))
    assert_not_beaten(replace(problem, driver_rules=law), 23.5 * H)


def test_a_rest_before_the_destination_s_service_keeps_the_early_arrival() -> None:
    # The driver's day began at 01:00; 2.5 h, 3 h unloaded by the customer's staff (a split
    # rest's 3-hour first part), 2.5 h to the destination, where 3 h of service would run past
    # the day: the 9-hour second part comes before it, and the arrival (14:00, 8 h in) is what
    # counts. The search compared the destination's plans by when they leave it, kept one that
    # rested at the first stop instead, and arrived 14 h in.
    start = DriverStartState(last_daily_rest_end=WINTER_MORNING - timedelta(hours=5))
    first = replace(utc_leg(2.5, service_min=180), driver_free_during_service=True)
    problem = problem_of(first, utc_leg(2.5, service_min=180))
    law = DriverRules(law=RuleOptions(working_time=False), start=start)
    assert_not_beaten(replace(problem, driver_rules=law), 8.0 * H)
