"""What the truck can do at a stop: charge to a SoC on the grid, hold for a break or a rest.

Charge times are exact integrals of the charging model (vehicles.charging). Because they are
additive over intermediate SoCs, time(a -> g) = tau(g) - tau(a) with tau tabulated once per
station power on the SoC grid, which keeps each option O(1).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from voltroute.planner.driver_rules import DriverState, after_standstill, break_needed_s
from voltroute.planner.labels import EPS, Label, RoadsideStop, StopStep, drive
from voltroute.planner.problem import CandidateStation, PlannedLegInput, PlanningProblem
from voltroute.planner.remaining import AheadTable, Remaining
from voltroute.planner.schedule import window_bounds
from voltroute.vehicles.charging import ChargeProfile
from voltroute.vehicles.vehicle import Connector


class ChargeTable:
    """Charge times at one power and connector, with tau tabulated on the SoC grid."""

    def __init__(
        self, problem: PlanningProblem, power_kw: float, connector: Connector, grid: list[float]
    ) -> None:
        self.problem = problem
        self.power_kw = power_kw
        self.connector = connector
        self.base = problem.soc_reserve
        self.grid = grid
        self.profile = ChargeProfile(problem.vehicle, power_kw, connector)
        self.tau = [self.tau_of(g) for g in grid]

    def tau_of(self, soc: float) -> float:
        """Charge time from the reserve to soc (inf when no power flows on the way)."""
        return self.profile.time_s(self.base, max(self.base, soc))

    def time_s(self, soc_from: float, soc_to: float) -> float:
        """Exact time from soc_from to soc_to."""
        return self.profile.time_s(soc_from, soc_to)

    def soc_after(self, soc_from: float, duration_s: float) -> float:
        """SoC after charging duration_s, capped at the problem's soc_max."""
        if duration_s <= 0:
            return soc_from
        return min(self.problem.soc_max, self.profile.soc_after(soc_from, duration_s))

    def grid_options(self, soc_from: float) -> list[tuple[float, float]]:
        """(target, time) for every grid target above soc_from."""
        tau_from = self.tau_of(soc_from)
        out: list[tuple[float, float]] = []
        if math.isinf(tau_from):
            for g in self.grid:
                if g > soc_from + EPS:
                    out.append((g, self.time_s(soc_from, g)))
            return out
        for g, tau in zip(self.grid, self.tau, strict=True):
            if g > soc_from + EPS:
                out.append((g, max(0.0, tau - tau_from)))
        return out


@dataclass(frozen=True, slots=True)
class StopContext:
    """What every stop evaluation shares."""

    problem: PlanningProblem
    drive_off: datetime
    grid: list[float]
    tables: dict[tuple[float, Connector], ChargeTable]
    ahead: AheadTable

    def table(self, power_kw: float, connector: Connector) -> ChargeTable:
        key = (power_kw, connector)
        found = self.tables.get(key)
        if found is None:
            found = ChargeTable(self.problem, power_kw, connector, self.grid)
            self.tables[key] = found
        return found

    def at(self, t: float) -> datetime:
        return self.drive_off + timedelta(seconds=t)

    def remaining(self, leg: int, distance_m: float, before_stop: bool) -> Remaining:
        """What is left of the tour from a point."""
        return self.ahead.at(leg, distance_m, before_stop)


def _legal_without_rest(ctx: StopContext, state: DriverState, end_s: float, hold: float) -> bool:
    rules = ctx.problem.driver_rules
    return hold >= rules.daily_rest_s or end_s <= state.day_start_s + rules.duty_spread_s + EPS


def _kind(ctx: StopContext, before: DriverState, standstill_s: float) -> str:
    rules = ctx.problem.driver_rules
    if standstill_s >= rules.daily_rest_s:
        return "rest"
    if standstill_s >= break_needed_s(rules, before):
        return "break"
    return "none"


