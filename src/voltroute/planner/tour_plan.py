"""The planner's entry point: the optimizer's plan, or why and where the tour is not drivable."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from voltroute.planner.optimizer import OptimizerSettings, Solution, optimize, usable_stations
from voltroute.planner.plan import NotDrivable, NotDrivableCode, Plan, WindowsReachable
from voltroute.planner.plan_builder import build_sections
from voltroute.planner.problem import PlanningProblem
from voltroute.planner.simulate import simulate_tour

UNBOUNDED_RETRY_MAX_STATIONS = 40


def plan_tour(problem: PlanningProblem, settings: OptimizerSettings | None = None) -> Plan:
    """Plan a tour: charging stops, breaks, rests and departure of least total time."""
    settings = settings or OptimizerSettings()
    solution = optimize(problem, settings)
    if (
        solution.best is None
        and settings.label_limit > 0
        and len(usable_stations(problem)) <= UNBOUNDED_RETRY_MAX_STATIONS
    ):
        # The label limit may have dropped the only feasible partial plans: before calling the
        # tour not drivable, search without it where that stays cheap.
        solution = optimize(problem, replace(settings, label_limit=0))
    if solution.best is not None:
        return _plan(problem, solution)
    legacy = simulate_tour(problem)
    verdict = _verdict(problem, solution, legacy)
    if problem.filtered_out_stations:
        verdict = replace(verdict, message=verdict.message + _filter_note(problem, settings))
    return replace(legacy, not_drivable=verdict)


def _filter_note(problem: PlanningProblem, settings: OptimizerSettings | None) -> str:
    """Whether the stations the request's filters removed would have made the tour drivable."""
    every = problem.stations + problem.filtered_out_stations
    widened = replace(problem, stations=every, filtered_out_stations=())
    if optimize(widened, settings).best is not None:
        return (
            " The request's filters (poi_info, corridor) removed "
            f"{len(problem.filtered_out_stations)} station(s) "
            "with which the tour would be drivable."
        )
    return " Stations removed by the request's filters would not help either."


def _plan(problem: PlanningProblem, solution: Solution) -> Plan:
    assert solution.best is not None
    sections = build_sections(problem, solution.profiles, solution.drive_off, solution.best)
    stops = [s.planned_stop for s in sections]
    windows = [stop.window_met for stop in stops if stop.window_met is not None]
    has_windows = any(leg.window is not None for leg in problem.legs)
    if not has_windows:
        reachable = WindowsReachable.NOT_CONSIDERED
    else:
        reachable = WindowsReachable.TRUE if all(windows) else WindowsReachable.FALSE
    tour_start = solution.drive_off - timedelta(seconds=problem.departure_service_s)
    return Plan(
        sections=tuple(sections),
        departure=solution.drive_off,
        tour_start=tour_start,
        arrival=stops[-1].arrival,
        soc_start=problem.soc_start,
        soc_end=stops[-1].soc_departure,
        windows_reachable=reachable,
        optimal_departure=tour_start if has_windows else None,
        not_drivable=None,
        search_exhaustive=solution.exhaustive,
        team_driving=problem.driver_rules.team,
        arrival_lower_bound=(
            None
            if solution.arrival_lower_bound_s is None
            else problem.earliest_departure
            + timedelta(seconds=problem.departure_service_s + solution.arrival_lower_bound_s)
        ),
    )


def _verdict(
    problem: PlanningProblem,
    solution: Solution,
    legacy: Plan,
) -> NotDrivable:
    """Why no plan exists: where the best attempt runs out and how much energy it lacks."""
    has_stations = bool(usable_stations(problem))
    if not has_stations and legacy.not_drivable is not None:
        # The dwell-only verdict, with the exact crossing point.
        found = legacy.not_drivable
        if not problem.stations:
            return found
        return replace(
            found,
            code=NotDrivableCode.NO_CHARGERS_AVAILABLE,
            message=found.message + " The candidate stations have no power for this vehicle.",
        )
    reach = solution.reach
    assert reach is not None
    profiles = solution.profiles
    km = (sum(p.length_m for p in profiles[: reach.leg]) + reach.distance_m) / 1000.0
    position = profiles[reach.leg].position_at(reach.distance_m)
    code = (
        NotDrivableCode.NO_CHARGERS_AVAILABLE
        if problem.stations
        else NotDrivableCode.BATTERY_DEPLETED_MID_ROUTE
    )
    if problem.soc_start < problem.soc_reserve:
        what = (
            f"The tour starts with {problem.soc_start:.0%}, below the "
            f"{problem.soc_reserve:.0%} reserve"
        )
    else:
        what = (
            f"Even with the best charging stops the battery falls below the "
            f"{problem.soc_reserve:.0%} reserve (or the {problem.min_soc_end:.0%} end level) "
            f"at km {km:.1f} of the tour"
        )
    message = (
        f"{what} (section {reach.leg}, at {position.lat:.5f}, {position.lon:.5f}); "
        f"{reach.missing_kwh:.1f} kWh are missing to reach the next charging point."
    )
    return NotDrivable(
        code=code,
        message=message,
        section_index=reach.leg,
        distance_from_start_m=km * 1000.0,
        position=position,
        missing_energy_kwh=round(reach.missing_kwh, 3),
    )
