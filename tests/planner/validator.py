"""An independent check of a drivable plan against the problem (shared by the optimizer tests)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from voltroute.planner import Plan, PlanningProblem, StopKind
from voltroute.planner.activity_timeline import driver_timelines
from voltroute.planner.schedule import window_bounds
from voltroute.tachograph import check_timeline
from voltroute.vehicles import Connector, charge_time_s

TOL = 1e-6
H = 3600.0


def validate(problem: PlanningProblem, plan: Plan) -> None:
    """Assert SoC, energy, charge time, opening hours, windows and driver rules are consistent;
    the driver rules as a roadside check reads the plan's activity timelines."""
    assert plan.drivable
    capacity = problem.vehicle.battery_usable_kwh
    stations = {s.station_id: s for s in problem.stations}
    rules = problem.driver_rules
    # Sliced sections report whole metres: up to a metre of rounding each. A chain of stations
    # leaves out the route between its first and last junction.
    assert sum(s.route.length_m for s in plan.sections) + _hopped_over_m(
        problem, plan
    ) == pytest.approx(
        sum(leg.route.length_m for leg in problem.legs), abs=1.0 * len(plan.sections)
    )
    clock = plan.departure
    soc = problem.soc_start
    request_legs = iter(problem.legs)
    for section in plan.sections:
        stop = section.planned_stop
        # SoC continuity and energy over the section (recuperation may be capped, never more).
        assert section.soc_start == pytest.approx(soc, abs=TOL)
        assert section.soc_end <= problem.soc_max + TOL
        assert section.soc_end >= section.soc_start - section.energy_kwh / capacity - TOL
        assert stop.soc_arrival == pytest.approx(section.soc_end, abs=TOL)
        assert problem.soc_reserve - TOL <= stop.soc_arrival <= stop.soc_departure + TOL
        assert stop.soc_departure <= problem.soc_max + TOL
        assert stop.charged_kwh == pytest.approx(
            (stop.soc_departure - stop.soc_arrival) * capacity, abs=1e-3
        )
        # Time: the stop is reached after the section's driving and breaks by the road.
        expected_arrival = clock + timedelta(seconds=section.driving_s)
        assert abs((stop.arrival - expected_arrival).total_seconds()) < 1e-3
        standstill_s = (stop.departure - stop.arrival).total_seconds()
        assert standstill_s >= stop.waiting_s + stop.charge_time_s - TOL
        if stop.station_id is not None:
            station = stations[stop.station_id]
            expected = charge_time_s(
                problem.vehicle,
                stop.soc_arrival,
                stop.soc_departure,
                station.power_kw,
                station.connector,
                station.power_curve,
            )
            assert stop.charge_time_s == pytest.approx(expected, rel=1e-6, abs=1e-3)
            assert standstill_s >= stop.waiting_s + stop.charge_time_s + stop.plug_overhead_s - TOL
            if stop.kind == StopKind.CHARGING:
                assert stop.charge_time_s >= problem.min_charge_duration_s - 1e-3
            if station.open_intervals is not None:
                start = stop.arrival + timedelta(seconds=stop.waiting_s)
                end = start + timedelta(seconds=stop.charge_time_s)
                assert any(
                    i.opens <= start and end <= i.closes + timedelta(seconds=1e-3)
                    for i in station.open_intervals
                )
        if stop.kind in (StopKind.CUSTOMER, StopKind.DESTINATION):
            # Dwell charging at the request's stop, on its power and curve.
            dwell_leg = next(request_legs)
            assert stop.charge_time_s == pytest.approx(
                charge_time_s(
                    problem.vehicle,
                    stop.soc_arrival,
                    stop.soc_departure,
                    dwell_leg.dwell_power_kw,
                    Connector.CCS,
                    dwell_leg.dwell_power_curve,
                ),
                rel=1e-6,
                abs=1e-3,
            )
        leg = next((leg for leg in problem.legs if leg.section_id == section.section_id), None)
        if section.section_id is not None and leg is not None and leg.window is not None:
            _, closes = window_bounds(leg.window, stop.arrival, leg.stop_time_zone)
            assert stop.window_met == (stop.arrival <= closes)
        clock = stop.departure
        soc = stop.soc_departure
    assert plan.soc_end >= problem.min_soc_end - TOL
    # Driver rules: each driver's timeline through the independent roadside check.
    for timeline in driver_timelines(plan):
        found = check_timeline(timeline, rules.law, rules.start)
        assert not found, "\n".join(str(f) for f in found)


def _hopped_over_m(problem: PlanningProblem, plan: Plan) -> float:
    """The route a plan's station chains leave out; each hop to a charging stop is checked
    against the problem's, and what a chain leaves out against its stations' junctions."""
    stations = {(s.leg_index, s.station_id): s for s in problem.stations}
    hops = {(h.leg_index, h.from_station_id, h.to_station_id): h for h in problem.station_hops}
    leg, last_station = 0, None
    for section in plan.sections:
        station_id = section.planned_stop.station_id
        assert section.hopped_over_m >= -TOL
        if section.station_hop:
            assert last_station is not None
            assert station_id is not None
            hop = hops[(leg, last_station, station_id)]
            assert section.route.length_m <= 1.0
            assert section.driving_s == pytest.approx(hop.duration_s, abs=1e-6)
            assert section.energy_kwh == pytest.approx(hop.energy_kwh, abs=1e-6)
            assert section.detour_m == pytest.approx(hop.distance_m, abs=1e-6)
            frm, to = stations[(leg, last_station)], stations[(leg, station_id)]
            assert section.hopped_over_m == pytest.approx(
                to.distance_along_leg_m - frm.distance_along_leg_m, abs=1e-6
            )
        if station_id is not None:
            last_station = station_id
        if section.planned_stop.kind in (StopKind.CUSTOMER, StopKind.DESTINATION):
            leg, last_station = leg + 1, None
    return sum(s.hopped_over_m for s in plan.sections)
