"""The dwell-only simulation: legs in order, charging only where a stop offers power.

Used to describe a tour that has no plan: its sections show how far the battery goes and its
verdict says where it runs out when no station could be inserted.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from voltroute.planner.plan import (
    NotDrivable,
    NotDrivableCode,
    Plan,
    PlannedSection,
    PlannedStop,
    StopKind,
    WindowsReachable,
)
from voltroute.planner.problem import PlannedLegInput, PlanningProblem
from voltroute.planner.schedule import StopTiming, TimedStop, best_drive_off, run_clock
from voltroute.planner.soc import SocTrace, first_crossing, trace_soc
from voltroute.vehicles.charging import charge_profile
from voltroute.vehicles.vehicle import Connector


def simulate_tour(problem: PlanningProblem) -> Plan:
    """The tour driven as given, charging only where a stop offers power; no inserted stops."""
    has_windows = any(leg.window is not None for leg in problem.legs)
    drive_off, timed = _schedule(problem, has_windows)
    driven = _drive(problem, timed)
    soc_end = driven.sections[-1].planned_stop.soc_departure
    tour_start = drive_off - timedelta(seconds=problem.departure_service_s)
    return Plan(
        sections=tuple(driven.sections),
        departure=drive_off,
        tour_start=tour_start,
        arrival=timed[-1].arrival,
        soc_start=problem.soc_start,
        soc_end=soc_end,
        windows_reachable=_windows_reachable(timed),
        optimal_departure=tour_start if has_windows else None,
        not_drivable=_verdict(problem, driven, soc_end),
    )


@dataclass(frozen=True, slots=True)
class _Driven:
    """The legs driven in order: their sections and what the verdict needs."""

    sections: list[PlannedSection]
    depleted_at: NotDrivable | None  # the first drop below the reserve, message still empty
    lowest_soc: float  # unclamped: below 0 where the battery would have run out
    distance_m: float  # the whole tour's


@dataclass(frozen=True, slots=True)
class _Dwell:
    """A stop's SoC and charging while parked."""

    soc_arrival: float
    soc_departure: float
    charge_time_s: float


def _schedule(problem: PlanningProblem, has_windows: bool) -> tuple[datetime, list[TimedStop]]:
    """The drive-off (the best for the windows, if any) and the clock at each stop."""
    stops = [
        StopTiming(leg.route.duration_s, leg.service_time_s, leg.window, leg.stop_time_zone)
        for leg in problem.legs
    ]
    earliest_drive_off = problem.earliest_departure + timedelta(seconds=problem.departure_service_s)
    drive_off = best_drive_off(earliest_drive_off, stops) if has_windows else earliest_drive_off
    return drive_off, run_clock(drive_off, stops)


def _drive(problem: PlanningProblem, timed: list[TimedStop]) -> _Driven:
    """Each leg from the SoC the previous one left, charging where its stop offers power."""
    usable_kwh = problem.vehicle.battery_usable_kwh
    sections: list[PlannedSection] = []
    depleted_at: NotDrivable | None = None
    soc = problem.soc_start
    tour_distance_m = 0.0
    lowest_soc = soc
    for index, (leg, clock) in enumerate(zip(problem.legs, timed, strict=True)):
        trace = trace_soc(soc, leg.edge_energy_kwh, usable_kwh, problem.soc_max)
        lowest_soc = min(lowest_soc, trace.lowest_soc)
        if depleted_at is None:
            depleted_at = _below_reserve(problem, index, soc, trace, tour_distance_m)
        dwell = _dwell(problem, leg, max(0.0, trace.soc_end), clock.waiting_s + leg.service_time_s)
        sections.append(_section(leg, max(0.0, soc), _stop(problem, index, clock, dwell)))
        tour_distance_m += leg.route.length_m
        # Continue from the unclamped SoC so the deficit of the whole tour can be reported.
        soc = trace.soc_end if trace.soc_end < 0 else dwell.soc_departure
    return _Driven(sections, depleted_at, lowest_soc, tour_distance_m)


def _below_reserve(
    problem: PlanningProblem, index: int, soc: float, trace: SocTrace, tour_distance_m: float
) -> NotDrivable | None:
    """Where leg `index` takes the SoC below the reserve (message and deficit come later)."""
    leg = problem.legs[index]
    crossing = first_crossing(leg.route, soc, trace, problem.soc_reserve)
    if crossing is None:
        return None
    return NotDrivable(
        code=NotDrivableCode.BATTERY_DEPLETED_MID_ROUTE,
        message="",  # completed by _verdict, once the whole deficit is known
        section_index=index,
        distance_from_start_m=tour_distance_m + crossing.distance_m,
        position=crossing.position,
        missing_energy_kwh=0.0,
    )