def customer_stop(
    ctx: StopContext, label: Label, leg_index: int, leg: PlannedLegInput, last: bool
) -> list[Label]:
    """The request's stop at the end of a leg: window, service, dwell charging, break or rest."""
    problem = ctx.problem
    rules = problem.driver_rules
    capacity = problem.vehicle.battery_usable_kwh
    waiting = 0.0
    met: bool | None = None
    if leg.window is not None:
        arrival = ctx.at(label.t)
        opens, closes = window_bounds(leg.window, arrival, leg.stop_time_zone)
        waiting = max(0.0, (opens - arrival).total_seconds())
        met = arrival <= closes
    base = waiting + leg.service_time_s
    holds = {base}
    table = ctx.table(leg.dwell_power_kw, Connector.CCS) if leg.dwell_power_kw > 0 else None
    if not last:
        # Staying for a break or a rest only where the rest of the tour still needs one.
        ahead = ctx.remaining(leg_index, math.inf, before_stop=False)
        if ahead.needs_break(rules, label.driver):
            holds.add(max(base, break_needed_s(rules, label.driver)))
        if ahead.needs_rest(rules, label.driver, label.t + base):
            holds.add(max(base, rules.daily_rest_s))
        if table is not None:
            # Staying longer to charge more: each grid target beyond what the dwell gives.
            dwell_soc = table.soc_after(label.soc, base)
            for target, time_s in table.grid_options(label.soc):
                if target > dwell_soc + EPS:
                    holds.add(max(base, time_s))
    out: list[Label] = []
    for hold in sorted(holds):
        end = label.t + hold
        if not last and not _legal_without_rest(ctx, label.driver, end, hold):
            continue
        soc_dep = label.soc
        charge_s = 0.0
        if table is not None and hold > 0 and label.soc < problem.soc_max:
            soc_dep = table.soc_after(label.soc, hold)
            charge_s = min(hold, table.time_s(label.soc, soc_dep))
        if last and soc_dep < problem.soc_end_min - 1e-9:
            continue
        step = StopStep(
            leg=leg_index,
            station=None,
            arrival_s=label.t,
            waiting_s=waiting,
            charge_s=charge_s,
            standstill_s=hold,
            soc_arrival=label.soc,
            soc_departure=soc_dep,
            window_met=met,
            kind=_kind(ctx, label.driver, hold),
        )
        driver = after_standstill(rules, label.driver, hold, end)
        out.append(
            Label(
                end,
                soc_dep,
                driver,
                label.missed + (1 if met is False else 0),
                label.wait + waiting,
                label.stops,
                label.charged_kwh + (soc_dep - label.soc) * capacity,
                label,
                step,
            )
        )
    return out


def _open_span(
    ctx: StopContext, station: CandidateStation, arrival_s: float
) -> tuple[float, float] | None:
    """(waiting, longest charge) for a truck arriving at arrival_s; None when it stays closed."""
    if station.open_intervals is None:
        return 0.0, math.inf
    arrival = ctx.at(arrival_s)
    for interval in sorted(station.open_intervals, key=lambda i: i.opens):
        if interval.closes <= arrival:
            continue
        start = max(arrival, interval.opens)
        return (start - arrival).total_seconds(), (interval.closes - start).total_seconds()
    return None


@dataclass(frozen=True, slots=True)
class Arrival:
    """A label that has driven the detour to a station and found it open (after waiting)."""

    label: Label
    soc: float
    t: float
    driver: DriverState
    before: tuple[RoadsideStop, ...]
    waiting_s: float
    open_s: float  # longest charge before the station closes


def arrive(ctx: StopContext, label: Label, station: CandidateStation) -> Arrival | None:
    """Drive the detour to the station and wait for it to open; None if it cannot be used."""
    problem = ctx.problem
    capacity = problem.vehicle.battery_usable_kwh
    soc = min(problem.soc_max, label.soc - station.detour_to_kwh / capacity)
    if soc < problem.soc_reserve - EPS:
        return None
    there = drive(problem.driver_rules, label.t, label.driver, station.detour_to_s, False)
    if there is None:
        return None
    t, driver, before = there
    span = _open_span(ctx, station, t)
    if span is None:
        return None
    return Arrival(label, soc, t, driver, before, span[0], span[1])


