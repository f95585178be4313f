"""plan_tour: SoC along the tour, dwell charging, not-drivable verdicts, windows, driver rules."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, time, timedelta

import pytest
from hypothesis import assume, event, given, settings
from hypothesis import strategies as st

from voltroute.domain import StationPowerCurve
from voltroute.planner import (
    ArrivalWindow,
    NotDrivableCode,
    PlannedLegInput,
    PlanningProblem,
    StopKind,
    WindowsReachable,
    plan_tour,
)
from voltroute.planner.simulate import simulate_tour
from voltroute.vehicles import charge_time_s, soc_after_charging_s

from .conftest import EACTROS, WINTER_MORNING, make_leg_input, make_problem
from .validator import validate

H = 3600.0
NINE_TO_FIVE = ArrivalWindow(time(9, 0), time(17, 0))  # 08:00Z-16:00Z in winter


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


# --- a drivable tour --------------------------------------------------------------------------


def test_soc_drops_by_leg_energy_over_usable_capacity(two_leg_tour: PlanningProblem) -> None:
    plan = plan_tour(two_leg_tour)
    first, second = plan.sections
    assert plan.drivable
    assert first.energy_kwh == pytest.approx(12.0)
    assert second.energy_kwh == pytest.approx(24.0)
    assert first.soc_start == pytest.approx(0.8)
    assert first.soc_end == pytest.approx(0.8 - 12.0 / 600.0)
    assert second.soc_start == pytest.approx(0.8 - 12.0 / 600.0)
    assert second.soc_end == pytest.approx(0.8 - 36.0 / 600.0)
    assert plan.soc_start == 0.8
    assert plan.soc_end == pytest.approx(0.74)


def test_arrivals_are_departure_plus_driving_plus_service(two_leg_tour: PlanningProblem) -> None:
    plan = plan_tour(two_leg_tour)
    first, second = (s.planned_stop for s in plan.sections)
    assert plan.departure == plan.tour_start == utc(2026, 1, 13, 6, 0)
    assert first.arrival == utc(2026, 1, 13, 6, 10)
    assert first.departure == utc(2026, 1, 13, 6, 40)  # 30 min service
    assert second.arrival == utc(2026, 1, 13, 7, 0)
    assert plan.arrival == second.arrival


def test_stops_are_customers_then_the_destination(two_leg_tour: PlanningProblem) -> None:
    plan = plan_tour(two_leg_tour)
    first, second = (s.planned_stop for s in plan.sections)
    assert (first.kind, first.name) == (StopKind.CUSTOMER, "depot-a")
    assert (second.kind, second.name) == (StopKind.DESTINATION, "Destination")


def test_a_stop_without_power_does_not_charge(two_leg_tour: PlanningProblem) -> None:
    stop = plan_tour(two_leg_tour).sections[0].planned_stop
    assert stop.soc_departure == stop.soc_arrival
    assert stop.charged_kwh == 0.0
    assert stop.charge_time_s == 0.0


# --- dwell charging ---------------------------------------------------------------------------


def test_dwell_charging_raises_soc_by_exactly_the_charging_model() -> None:
    problem = make_problem(
        make_leg_input([6.0, 6.0], service_s=1800.0, dwell_kw=150.0),
        make_leg_input([24.0]),
        soc_start=0.8,
    )
    plan = plan_tour(problem)
    stop = plan.sections[0].planned_stop
    expected = soc_after_charging_s(EACTROS, stop.soc_arrival, 1800.0, 150.0)
    assert stop.soc_departure == expected
    assert stop.soc_departure == pytest.approx(0.78 + 75.0 / 600.0)  # 150 kW x 0.5 h
    assert stop.charged_kwh == pytest.approx(75.0)
    assert charge_time_s(EACTROS, stop.soc_arrival, stop.soc_departure, 150.0) <= 1800.0 + 1e-6
    assert stop.charge_time_s == pytest.approx(1800.0)
    assert plan.sections[1].soc_start == stop.soc_departure


def test_dwell_charging_stops_at_soc_max_before_the_dwell_ends() -> None:
    problem = make_problem(
        make_leg_input([6.0], service_s=2 * H, dwell_kw=400.0),
        make_leg_input([6.0]),
        soc_start=0.88,
        soc_max=0.9,
    )
    stop = plan_tour(problem).sections[0].planned_stop
    assert stop.soc_departure == 0.9
    assert stop.charge_time_s == pytest.approx(charge_time_s(EACTROS, stop.soc_arrival, 0.9, 400.0))
    assert stop.charge_time_s < 2 * H


def test_waiting_for_a_window_is_used_for_dwell_charging() -> None:
    # Stop 1 (07:00-08:00 CET) is reached at 08:00 sharp, so the drive-off cannot move; stop 2
    # is reached at 09:00 and waits 2 h for 11:00, plugged in at 50 kW.
    problem = make_problem(
        make_leg_input([12.0], duration_s=H, window=ArrivalWindow(time(7, 0), time(8, 0))),
        make_leg_input(
            [12.0], duration_s=H, dwell_kw=50.0, window=ArrivalWindow(time(11, 0), time(12, 0))
        ),
    )
    stop = plan_tour(problem).sections[1].planned_stop
    assert stop.waiting_s == 2 * H
    assert stop.service_time_s == 0.0
    assert stop.soc_departure == soc_after_charging_s(EACTROS, stop.soc_arrival, 2 * H, 50.0)
    assert stop.charged_kwh == pytest.approx(100.0)


def test_a_stop_s_power_curve_slows_its_dwell_charging_in_plans_and_in_the_simulation() -> None:
    # 150 kW until 80 %, then a legacy unit's 20 kW: half an hour from 78 % gets little past 80 %.
    curve = StationPowerCurve(((0.8, 150.0), (0.81, 20.0)))
    legs = (make_leg_input([6.0, 6.0], service_s=1800.0, dwell_kw=150.0), make_leg_input([24.0]))
    flat = make_problem(*legs, soc_start=0.8)
    tapering = replace(flat, legs=(replace(flat.legs[0], dwell_power_curve=curve), flat.legs[1]))
    plan = plan_tour(tapering)
    validate(tapering, plan)  # the dwell's charge time, on the stop's power and curve
    stop = plan.sections[0].planned_stop
    expected = soc_after_charging_s(EACTROS, stop.soc_arrival, 1800.0, 150.0, station_curve=curve)
    assert stop.soc_departure == pytest.approx(expected, abs=1e-12)
    assert 0.81 < stop.soc_departure < 0.83
    assert plan_tour(flat).sections[0].planned_stop.soc_departure == pytest.approx(0.905)
    # The dwell-only simulation (a tour's description when it has no plan) charges alike.
    simulated = simulate_tour(tapering).sections[0].planned_stop
    assert simulated.soc_departure == pytest.approx(stop.soc_departure, abs=1e-12)
    assert simulated.charge_time_s == pytest.approx(stop.charge_time_s)


def test_a_stop_with_power_but_no_dwell_does_not_charge() -> None:
    problem = make_problem(make_leg_input([6.0], dwell_kw=400.0), make_leg_input([6.0]))
    stop = plan_tour(problem).sections[0].planned_stop
    assert stop.soc_departure == stop.soc_arrival


def test_dwell_charging_at_the_destination_counts_for_the_end_level() -> None:
    problem = make_problem(
        make_leg_input([120.0], service_s=H, dwell_kw=120.0), soc_start=0.4, min_soc_end=0.3
    )
    plan = plan_tour(problem)  # arrives with 20 %, leaves with 40 %
    assert plan.soc_end == pytest.approx(0.4)
    assert plan.drivable


# --- not drivable -----------------------------------------------------------------------------


def test_falling_below_the_reserve_is_battery_depleted_at_the_interpolated_km() -> None:
    # 30 % over four 25 km edges of 48 kWh (8 % each): 22, 14, 6 ... The 10 % reserve is crossed
    # half-way through the third edge, at km 62.5; the lowest SoC is -2 %, 12 % = 72 kWh short.
    problem = make_problem(
        make_leg_input([48.0] * 4, length_m=100_000.0, duration_s=4000.0), soc_start=0.3
    )
    plan = plan_tour(problem)
    assert not plan.drivable
    assert plan.not_drivable is not None
    assert plan.not_drivable.code == NotDrivableCode.BATTERY_DEPLETED_MID_ROUTE
    assert plan.not_drivable.section_index == 0
    assert plan.not_drivable.distance_from_start_m == pytest.approx(62_500.0)
    assert "km 62.5 " in plan.not_drivable.message
    assert plan.not_drivable.missing_energy_kwh == pytest.approx(72.0)
    assert "72.0 kWh" in plan.not_drivable.message


def test_a_crossing_in_a_later_leg_counts_the_km_of_the_legs_before() -> None:
    # 20 % - 2 % on a 10 km leg; then 5 km edges of 5 % each: 13 %, 8 %. The reserve is crossed
    # 60 % into the second edge of leg 2: km 10 + 5 + 3 = 18.
    first = make_leg_input([12.0])
    second = make_leg_input([30.0] * 3, length_m=15_000.0, duration_s=900.0)
    problem = make_problem(first, second, soc_start=0.2)
    plan = plan_tour(problem)
    assert plan.not_drivable is not None
    assert plan.not_drivable.section_index == 1
    assert plan.not_drivable.distance_from_start_m == pytest.approx(18_000.0)
    assert "km 18.0 " in plan.not_drivable.message
    shape = problem.legs[1].route.shape
    assert (plan.not_drivable.position.lat, plan.not_drivable.position.lon) in {
        (p.lat, p.lon) for p in shape
    }


def test_ending_above_reserve_but_below_the_end_level_is_not_drivable_at_the_destination() -> None:
    problem = make_problem(
        make_leg_input([60.0]),
        make_leg_input([120.0], length_m=20_000.0),
        soc_start=0.5,
        min_soc_end=0.3,
    )
    plan = plan_tour(problem)  # 50 % - 10 % - 20 % = 20 %
    assert plan.soc_end == pytest.approx(0.2)
    assert plan.not_drivable is not None
    assert plan.not_drivable.code == NotDrivableCode.BATTERY_DEPLETED_MID_ROUTE
    assert plan.not_drivable.section_index == 1
    assert plan.not_drivable.position == problem.legs[-1].stop
    assert plan.not_drivable.distance_from_start_m == pytest.approx(30_000.0)
    assert "destination" in plan.not_drivable.message
    assert "30%" in plan.not_drivable.message
    assert plan.not_drivable.missing_energy_kwh == pytest.approx(60.0)


def test_ending_exactly_at_the_end_level_is_drivable() -> None:
    problem = make_problem(make_leg_input([180.0]), soc_start=0.5, min_soc_end=0.2)
    assert plan_tour(problem).drivable


# --- arrival windows --------------------------------------------------------------------------


def test_a_met_window_shifts_the_departure_to_remove_waiting() -> None:
    # Earliest 07:00 CET, 1 h drive, window from 09:00 CET: drive off at 08:00 CET.
    problem = make_problem(make_leg_input([12.0], duration_s=H, window=NINE_TO_FIVE))
    plan = plan_tour(problem)
    assert plan.windows_reachable == WindowsReachable.TRUE
    assert plan.departure == utc(2026, 1, 13, 7, 0)
    assert plan.optimal_departure == plan.tour_start == utc(2026, 1, 13, 7, 0)
    assert plan.sections[0].planned_stop.waiting_s == 0.0
    assert plan.sections[0].planned_stop.window_met is True


def test_a_missed_window_makes_windows_reachable_false() -> None:
    too_early = ArrivalWindow(time(6, 0), time(7, 30))
    problem = make_problem(make_leg_input([12.0], duration_s=H, window=too_early))
    plan = plan_tour(problem)  # arrives 08:00 CET
    assert plan.windows_reachable == WindowsReachable.FALSE
    assert plan.sections[0].planned_stop.window_met is False
    assert plan.optimal_departure == plan.tour_start == WINTER_MORNING


def test_one_missed_window_out_of_two_makes_windows_reachable_false() -> None:
    problem = make_problem(
        make_leg_input([12.0], duration_s=H, window=NINE_TO_FIVE),
        make_leg_input([12.0], duration_s=H, window=ArrivalWindow(time(6, 0), time(7, 0))),
    )
    assert plan_tour(problem).windows_reachable == WindowsReachable.FALSE


def test_without_windows_they_are_not_considered_and_there_is_no_optimal_departure(
    two_leg_tour: PlanningProblem,
) -> None:
    plan = plan_tour(two_leg_tour)
    assert plan.windows_reachable == WindowsReachable.NOT_CONSIDERED
    assert plan.optimal_departure is None
    assert all(s.planned_stop.window_met is None for s in plan.sections)


def test_departure_service_shifts_the_drive_off_not_the_tour_start() -> None:
    problem = make_problem(make_leg_input([12.0]), departure_service_s=1200.0)
    plan = plan_tour(problem)
    assert plan.tour_start == WINTER_MORNING
    assert plan.departure == WINTER_MORNING + timedelta(minutes=20)
    assert plan.sections[0].planned_stop.arrival == WINTER_MORNING + timedelta(minutes=30)


def test_optimal_departure_is_the_shifted_drive_off_minus_departure_service() -> None:
    problem = make_problem(
        make_leg_input([12.0], duration_s=H, window=NINE_TO_FIVE), departure_service_s=1200.0
    )
    plan = plan_tour(problem)
    assert plan.departure == utc(2026, 1, 13, 7, 0)
    assert plan.optimal_departure == utc(2026, 1, 13, 6, 40)


# --- driver rules -----------------------------------------------------------------------------


def leg_of_hours(
    hours: float, service_min: float = 0.0, *, driver_free: bool = False
) -> PlannedLegInput:
    leg = make_leg_input(
        [12.0], length_m=80_000.0 * hours, duration_s=hours * H, service_s=service_min * 60.0
    )
    return replace(leg, driver_free_during_service=driver_free)


def breaks(problem: PlanningProblem) -> list[tuple[StopKind, float]]:
    """(kind, driving hours before it) of every stop that hosts a break or a rest."""
    return [
        (s.planned_stop.kind, s.planned_stop.driving_since_break_s / H)
        for s in plan_tour(problem).sections
        if s.planned_stop.break_s > 0 or s.planned_stop.rest_s > 0
    ]


def test_more_than_4_5_hours_of_driving_gets_a_45_minute_roadside_break_at_4_5_hours() -> None:
    plan = plan_tour(make_problem(leg_of_hours(5.0)))
    first, second = plan.sections
    assert second.planned_stop.kind == StopKind.DESTINATION
    assert first.planned_stop.kind == StopKind.BREAK
    assert first.planned_stop.break_s == 45 * 60
    assert first.driving_s == pytest.approx(4.5 * H)
    assert first.route.length_m == pytest.approx(80_000.0 * 4.5)
    assert plan.arrival == WINTER_MORNING + timedelta(hours=5.75)
    assert not plan.warnings


def test_exactly_4_5_hours_of_driving_needs_no_break() -> None:
    assert breaks(make_problem(leg_of_hours(2.5), leg_of_hours(2.0))) == []


def test_driving_time_adds_up_over_legs_with_short_stops() -> None:
    # 3 h, 10 min stop, 3 h: with the driver free during the service, the 45 minutes are best
    # taken at the stop (10 min extended).
    free = leg_of_hours(3.0, service_min=10, driver_free=True)
    found = breaks(make_problem(free, leg_of_hours(3.0)))
    assert found == [(StopKind.CUSTOMER, pytest.approx(3.0))]


def test_a_short_service_is_work_and_the_break_comes_on_top() -> None:
    # The same tour by default: the 10 minutes are work, the 45-minute break adds to them.
    plan = plan_tour(make_problem(leg_of_hours(3.0, service_min=10), leg_of_hours(3.0)))
    assert plan.arrival == WINTER_MORNING + timedelta(hours=6, minutes=55)
    assert sum(s.planned_stop.break_s for s in plan.sections) == 45 * 60


def test_a_45_minute_service_stop_is_the_break_only_when_the_driver_is_free() -> None:
    free = leg_of_hours(3.0, service_min=45, driver_free=True)
    plan = plan_tour(make_problem(free, leg_of_hours(3.0)))
    assert plan.sections[0].planned_stop.break_s == 45 * 60
    assert plan.arrival == WINTER_MORNING + timedelta(hours=6.75)
    lawful = plan_tour(make_problem(leg_of_hours(3.0, service_min=45), leg_of_hours(3.0)))
    assert lawful.sections[0].planned_stop.break_s == 0
    assert lawful.arrival == WINTER_MORNING + timedelta(hours=7.5)


def test_a_45_minute_stop_after_6_hours_of_driving_comes_too_late() -> None:
    found = breaks(make_problem(leg_of_hours(3.0), leg_of_hours(3.0, service_min=45)))
    assert found[0] == (StopKind.BREAK, pytest.approx(4.5))


def test_more_than_the_daily_driving_gets_an_11_hour_rest() -> None:
    plan = plan_tour(make_problem(*(leg_of_hours(4.0, service_min=45) for _ in range(3))))
    kinds = [s.planned_stop.kind for s in plan.sections]
    assert StopKind.DAILY_REST in kinds or any(s.planned_stop.rest_s > 0 for s in plan.sections)
    assert plan.arrival - plan.departure >= timedelta(hours=12 + 11)


# --- properties -------------------------------------------------------------------------------

leg_specs = st.tuples(
    st.lists(st.floats(-40.0, 150.0), min_size=1, max_size=4),  # kWh per edge
    st.sampled_from([0.0, 600.0, 1800.0, 3600.0]),  # service s
    st.sampled_from([0.0, 50.0, 150.0, 400.0, 1000.0]),  # dwell kW
)


def simulate(
    specs: list[tuple[list[float], float, float]],
    soc_start: float,
    soc_max: float,
    reserve: float,
) -> tuple[bool, float, list[float]]:
    """Reference SoC simulation: (dipped below reserve, end SoC, every SoC seen)."""
    soc = soc_start
    seen = [soc]
    for energies, service_s, dwell_kw in specs:
        for energy_kwh in energies:
            soc = min(soc_max, soc - energy_kwh / EACTROS.battery_usable_kwh)
            seen.append(soc)
            if soc < reserve:
                return True, soc, seen
        if dwell_kw > 0 and service_s > 0:
            soc = min(soc_max, soc_after_charging_s(EACTROS, soc, service_s, dwell_kw))
            seen.append(soc)
    return False, soc, seen


@settings(max_examples=60, deadline=None)
@given(
    specs=st.lists(leg_specs, min_size=1, max_size=5),
    soc_start=st.floats(0.1, 1.0),
    min_soc_end=st.floats(0.1, 0.8),
    soc_max=st.sampled_from([0.9, 1.0]),
)
def test_plan_soc_stays_physical_and_drivable_means_reserve_and_end_level_hold(
    specs: list[tuple[list[float], float, float]],
    soc_start: float,
    min_soc_end: float,
    soc_max: float,
) -> None:
    soc_start = min(soc_start, soc_max)
    problem = make_problem(
        *(make_leg_input(energies, service_s=s, dwell_kw=kw) for energies, s, kw in specs),
        soc_start=soc_start,
        min_soc_end=min_soc_end,
        soc_max=soc_max,
    )
    depleted, soc_end, seen = simulate(specs, soc_start, soc_max, problem.soc_reserve)
    # Stay clear of float ties at the thresholds, where "below" is a matter of rounding.
    assume(all(abs(soc - problem.soc_reserve) > 1e-9 for soc in seen))
    assume(depleted or abs(soc_end - min_soc_end) > 1e-6)

    plan = plan_tour(problem)
    event("depleted" if depleted else "end level missed" if soc_end < min_soc_end else "drivable")

    assert 0.0 <= plan.soc_end <= 1.0
    for section in plan.sections:
        stop = section.planned_stop
        assert 0.0 <= section.soc_start <= soc_max
        assert 0.0 <= section.soc_end <= soc_max
        assert 0.0 <= stop.soc_arrival <= stop.soc_departure <= soc_max
    # The optimizer may stay longer at a stop with power, so it can only do better than the
    # dwell-only simulation; when that suffices, the plan ends with at least its SoC.
    if not depleted and soc_end >= min_soc_end:
        assert plan.drivable
        assert plan.soc_end >= soc_end - 1e-9
    if plan.drivable:
        assert plan.soc_end >= min_soc_end - 1e-9
