"""Charging options for all labels at a station at once, in O(labels + grid) per driver class.

Charge times are additive: time(s -> g) = tau(g) - tau(s). For a target g the best source among
labels of one class is the one with the least potential t_arrival - tau(s_arrival), among those
whose session length tau(g) - tau(s) falls in the wanted range (long enough for the minimum
session; below the split-break part, the break, or at least the break, so the driver counters
come out right). Sorted by tau(s) these ranges are windows that slide as g grows, so a monotone
deque gives each minimum in amortised O(1).

A class is a bucket of driver counters (OptimizerSettings.driver_step_s): within it the label
with the better time wins even if its counters are up to one bucket worse. That is the search's
one approximation; with driver_step_s = 0 every label is processed on its own (exact).
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass
from itertools import pairwise

from voltroute.planner.dominance import undominated
from voltroute.planner.driver_rules import DriverRules, DriverState
from voltroute.planner.labels import EPS, Label
from voltroute.planner.problem import CandidateStation
from voltroute.planner.remaining import Remaining
from voltroute.planner.stop_options import (
    Arrival,
    StopContext,
    arrive,
    extra_sessions,
    session,
    station_stop,
)

DriverKey = tuple[int, int, bool, int, int, int]
BOUND_TOL_S = 1e-6


def driver_key(label: Label, step_s: float) -> DriverKey:
    """The class of a label's driver counters (and missed windows), bucketed by step_s."""
    d: DriverState = label.driver
    return (
        label.missed,
        d.extended_used,
        d.first_part_taken,
        math.ceil(d.since_break_s / step_s - 1e-9),
        math.ceil(d.today_s / step_s - 1e-9),
        math.floor(d.day_start_s / step_s + 1e-9),
    )


def station_options(
    ctx: StopContext,
    front: list[Label],
    station: CandidateStation,
    driver_step_s: float,
    useful_soc: float,
) -> list[Label]:
    """Every label's useful sessions at the station (best source per target and class); SoC
    above useful_soc back on the route is worth nothing (see dominance)."""
    if driver_step_s <= 0:
        # Exact mode: one label at a time.
        return [option for label in front for option in station_stop(ctx, label, station)]
    groups: dict[DriverKey, list[Arrival]] = {}
    out: list[Label] = []
    table = ctx.table(station.power_kw, station.connector)
    for label in front:
        arrival = arrive(ctx, label, station)
        if arrival is None:
            continue
        if (
            arrival.before  # a break falls on the detour
            or arrival.waiting_s > 0
            # The station closes before the longest session from here would end.
            or arrival.open_s < table.tau[-1] - table.tau_of(arrival.soc)
        ):
            out.extend(station_stop(ctx, label, station))
            continue
        groups.setdefault(driver_key(label, driver_step_s), []).append(arrival)
    for arrivals in groups.values():
        out.extend(_group_options(ctx, station, arrivals, useful_soc))
    return out


def _group_options(
    ctx: StopContext, station: CandidateStation, arrivals: list[Arrival], useful_soc: float
) -> list[Label]:
    problem = ctx.problem
    # A target from which the truck is back on the route with all the SoC worth having: a
    # higher one in the same range ends in the same driver class, later, and no better.
    enough = useful_soc + station.detour_from_kwh / problem.vehicle.battery_usable_kwh
    rules = problem.driver_rules
    table = ctx.table(station.power_kw, station.connector)
    overhead = problem.vehicle.plug_overhead_s
    out: list[Label] = []
    usable: list[tuple[float, Arrival]] = []
    for arrival in arrivals:
        for target, charge_s, hold in extra_sessions(ctx, station, arrival, table):
            found = session(ctx, station, arrival, target, charge_s, hold)
            if found is not None:
                out.append(found)
        tau = table.tau_of(arrival.soc)
        if math.isinf(tau):
            # No power at this SoC: the additive shortcut does not apply.
            for target, charge_s in table.grid_options(arrival.soc):
                if charge_s >= problem.min_charge_duration_s - EPS:
                    found = session(ctx, station, arrival, target, charge_s, charge_s + overhead)
                    if found is not None:
                        out.append(found)
            continue
        usable.append((tau, arrival))
    if not usable:
        return out
    usable.sort(key=lambda item: item[0])
    first = usable[0][1].driver.first_part_taken
    need = rules.split_second_s if first else rules.break_s
    # Session-length ranges [lo, hi) in pure charging time that give one outcome each.
    lo = max(problem.min_charge_duration_s, 1e-6)
    cuts = sorted(
        {lo, max(lo, need - overhead), math.inf}
        | (set() if first else {max(lo, rules.split_first_s - overhead)})
    )
    taus = [tau for tau, _ in usable]
    potentials = [a.t - tau for tau, a in usable]
    for range_lo, range_hi in pairwise(cuts):
        window: deque[int] = deque()
        left = right = 0
        for target, tau_target in zip(table.grid, table.tau, strict=True):
            # Sources with tau_target - range_hi < tau <= tau_target - range_lo.
            while right < len(taus) and taus[right] <= tau_target - range_lo + EPS:
                while window and potentials[window[-1]] >= potentials[right]:
                    window.pop()
                window.append(right)
                right += 1
            while left < right and taus[left] <= tau_target - range_hi:
                left += 1
            while window and window[0] < left:
                window.popleft()
            if not window:
                continue
            tau, arrival = usable[window[0]]
            charge_s = max(0.0, tau_target - tau)
            if target <= arrival.soc + EPS:
                continue
            found = session(ctx, station, arrival, target, charge_s, charge_s + overhead)
            if found is not None:
                out.append(found)
                if target >= enough - EPS:
                    break
    return out