def extra_sessions(
    ctx: StopContext, station: CandidateStation, arrival: Arrival, table: ChargeTable
) -> list[tuple[float, float, float]]:
    """(target, charge time, standstill) beside the grid: the shortest session allowed, a
    session that fills the break, and charging through a daily rest (exempt from the minimum)."""
    rules = ctx.problem.driver_rules
    overhead = ctx.problem.vehicle.plug_overhead_s
    min_s = ctx.problem.min_charge_duration_s
    waiting, open_s, soc = arrival.waiting_s, arrival.open_s, arrival.soc
    options: list[tuple[float, float, float]] = []
    extra = [min_s] if min_s > 0 else []
    # Sessions as long as a break or as its second part, and those that fill one together with
    # the wait, are targets of the model whether or not a break is due.
    extra.extend(
        sorted(
            {
                length - overhead - wait
                for length in (rules.break_s, rules.split_second_s)
                for wait in (0.0, waiting)
            }
        )
    )
    for time_s in extra:
        if min_s - EPS <= time_s <= open_s and time_s > 0:
            target = table.soc_after(soc, time_s)
            if target > soc + EPS:
                used = table.time_s(soc, target)
                options.append((target, used, waiting + max(time_s, used) + overhead))
    ahead = ctx.remaining(station.leg_index, station.distance_along_leg_m, before_stop=True)
    if not ahead.needs_rest(rules, arrival.driver, arrival.t):
        return options  # charging through a rest the tour does not need
    rest_charge = min(open_s, max(0.0, rules.daily_rest_s - waiting - overhead))
    rest_target = table.soc_after(soc, rest_charge)
    if rest_target > soc + EPS:
        used = min(rest_charge, table.time_s(soc, rest_target))
        options.append((rest_target, used, max(rules.daily_rest_s, waiting + used + overhead)))
    return options


def session(
    ctx: StopContext,
    station: CandidateStation,
    arrival: Arrival,
    target: float,
    charge_s: float,
    hold: float,
) -> Label | None:
    """The label back at the junction after charging to target; None if not legal."""
    problem = ctx.problem
    rules = problem.driver_rules
    capacity = problem.vehicle.battery_usable_kwh
    t_arrival, driver = arrival.t, arrival.driver
    if not _legal_without_rest(ctx, driver, t_arrival + hold, hold):
        return None
    soc_back = min(problem.soc_max, target - station.detour_from_kwh / capacity)
    if soc_back < problem.soc_reserve - EPS:
        return None
    after_stop = after_standstill(rules, driver, hold, t_arrival + hold)
    back = drive(rules, t_arrival + hold, after_stop, station.detour_from_s, splittable=False)
    if back is None:
        return None
    t_back, driver_back, after = back
    step = StopStep(
        leg=station.leg_index,
        station=station,
        arrival_s=t_arrival,
        waiting_s=arrival.waiting_s,
        charge_s=charge_s,
        standstill_s=hold,
        soc_arrival=arrival.soc,
        soc_departure=target,
        window_met=None,
        kind=_kind(ctx, driver, hold),
        before=arrival.before,
        after=after,
    )
    label = arrival.label
    return Label(
        t_back,
        soc_back,
        driver_back,
        label.missed,
        label.wait + arrival.waiting_s,
        label.stops + 1,
        label.charged_kwh + (target - arrival.soc) * capacity,
        label,
        step,
    )


def station_stop(ctx: StopContext, label: Label, station: CandidateStation) -> list[Label]:
    """Leave the route for a station, charge to each candidate SoC, and come back."""
    arrival = arrive(ctx, label, station)
    if arrival is None:
        return []
    table = ctx.table(station.power_kw, station.connector)
    overhead = ctx.problem.vehicle.plug_overhead_s
    min_s = ctx.problem.min_charge_duration_s
    options = [
        (target, time_s, arrival.waiting_s + time_s + overhead)
        for target, time_s in table.grid_options(arrival.soc)
        if min_s - EPS <= time_s <= arrival.open_s
    ]
    options.extend(extra_sessions(ctx, station, arrival, table))
    out = []
    for target, charge_s, hold in options:
        found = session(ctx, station, arrival, target, charge_s, hold)
        if found is not None:
            out.append(found)
    return out
