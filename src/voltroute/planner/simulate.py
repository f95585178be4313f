"""The dwell-only simulation: legs in order, charging only where a stop offers power.

Used to describe a tour that has no plan: its sections show how far the battery goes and its
verdict says where it runs out when no station could be inserted.
"""

from __future__ import annotations

from datetime import timedelta

from voltroute.planner.plan import (
    NotDrivable,
    NotDrivableCode,
    Plan,
    PlannedSection,
    PlannedStop,
    StopKind,
    WindowsReachable,
)
from voltroute.planner.problem import PlanningProblem
from voltroute.planner.schedule import StopTiming, best_drive_off, run_clock
from voltroute.planner.soc import first_crossing, trace_soc
from voltroute.vehicles.charging import charge_time_s, soc_after_charging_s


def simulate_tour(problem: PlanningProblem) -> Plan:
    """The tour driven as given, charging only where a stop offers power; no inserted stops."""
    stops = [
        StopTiming(leg.route.duration_s, leg.service_time_s, leg.window, leg.stop_time_zone)
        for leg in problem.legs
    ]
    has_windows = any(leg.window is not None for leg in problem.legs)
    earliest_drive_off = problem.earliest_departure + timedelta(seconds=problem.departure_service_s)
    drive_off = best_drive_off(earliest_drive_off, stops) if has_windows else earliest_drive_off
    timed = run_clock(drive_off, stops)

    vehicle = problem.vehicle
    usable_kwh = vehicle.battery_usable_kwh
    sections: list[PlannedSection] = []
    not_drivable: NotDrivable | None = None
    soc = problem.soc_start
    tour_distance_m = 0.0
    lowest_soc = soc
    for index, (leg, clock) in enumerate(zip(problem.legs, timed, strict=True)):
        trace = trace_soc(soc, leg.edge_energy_kwh, usable_kwh, problem.soc_max)
        lowest_soc = min(lowest_soc, trace.soc_min)
        crossing = first_crossing(leg.route, soc, trace, problem.soc_reserve)
        if crossing is not None and not_drivable is None:
            not_drivable = NotDrivable(
                code=NotDrivableCode.BATTERY_DEPLETED_MID_ROUTE,
                message="",  # completed below, once the whole deficit is known
                section_index=index,
                distance_from_start_m=tour_distance_m + crossing.distance_m,
                position=crossing.position,
                missing_energy_kwh=0.0,
            )
        soc_arrival = max(0.0, trace.soc_end)
        parked_s = clock.waiting_s + leg.service_time_s
        charged_s = 0.0
        soc_departure = soc_arrival
        if leg.dwell_power_kw > 0 and parked_s > 0 and soc_arrival < problem.soc_max:
            soc_departure = min(
                problem.soc_max,
                soc_after_charging_s(vehicle, soc_arrival, parked_s, leg.dwell_power_kw),
            )
            charged_s = min(
                parked_s, charge_time_s(vehicle, soc_arrival, soc_departure, leg.dwell_power_kw)
            )
        last = index == len(problem.legs) - 1
        stop = PlannedStop(
            kind=StopKind.DESTINATION if last else StopKind.CUSTOMER,
            name="Destination" if last else (leg.section_id or f"Stop {index + 1}"),
            position=leg.stop,
            arrival=clock.arrival,
            departure=clock.departure,
            soc_arrival=soc_arrival,
            soc_departure=soc_departure,
            charged_kwh=(soc_departure - soc_arrival) * usable_kwh,
            charge_time_s=charged_s,
            service_time_s=leg.service_time_s,
            waiting_s=clock.waiting_s,
            dwell_power_kw=leg.dwell_power_kw,
            window_met=clock.window_met,
            time_zone=leg.stop_time_zone,
        )
        sections.append(
            PlannedSection(
                section_id=leg.section_id,
                start=leg.start,
                stop=leg.stop,
                route=leg.route,
                payload_kg=leg.payload_kg,
                energy_kwh=sum(leg.edge_energy_kwh),
                soc_start=max(0.0, soc),
                soc_end=soc_arrival,
                driving_s=leg.route.duration_s,
                planned_stop=stop,
                opening_time=leg.opening_time,
                request_service_time_min=leg.service_time_s / 60.0,
                request_power_available_kw=leg.dwell_power_kw,
            )
        )
        tour_distance_m += leg.route.length_m
        # Continue from the unclamped SoC so the deficit of the whole tour can be reported.
        soc = trace.soc_end if trace.soc_end < 0 else soc_departure

    soc_end = sections[-1].planned_stop.soc_departure
    if not_drivable is not None:
        missing_kwh = (problem.soc_reserve - lowest_soc) * usable_kwh
        not_drivable = _depleted(not_drivable, missing_kwh, problem.soc_reserve)
    elif soc_end < problem.soc_end_min - 1e-9:
        not_drivable = _below_end_level(problem, sections, soc_end, tour_distance_m)

    windows = [t.window_met for t in timed if t.window_met is not None]
    if not windows:
        reachable = WindowsReachable.NOT_CONSIDERED
    else:
        reachable = WindowsReachable.TRUE if all(windows) else WindowsReachable.FALSE
    tour_start = drive_off - timedelta(seconds=problem.departure_service_s)
    return Plan(
        sections=tuple(sections),
        departure=drive_off,
        tour_start=tour_start,
        arrival=timed[-1].arrival,
        soc_start=problem.soc_start,
        soc_end=soc_end,
        windows_reachable=reachable,
        optimal_departure=tour_start if has_windows else None,
        not_drivable=not_drivable,
    )


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
    missing_kwh = (problem.soc_end_min - soc_end) * problem.vehicle.battery_usable_kwh
    last = sections[-1]
    message = (
        f"The tour ends with {soc_end:.0%} at the destination (km {tour_distance_m / 1000.0:.1f}), "
        f"below the requested battery_level_end of {problem.soc_end_min:.0%}; "
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