@dataclass(frozen=True, slots=True)
class Bound:
    """A plan already found: its missed windows and its arrival (search seconds)."""

    missed: int
    arrival_s: float


def within_bound(
    labels: list[Label], bound: Bound, rules: DriverRules, ahead: Remaining
) -> list[Label]:
    """The labels that may still lead to a plan no worse than the bound's."""
    return [
        x
        for x in labels
        if x.missed < bound.missed
        or (
            x.missed == bound.missed
            and ahead.arrival_lower_bound_s(rules, x.driver, x.t, x.soc)
            <= bound.arrival_s + BOUND_TOL_S
        )
    ]


class Dropped:
    """What the label limit dropped, at best: the fewest missed windows and, with those, the
    earliest arrival lower bound. Nothing dropped: the search was exhaustive."""

    def __init__(self) -> None:
        self.missed = math.inf
        self.arrival_s = math.inf

    @property
    def anything(self) -> bool:
        """Whether the limit dropped any label."""
        return self.missed < math.inf

    def merge(self, missed: float, arrival_s: float) -> None:
        """Count dropped labels known by their fewest missed windows and earliest bound."""
        if missed < self.missed:
            self.missed, self.arrival_s = missed, arrival_s
        elif missed == self.missed:
            self.arrival_s = min(self.arrival_s, arrival_s)

    def note(self, label: Label, rules: DriverRules, ahead: Remaining) -> None:
        """Count a dropped label."""
        if label.missed > self.missed:
            return
        lower_s = ahead.arrival_lower_bound_s(rules, label.driver, label.t, label.soc)
        if label.missed < self.missed:
            self.missed, self.arrival_s = label.missed, lower_s
        else:
            self.arrival_s = min(self.arrival_s, lower_s)


def prune(
    labels: list[Label],
    driver_step_s: float,
    limit: int,
    rules: DriverRules,
    ahead: Remaining,
    useful_soc: float,
    soc_value_s: float,
    bound: Bound | None = None,
    dropped: Dropped | None = None,
) -> list[Label]:
    """The labels worth keeping at a route point.

    Labels that cannot beat the bound (a plan already found) go first; of the rest, the
    undominated ones (dominance.undominated). Past limit (> 0) the labels of least estimated
    tour time are kept: a heuristic, optimality is then not proven (see estimated_s); what it
    drops is counted in dropped.
    """
    if bound is not None:
        labels = within_bound(labels, bound, rules, ahead)
    kept = undominated(labels, rules, ahead, useful_soc, driver_step_s)
    if 0 < limit < len(kept):
        kept.sort(key=lambda x: estimated_s(x, rules, ahead, useful_soc, soc_value_s))
        # The fullest label stays too: the estimate must never cost the plan its feasibility.
        fullest = max(kept, key=lambda x: (min(x.soc, useful_soc), -x.t))
        cut = limit if any(x is fullest for x in kept[:limit]) else limit - 1
        if dropped is not None:
            for label in kept[cut:]:
                if label is not fullest:
                    dropped.note(label, rules, ahead)
        kept = kept[:cut] if cut == limit else [*kept[:cut], fullest]
    return kept


def estimated_s(
    label: Label, rules: DriverRules, ahead: Remaining, useful_soc: float, soc_value_s: float
) -> tuple[int, float]:
    """Missed windows, then time less what the label's SoC and driver freedom are worth: its
    SoC at soc_value_s per unit (the time to charge it), the break and rest it is spared."""
    d = label.driver
    worth = min(label.soc, useful_soc) * soc_value_s
    if ahead.needs_break(rules, d):
        worth += rules.break_s * (1.0 - d.since_break_s / rules.break_after_driving_s)
    else:
        worth += rules.break_s
    if ahead.needs_rest(rules, d, label.t):
        worth += rules.daily_rest_s * (1.0 - d.today_s / rules.extended_daily_driving_s)
    else:
        worth += rules.daily_rest_s
    return label.missed, label.t - worth