def _dwell(
    problem: PlanningProblem, leg: PlannedLegInput, soc_arrival: float, parked_s: float
) -> _Dwell:
    """Charging for the time parked at the stop, where it offers power."""
    if leg.dwell_power_kw > 0 and parked_s > 0 and soc_arrival < problem.soc_max:
        # The optimizer's dwell table: CCS, the stop's power and its curve.
        profile = charge_profile(
            problem.vehicle, leg.dwell_power_kw, Connector.CCS, leg.dwell_power_curve
        )
        soc_departure = min(problem.soc_max, profile.soc_after(soc_arrival, parked_s))
        charged_s = min(parked_s, profile.time_s(soc_arrival, soc_departure))
        return _Dwell(soc_arrival, soc_departure, charged_s)
    return _Dwell(soc_arrival, soc_arrival, 0.0)


def _stop(problem: PlanningProblem, index: int, clock: TimedStop, dwell: _Dwell) -> PlannedStop:
    """The request's stop at the end of leg `index` (the destination at the last)."""
    leg = problem.legs[index]
    last = index == len(problem.legs) - 1
    return PlannedStop(
        kind=StopKind.DESTINATION if last else StopKind.CUSTOMER,
        name="Destination" if last else (leg.section_id or f"Stop {index + 1}"),
        position=leg.stop,
        arrival=clock.arrival,
        departure=clock.departure,
        soc_arrival=dwell.soc_arrival,
        soc_departure=dwell.soc_departure,
        charged_kwh=(dwell.soc_departure - dwell.soc_arrival) * problem.vehicle.battery_usable_kwh,
        charge_time_s=dwell.charge_time_s,
        service_time_s=leg.service_time_s,
        waiting_s=clock.waiting_s,
        dwell_power_kw=leg.dwell_power_kw,
        window_met=clock.window_met,
        time_zone=leg.stop_time_zone,
    )


def _section(leg: PlannedLegInput, soc_start: float, stop: PlannedStop) -> PlannedSection:
    return PlannedSection(
        section_id=leg.section_id,
        start=leg.start,
        stop=leg.stop,
        route=leg.route,
        payload_kg=leg.payload_kg,
        energy_kwh=sum(leg.edge_energy_kwh),
        soc_start=soc_start,
        soc_end=stop.soc_arrival,
        driving_s=leg.route.duration_s,
        planned_stop=stop,
        opening_time=leg.opening_time,
        request_service_time_min=leg.service_time_s / 60.0,
        request_power_available_kw=leg.dwell_power_kw,
    )


def _windows_reachable(timed: list[TimedStop]) -> WindowsReachable:
    windows = [t.window_met for t in timed if t.window_met is not None]
    if not windows:
        return WindowsReachable.NOT_CONSIDERED
    return WindowsReachable.TRUE if all(windows) else WindowsReachable.FALSE


def _verdict(problem: PlanningProblem, driven: _Driven, soc_end: float) -> NotDrivable | None:
    """Where the tour runs below the reserve, or its end below the end level; None: drivable."""
    if driven.depleted_at is not None:
        missing_kwh = (problem.soc_reserve - driven.lowest_soc) * problem.vehicle.battery_usable_kwh
        return _depleted(driven.depleted_at, missing_kwh, problem.soc_reserve)
    if soc_end < problem.min_soc_end - 1e-9:
        return _below_end_level(problem, driven.sections, soc_end, driven.distance_m)
    return None


def _depleted(found: NotDrivable, missing_kwh: float, reserve: float) -> NotDrivable:
    km = found.distance_from_start_m / 1000.0
    message = (
        f"Battery falls below the {reserve:.0%} reserve at km {km:.1f} of the tour "
        f"(section {found.section_index}, at {found.position.lat:.5f}, {found.position.lon:.5f}); "
        f"{missing_kwh:.1f} kWh are missing. No charging stop can be inserted on this tour: "
        "raise battery_level_start or add charging (power_available_kW) at a stop before it."
    )
    return NotDrivable(
        code=found.code,
        message=message,
        section_index=found.section_index,
        distance_from_start_m=found.distance_from_start_m,
        position=found.position,
        missing_energy_kwh=round(max(0.0, missing_kwh), 3),
    )


def _below_end_level(
    problem: PlanningProblem, sections: list[PlannedSection], soc_end: float, tour_distance_m: float
) -> NotDrivable:
    missing_kwh = (problem.min_soc_end - soc_end) * problem.vehicle.battery_usable_kwh
    last = sections[-1]
    message = (
        f"The tour ends with {soc_end:.0%} at the destination (km {tour_distance_m / 1000.0:.1f}), "
        f"below the requested battery_level_end of {problem.min_soc_end:.0%}; "
        f"{missing_kwh:.1f} kWh are missing."
    )
    return NotDrivable(
        code=NotDrivableCode.BATTERY_DEPLETED_MID_ROUTE,
        message=message,
        section_index=len(sections) - 1,
        distance_from_start_m=tour_distance_m,
        position=last.stop,
        missing_energy_kwh=round(missing_kwh, 3),
    )
