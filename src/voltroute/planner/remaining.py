"""What is left of the tour from a route point: driving and service time, as lower bounds.

The driver counters only matter for what is still to come. A break or a daily rest taken where
the rest of the tour needs neither is wasted time, and two labels whose counters both cover the
rest of the tour are equally free. The compiled search (cpp/remaining.h) makes both tests with
these lower bounds plus a detour allowance (driving that inserted charging stops may still add);
they are computed here, where the clocks and time zones are, and laid out by search_core.

The same bounds, without the allowance, give the earliest a label can reach the destination
(`arrival_lower_bound_s` in the core), which lets the search drop labels that cannot beat a
known plan.
"""

from __future__ import annotations

import math
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from voltroute.planner.labels import EPS
from voltroute.planner.leg_profile import LegProfile
from voltroute.planner.problem import CandidateStation, PlannedLegInput, PlanningProblem
from voltroute.planner.schedule import window_bounds

DETOUR_TRIPS_ALLOWED = 2  # round trips to stations counted into the allowance
WINDOW_DAYS = 16  # days of arrival windows laid out from the drive-off


class WindowClock:
    """A stop's daily arrival windows as intervals in search seconds (from the drive-off)."""

    def __init__(self, leg: PlannedLegInput, drive_off: datetime) -> None:
        assert leg.window is not None
        tz = ZoneInfo(leg.stop_time_zone)
        first = drive_off.astimezone(tz).date() - timedelta(days=1)
        self.opens_s: list[float] = []
        self.closes_s: list[float] = []
        for offset in range(WINDOW_DAYS):
            day = first + timedelta(days=offset)
            opening = datetime.combine(day, leg.window.opens, tzinfo=tz)
            opens, closes = window_bounds(leg.window, opening, leg.stop_time_zone)
            self.opens_s.append((opens - drive_off).total_seconds())
            self.closes_s.append((closes - drive_off).total_seconds())


class WindowChain:
    """The tour's windows in order, for arrival bounds that must meet them all."""

    def __init__(
        self, problem: PlanningProblem, profiles: Sequence[LegProfile], drive_off: datetime
    ) -> None:
        legs = problem.legs
        # arrival_pos_s[k]: driving and service from the start to the arrival at stop k.
        self.arrival_pos_s: list[float] = []
        pos = 0.0
        for leg, profile in zip(legs, profiles, strict=True):
            pos += profile.cum_s[-1]
            self.arrival_pos_s.append(pos)
            pos += leg.service_time_s
        self.service_s = [leg.service_time_s for leg in legs]
        self.stops = [k for k, leg in enumerate(legs) if leg.window is not None]
        self.clocks = {k: WindowClock(legs[k], drive_off) for k in self.stops}
        # first[k]: index into _stops of the first window at stop k or later.
        self.first = [bisect_left(self.stops, k) for k in range(len(legs) + 1)]


@dataclass(frozen=True, slots=True)
class Remaining:
    """Driving and standstill still ahead of a label (the latter at least the services)."""

    drive_s: float
    service_s: float
    # A window ahead may call for a rest taken early (to arrive in tomorrow's window), and its
    # waiting makes the time left unknown: every rest counter then matters.
    windows_ahead: bool = False
    # For arrival_lower_bound_s: route driving alone, the services before the destination's,
    # and the longest of them (the one a daily rest may overlap).
    route_drive_s: float = 0.0
    service_before_end_s: float = 0.0
    longest_service_s: float = 0.0  # of those the driver is free during (else they are work)
    # Working time ahead besides driving: services that are work, and plugging in and out at
    # the charging stops the allowance counts.
    work_s: float = 0.0
    # Net energy still to drive and the fastest charging ahead (inf where a stop ahead charges
    # while the truck is served there, which costs no time): charging takes at least the
    # deficit over that power, and at least one plug overhead.
    energy_kwh: float = 0.0
    fastest_kw: float = math.inf
    min_soc_end: float = 0.0
    capacity_kwh: float = 1.0
    plug_overhead_s: float = 0.0
    # Windows ahead that a plan with no more missed windows must meet (WindowChain).
    chain: WindowChain | None = None
    pos_s: float = 0.0
    first_window: int = 0


