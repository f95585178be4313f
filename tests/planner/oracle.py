"""Exhaustive oracle: every subset of up to MAX_STOPS stations, every SoC target of the model.

Written apart from the optimizer: it simulates each choice forward, edge by edge. It covers the
model without driver rules (instances drive less than 4.5 h) and without recuperation, and stays
at customer stops only for their window and service.
"""

from __future__ import annotations

import math
from datetime import timedelta
from itertools import combinations

from voltroute.planner import CandidateStation, PlanningProblem
from voltroute.planner.schedule import window_bounds
from voltroute.vehicles import charge_time_s, soc_after_charging_s

MAX_STOPS = 2


def energy_to(problem: PlanningProblem, leg_index: int, distance_m: float) -> float:
    """Energy from the start of a leg to a distance along it, shared linearly inside an edge."""
    leg = problem.legs[leg_index]
    done_m = energy = 0.0
    for edge, kwh in zip(leg.route.edges, leg.edge_energy_kwh, strict=True):
        if done_m + edge.length_m <= distance_m:
            energy += kwh
        elif done_m < distance_m:
            energy += kwh * (distance_m - done_m) / edge.length_m
        done_m += edge.length_m
    return energy


def time_to(problem: PlanningProblem, leg_index: int, distance_m: float) -> float:
    leg = problem.legs[leg_index]
    return leg.route.duration_s * min(1.0, distance_m / leg.route.length_m)


def targets(problem: PlanningProblem, station: CandidateStation, soc: float, step: float) -> list:
    """The model's SoC targets: the grid, soc_max, the SoC that finishes the tour from here
    without charging again, the shortest session, and sessions as long as a break (the driver is
    free while charging; plugging is work)."""
    found = [k * step for k in range(1, round(1 / step) + 1) if soc < k * step < problem.soc_max]
    found.append(problem.soc_max)
    # No recuperation here: the SoC only falls, so the end level is what binds.
    leg = station.leg_index
    ahead_kwh = (
        station.detour_from_kwh
        + sum(problem.legs[leg].edge_energy_kwh)
        - energy_to(problem, leg, station.distance_along_leg_m)
        + sum(sum(later.edge_energy_kwh) for later in problem.legs[leg + 1 :])
    )
    finish = problem.min_soc_end + ahead_kwh / problem.vehicle.battery_usable_kwh
    if finish < problem.soc_max:
        found.append(finish)
    # The instances need no break: a session as long as one (the core's extra_sessions).
    sessions = [problem.driver_rules.law.break_s]
    for seconds in (problem.min_charge_duration_s, *sessions):
        if seconds > 0:
            found.append(
                min(
                    problem.soc_max,
                    soc_after_charging_s(
                        problem.vehicle,
                        soc,
                        seconds,
                        station.power_kw,
                        station.connector,
                        station.power_curve,
                    ),
                )
            )
    return [t for t in found if t > soc + 1e-9]


def simulate(
    problem: PlanningProblem, chosen: dict[str, float | None], step: float
) -> list[tuple[int, float]]:
    """(missed windows, seconds to the end of the tour) for every way to complete the choice.

    chosen maps a station id to None ("stop here, enumerate targets") for the stations of the
    subset; the enumeration is expanded inside (targets depend on the arrival SoC).
    """
    usable = problem.vehicle.battery_usable_kwh
    reserve = problem.soc_reserve
    drive_off = problem.earliest_departure + timedelta(seconds=problem.departure_service_s)
    results: list[tuple[int, float]] = []

    def walk(leg_index: int, from_m: float, t: float, soc: float, missed: int, rest: list) -> None:
        leg = problem.legs[leg_index]
        here = [s for s in rest if s.leg_index == leg_index]
        if here:
            station = here[0]
            d = min(station.distance_along_leg_m, leg.route.length_m)
            soc_j = (
                soc
                - (energy_to(problem, leg_index, d) - energy_to(problem, leg_index, from_m))
                / usable
            )
            t_j = t + time_to(problem, leg_index, d) - time_to(problem, leg_index, from_m)
            soc_a = soc_j - station.detour_to_kwh / usable
            if soc_j < reserve - 1e-9 or soc_a < reserve - 1e-9:
                return
            t_a = t_j + station.detour_to_s
            wait, open_s = 0.0, math.inf
            if station.open_intervals is not None:
                at = drive_off + timedelta(seconds=t_a)
                spans = [
                    i
                    for i in sorted(station.open_intervals, key=lambda i: i.opens)
                    if i.closes > at
                ]
                if not spans:
                    return
                start = max(at, spans[0].opens)
                wait = (start - at).total_seconds()
                open_s = (spans[0].closes - start).total_seconds()
            for target in targets(problem, station, soc_a, step):
                c = charge_time_s(
                    problem.vehicle,
                    soc_a,
                    target,
                    station.power_kw,
                    station.connector,
                    station.power_curve,
                )
                if c < problem.min_charge_duration_s - 1e-6 or c > open_s + 1e-6:
                    continue
                soc_b = target - station.detour_from_kwh / usable
                if soc_b < reserve - 1e-9:
                    continue
                hold = wait + c + problem.vehicle.plug_overhead_s
                walk(leg_index, d, t_a + hold + station.detour_from_s, soc_b, missed, rest[1:])
            return
        soc_e = (
            soc
            - (
                energy_to(problem, leg_index, leg.route.length_m)
                - energy_to(problem, leg_index, from_m)
            )
            / usable
        )
        if soc_e < reserve - 1e-9:
            return
        t_e = t + leg.route.duration_s - time_to(problem, leg_index, from_m)
        wait = 0.0
        if leg.window is not None:
            at = drive_off + timedelta(seconds=t_e)
            opens, closes = window_bounds(leg.window, at, leg.stop_time_zone)
            wait = max(0.0, (opens - at).total_seconds())
            missed += at > closes
        if leg_index == len(problem.legs) - 1:
            if soc_e >= problem.min_soc_end - 1e-9:
                results.append((missed, t_e + wait))
            return
        walk(leg_index + 1, 0.0, t_e + wait + leg.service_time_s, soc_e, missed, rest)

    order = sorted(
        (s for s in problem.stations if s.station_id in chosen),
        key=lambda s: (s.leg_index, s.distance_along_leg_m, s.station_id),
    )
    walk(0, 0.0, 0.0, problem.soc_start, 0, order)
    return results


def oracle_best(problem: PlanningProblem, step: float) -> tuple[int, float] | None:
    """The least (missed windows, tour seconds) over all subsets of up to MAX_STOPS stations."""
    usable = [
        s
        for s in problem.stations
        if s.power_kw > 0 and problem.vehicle.inlet_max_kw(s.connector) > 0
    ]
    best: tuple[int, float] | None = None
    for size in range(MAX_STOPS + 1):
        for subset in combinations(usable, size):
            for result in simulate(problem, {s.station_id: None for s in subset}, step):
                if best is None or result < best:
                    best = result
    return best