class AheadTable:
    """Remaining bounds for any point of a tour."""

    def __init__(
        self,
        problem: PlanningProblem,
        profiles: Sequence[LegProfile],
        allowance_s: float,
        drive_off: datetime,
        stations: Sequence[CandidateStation] = (),
    ) -> None:
        legs = problem.legs
        vehicle = problem.vehicle
        self._memo: dict[tuple[int, float, bool], Remaining] = {}
        self._min_soc_end = problem.min_soc_end
        self._capacity_kwh = vehicle.battery_usable_kwh
        self._plug_overhead_s = vehicle.plug_overhead_s
        curve_max_kw = max(kw for _, kw in vehicle.charging_curve.points)
        # Per leg: station junctions by distance with the fastest power at or after each, and
        # the fastest on any later leg (inf from a stop that charges during its service on).
        self._station_m: list[list[float]] = [[] for _ in legs]
        self._fastest_from: list[list[float]] = [[] for _ in legs]
        on_leg: list[list[tuple[float, float]]] = [[] for _ in legs]
        for station in stations:
            power_kw = min(station.power_kw, vehicle.inlet_max_kw(station.connector), curve_max_kw)
            if station.power_curve is not None:
                # Still at least the fastest the session reaches, so the bound stays a bound.
                power_kw = min(power_kw, station.power_curve.peak_kw)
            if 0 <= station.leg_index < len(legs) and power_kw > 0:
                on_leg[station.leg_index].append((station.distance_along_leg_m, power_kw))
        # _before_leg[k]: the fastest from the start of leg k on; _after_stop[k]: from the stop
        # at the end of leg k on (that stop's dwell charging included).
        self._before_leg = [0.0] * (len(legs) + 1)
        self._after_stop = [0.0] * len(legs)
        self._energy_after = [0.0] * (len(legs) + 1)
        for k in range(len(legs) - 1, -1, -1):
            ordered = sorted(on_leg[k])
            self._station_m[k] = [m for m, _ in ordered]
            suffix = [0.0] * (len(ordered) + 1)
            for i in range(len(ordered) - 1, -1, -1):
                suffix[i] = max(suffix[i + 1], ordered[i][1])
            self._fastest_from[k] = suffix
            dwell_kw = math.inf if legs[k].dwell_power_kw > 0 else 0.0
            self._after_stop[k] = max(dwell_kw, self._before_leg[k + 1])
            self._before_leg[k] = max(suffix[0], self._after_stop[k])
            self._energy_after[k] = self._energy_after[k + 1] + (
                profiles[k + 1].cum_kwh[-1] if k + 1 < len(legs) else 0.0
            )
        self._chain = (
            WindowChain(problem, profiles, drive_off)
            if any(leg.window is not None for leg in legs)
            else None
        )
        self._profiles = profiles
        self._service = [leg.service_time_s for leg in legs]
        free = [leg.service_time_s if leg.driver_free_during_service else 0.0 for leg in legs]
        work = [s - f for s, f in zip(self._service, free, strict=True)]
        self._plug_allowance_s = DETOUR_TRIPS_ALLOWED * vehicle.plug_overhead_s
        self._drive_after = [0.0] * len(legs)
        self._service_after = [0.0] * len(legs)
        self._work = work
        self._work_after = [0.0] * len(legs)
        # _longest_after[k]: the longest service at the stops ending legs k+1 .. last-1.
        self._longest_after = [0.0] * len(legs)
        for k in range(len(legs) - 2, -1, -1):
            self._drive_after[k] = self._drive_after[k + 1] + profiles[k + 1].cum_s[-1]
            self._service_after[k] = self._service_after[k + 1] + self._service[k + 1]
            self._work_after[k] = self._work_after[k + 1] + work[k + 1]
            if k + 1 < len(legs) - 1:
                self._longest_after[k] = max(self._longest_after[k + 1], free[k + 1])
        self._last_service_s = self._service[-1] if legs else 0.0
        self._allowance_s = allowance_s
        # _window_from[k]: a window at the stop ending leg k or later.
        self._window_from = [False] * (len(legs) + 1)
        for k in range(len(legs) - 1, -1, -1):
            self._window_from[k] = self._window_from[k + 1] or legs[k].window is not None

    @property
    def chain(self) -> WindowChain | None:
        """The tour's windows, if it has any."""
        return self._chain

    def at(self, leg: int, distance_m: float, before_stop: bool) -> Remaining:
        """What is left from a distance along a leg (before or after the stop at its end)."""
        key = (leg, distance_m, before_stop)
        found = self._memo.get(key)
        if found is None:
            found = self._memo[key] = self._compute(leg, distance_m, before_stop)
        return found

    def _compute(self, leg: int, distance_m: float, before_stop: bool) -> Remaining:
        profile = self._profiles[leg]
        left_on_leg_s = profile.cum_s[-1] - profile.time_at(distance_m)
        drive_s = left_on_leg_s + self._drive_after[leg]
        service_s = self._service_after[leg] + (self._service[leg] if before_stop else 0.0)
        windows = self._window_from[leg if before_stop else leg + 1]
        last = len(self._service) - 1
        longest_s = self._longest_after[leg]
        if before_stop and leg < last:
            longest_s = max(longest_s, self._service[leg] - self._work[leg])
        work_s = self._work_after[leg] + (self._work[leg] if before_stop else 0.0)
        before_end_s = service_s - (self._last_service_s if before_stop or leg < last else 0.0)
        chain = self._chain
        pos_s, first = 0.0, 0
        if chain is not None:
            if before_stop:
                pos_s = chain.arrival_pos_s[leg] - left_on_leg_s
                first = chain.first[leg]
            else:
                pos_s = chain.arrival_pos_s[leg] + self._service[leg]
                first = chain.first[leg + 1]
        if before_stop:
            i = bisect_left(self._station_m[leg], distance_m - EPS)
            fastest_kw = max(self._fastest_from[leg][i], self._after_stop[leg])
        else:
            fastest_kw = self._before_leg[leg + 1]
        energy_kwh = profile.cum_kwh[-1] - profile.energy_at(distance_m) + self._energy_after[leg]
        return Remaining(
            drive_s + self._allowance_s,
            service_s,
            windows,
            route_drive_s=drive_s,
            service_before_end_s=before_end_s,
            longest_service_s=longest_s,
            work_s=work_s + self._plug_allowance_s,
            energy_kwh=energy_kwh,
            fastest_kw=fastest_kw,
            min_soc_end=self._min_soc_end,
            capacity_kwh=self._capacity_kwh,
            plug_overhead_s=self._plug_overhead_s,
            chain=chain,
            pos_s=pos_s,
            first_window=first,
        )
