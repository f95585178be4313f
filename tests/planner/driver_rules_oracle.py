"""Exhaustive oracle with the driver rules: charging stops, SoC targets, breaks and rests.

Written apart from the optimizer: it never calls the core's search. The judge of the driver
rules (Regulation 561/2006, Directive 2002/15/EC) is the independent roadside check
(voltroute.tachograph): the oracle enumerates the decisions of the model, simulates each choice
forward (energy edge by edge as tests/planner/oracle.py, times, windows as
planner.schedule.window_bounds reads them), builds the driver's activity timeline and keeps the
plans the check finds lawful; its answer is the lawful plan of fewest missed windows, then
earliest arrival (waiting for the destination's window included).

Decision space:

- which stations: every subset of up to `max_stations` usable stations, in route order;
- at a station: the SoC targets of the model (the grid, soc_max, the shortest session allowed)
  with the driver free for the charging time, or a stay as long as one of FREE_LENGTHS (free
  the whole stay, charging what it can up to soc_max); plugging in and out is work;
- at a customer stop: the waiting for its window, then a free block before the service as long
  as one of FREE_LENGTHS (the waiting in it), the service as work, then a free block after it
  (none, or one of FREE_LENGTHS); with the driver free during service (or no service), one free
  block of the waiting and the service, or one of FREE_LENGTHS if longer; at the destination
  only the block before the service (the arrival is what counts);
- by the road, inside a stretch between route points, at the instants where a limit runs out,
  read off the check itself: where driving on first infringes a rule (under the law, and once
  more with 9-hour days only, which marks a day's 9 hours of driving), and where a 9- or 11-hour
  rest must start at the latest (the deadline the check reports for a driver left standing,
  less the rest); several stops in one stretch, each of one of FREE_LENGTHS;
- before a station's detour, there or back (a detour is not split): a stop of one of
  FREE_LENGTHS, where a limit runs out on the detour.

FREE_LENGTHS are the lengths the law names: 15 and 30 min (the parts of a split break and of
the working-time breaks), 45 min, 3 h (a split rest's first part), 9 h (a reduced rest, or a
split rest's second part) and 11 h. Free time is labelled a break (a daily rest from 9 h on);
the check reads rests by their length, as a tachograph does. Waiting is free time.

A plan is lawful when the check finds nothing in its timeline, and nothing either once a daily
rest follows the tour: the check does not judge a working day still going on at the end of the
record, and the tour must not leave the driver a day whose breaks fall short or a daily rest
that can no longer be taken in time (the optimizer's plans are held to the same).

Smaller than the core's model: no dwell charging at customer stops, no opening hours at
stations, no weekly rest, no stop for the end of a week's driving, no team driving, and roadside
stops only at the instants above. Larger than it: the check's reading of the law decides (a
15-minute block interrupts six hours of work wherever the check lets it; the core resets its
working-time counter only with a full break), any of FREE_LENGTHS may be taken at any place
above (the core stretches a stop into a rest only while the rest of the tour needs one, and by
the road stops for a break where a break falls due, for a rest where the day's driving or its
rest window runs out), and a 3-hour first part of a split rest may be taken by the road.

Search: depth first over the decisions, with branch and bound (no completion can arrive before
the fixed driving and service ahead, the waits for the windows ahead, and the longer of the
charging still needed at the fastest station ahead and the free time the rules still demand,
as the oracle's own simple reading of the counters has it) and with plans that reach a route
point alike merged (same time, SoC, missed windows, the current day's activities, and of the
days before it how many rests were reduced, how many days drove over 9 h). While searching it
runs the check without its weekly rules (no tour here comes near them, and they cost a third of
its time); a plan it returns has passed the whole check.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from itertools import combinations
from zoneinfo import ZoneInfo

from voltroute.planner import CandidateStation, PlanningProblem
from voltroute.planner.schedule import window_bounds
from voltroute.tachograph import (
    Activity,
    ActivityKind,
    Infringement,
    RuleOptions,
    Timeline,
    check_timeline,
)

# The check's own rule list and reading of a timeline: the oracle runs all but the weekly rules
# while it searches (see infringements).
from voltroute.tachograph import check as roadside
from voltroute.tachograph._periods import View
from voltroute.vehicles import charge_time_s, soc_after_charging_s

from .oracle import energy_to, time_to

MAX_STATIONS = 2
# Seconds: a standing driver, left so for longer than any daily rest window, meets the deadline of
# the daily rest in the check's report.
STANDING_PROBE_S = 31 * 3600.0
CLOSING_REST_S = 11 * 3600.0
EPS_S = 1e-6

WEEKLY_RULES = frozenset({"check_weekly_driving", "check_fortnight_driving", "check_weekly_rest"})
DAILY_RULES = tuple(rule for rule in roadside.RULES if rule.__name__ not in WEEKLY_RULES)
assert len(DAILY_RULES) == len(roadside.RULES) - len(WEEKLY_RULES), "the check's rules changed"

DRIVING = ActivityKind.DRIVING
WORK = ActivityKind.OTHER_WORK
FREE = ActivityKind.BREAK
FREE_KINDS = frozenset({ActivityKind.BREAK, ActivityKind.DAILY_REST})
TOLERANCE_S = 1.0  # as the check's: a limit is passed only by more than this


def free_lengths(law: RuleOptions) -> tuple[float, ...]:
    """The free blocks the oracle tries: the breaks and rests the law names, shortest first."""
    lengths = {
        law.split_first_s,
        law.split_second_s,
        law.work_break_6_9_s,
        law.break_s,
        law.split_rest_first_s,
        law.reduced_daily_rest_s,
        law.split_rest_second_s,
        law.daily_rest_s,
    }
    return tuple(sorted(lengths))


class OracleBudgetError(Exception):
    """The search hit its budget of checks: best is the best plan found so far (None: none)."""

    def __init__(self, best: Schedule | None) -> None:
        super().__init__("the oracle gave up")
        self.best = best


@dataclass(frozen=True, slots=True)
class Block:
    """One activity of the oracle's schedule, in seconds from the earliest drive-off."""

    kind: ActivityKind
    start_s: float
    end_s: float
    place: str

    def __str__(self) -> str:
        return f"{self.start_s / 3600:7.3f}-{self.end_s / 3600:7.3f} h {self.kind:<12} {self.place}"


@dataclass(frozen=True, slots=True)
class Schedule:
    """The oracle's best plan: missed windows, the arrival (search seconds from the earliest
    drive-off, waiting for the destination's window included) and what the driver does."""

    missed: int
    end_s: float
    blocks: tuple[Block, ...]
    charging: tuple[tuple[str, float, float], ...]  # station id, SoC target, charge seconds

    def describe(self) -> str:
        lines = [f"missed {self.missed}, arrival {self.end_s:.1f} s ({self.end_s / 3600:.3f} h)"]
        lines += [f"  charge at {sid} to {soc:.3f} ({s:.0f} s)" for sid, soc, s in self.charging]
        lines += [f"  {b}" for b in self.blocks]
        return "\n".join(lines)


# --- the route of one choice of stations --------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Drive:
    """Road along a leg between two distances (splittable by roadside stops)."""

    leg: int
    from_m: float
    to_m: float


@dataclass(frozen=True, slots=True)
class _Detour:
    """To or from a station: stops only at its start."""

    station: CandidateStation
    there: bool


@dataclass(frozen=True, slots=True)
class _Charge:
    station: CandidateStation


@dataclass(frozen=True, slots=True)
class _Customer:
    leg: int
    last: bool


_Task = _Drive | _Detour | _Charge | _Customer


def _tasks(problem: PlanningProblem, chosen: Sequence[CandidateStation]) -> list[_Task]:
    tasks: list[_Task] = []
    last = len(problem.legs) - 1
    for leg_index, leg in enumerate(problem.legs):
        at_m = 0.0
        for station in (s for s in chosen if s.leg_index == leg_index):
            d = min(station.distance_along_leg_m, leg.route.length_m)
            tasks.append(_Drive(leg_index, at_m, d))
            tasks += [_Detour(station, True), _Charge(station), _Detour(station, False)]
            at_m = d
        tasks.append(_Drive(leg_index, at_m, leg.route.length_m))
        tasks.append(_Customer(leg_index, leg_index == last))
    return tasks


def _fixed_s(problem: PlanningProblem, task: _Task) -> float:
    """Time a task takes whatever is decided (a lower bound for what is left)."""
    if isinstance(task, _Drive):
        return time_to(problem, task.leg, task.to_m) - time_to(problem, task.leg, task.from_m)
    if isinstance(task, _Detour):
        return task.station.detour_to_s if task.there else task.station.detour_from_s
    if isinstance(task, _Charge):
        return problem.vehicle.plug_overhead_s
    return 0.0 if task.last else problem.legs[task.leg].service_time_s


@dataclass
class _Counters:
    """The driver's counters as the bound reads them (seconds; day_start_s on the oracle's
    clock)."""

    since_s: float  # driving since the last break
    first: bool  # a break's 15-minute first part taken
    today_s: float  # driving since the last daily rest
    work_since_s: float  # working time since a break of 15 min or more
    day_start_s: float  # the end of the last daily rest
    long_days: int  # days of more than 9 h of driving this week (10-hour days)

    def rested(self, law: RuleOptions, run_s: float, end_s: float) -> None:
        """A run of free time of run_s seconds ended at end_s."""
        if run_s <= 0:
            return
        if run_s >= law.work_break_part_s - TOLERANCE_S:
            self.work_since_s = 0.0
        if run_s >= min(law.reduced_daily_rest_s, law.split_rest_second_s) - TOLERANCE_S:
            self.long_days += self.today_s > law.daily_driving_s + TOLERANCE_S
            self.since_s, self.first, self.today_s, self.day_start_s = 0.0, False, 0.0, end_s
        elif run_s >= law.break_s - TOLERANCE_S or (
            self.first and run_s >= law.split_second_s - TOLERANCE_S
        ):
            self.since_s, self.first = 0.0, False
        elif run_s >= law.split_first_s - TOLERANCE_S:
            self.first = True


def _energy_kwh(problem: PlanningProblem, task: _Task) -> float:
    """Energy a task takes from the battery."""
    if isinstance(task, _Drive):
        return energy_to(problem, task.leg, task.to_m) - energy_to(problem, task.leg, task.from_m)
    if isinstance(task, _Detour):
        return task.station.detour_to_kwh if task.there else task.station.detour_from_kwh
    return 0.0


def _fastest_kw(problem: PlanningProblem, station: CandidateStation) -> float:
    """The most power the battery takes at a station, at any SoC."""
    vehicle = problem.vehicle
    curve_kw = max(kw for _, kw in vehicle.charging_curve.points)
    return min(station.power_kw, vehicle.inlet_max_kw(station.connector), curve_kw)


# --- the search ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _State:
    t: float
    soc: float
    missed: int
    blocks: tuple[Block, ...]
    charging: tuple[tuple[str, float, float], ...] = ()


class _Search:
    """One oracle run: the best plan so far, and what every choice of stations shares."""

    def __init__(
        self,
        problem: PlanningProblem,
        step: float,
        better_than: tuple[int, float] | None = None,
        any_plan: bool = False,
        max_checks: int | None = None,
    ) -> None:
        self.problem, self.step = problem, step
        self.better_than, self.any_plan, self.max_checks = better_than, any_plan, max_checks
        self.best: Schedule | None = None
        self.checks = self.nodes = 0
        self.law, self.start = problem.driver_rules.law, problem.driver_rules.start
        self.lengths = free_lengths(self.law)
        self.rest_lengths = tuple(x for x in self.lengths if x >= self.law.reduced_daily_rest_s)
        # The oracle's clock: seconds from the earliest drive-off.
        self.zero = problem.earliest_departure + timedelta(seconds=problem.departure_service_s)
        self.origin: Activity | None = None  # the work at the origin before driving off
        if self.zero > problem.earliest_departure:
            self.origin = Activity(WORK, problem.earliest_departure, self.zero, "origin")
        # The end of the driver's last daily rest before the tour (the tour's start if none).
        self.day_start_s = self.seconds(
            self.start.last_daily_rest_end or problem.earliest_departure
        )
        utc = problem.earliest_departure.astimezone(UTC)
        monday = datetime(utc.year, utc.month, utc.day, tzinfo=UTC) - timedelta(days=utc.weekday())
        self.week_end_s = self.seconds(monday + timedelta(days=7))  # of the tour's first week
        self.nine_hour_days: RuleOptions | None = None
        try:
            self.nine_hour_days = replace(
                self.law, extended_daily_driving_s=self.law.daily_driving_s
            )
            self.start.validate(self.nine_hour_days)
        except ValueError:
            # The driver already drove more than 9 h today: the 9-hour mark has passed.
            self.nine_hour_days = None
        # Each block's activity, made once (the check reads datetimes); None: too short to record.
        self.made: dict[Block, Activity | None] = {}
        # Per choice of stations (run): its tasks, and from task i on the time every choice
        # takes, its driving, its working time, its energy, the fastest station ahead.
        self.tasks: list[_Task] = []
        self.after_s: list[float] = []
        self.drive_after_s: list[float] = []
        self.work_after_s: list[float] = []
        self.kwh_after: list[float] = []
        self.fastest_after_kw: list[float] = []
        self.seen: set[tuple[object, ...]] = set()

    # The check, on blocks ------------------------------------------------------------------

    def _activities(self, blocks: Sequence[Block]) -> list[Activity]:
        out = [] if self.origin is None else [self.origin]
        for b in blocks:
            activity = self.made.get(b)
            if activity is None:
                begin = self.zero + timedelta(seconds=b.start_s)
                end = self.zero + timedelta(seconds=b.end_s)
                activity = self.made[b] = (
                    Activity(b.kind, begin, end, b.place) if end > begin else None
                )
            if activity is not None:
                out.append(activity)
        return out

    def infringements(
        self, blocks: Sequence[Block], options: RuleOptions | None = None, *, every: bool = False
    ) -> list[Infringement]:
        """What the check finds in the blocks: every rule, or (to prune and to find where limits
        run out) all but the weekly ones, which no tour here comes near and which cost the
        check a third of its time."""
        self.checks += 1
        if self.max_checks is not None and self.checks > self.max_checks:
            raise OracleBudgetError(self.best)
        acts = self._activities(blocks)
        if not acts:
            return []
        if every:
            return check_timeline(acts, options or self.law, self.start)
        view = View.of(Timeline(tuple(acts)), options or self.law, self.start)
        return [found for rule in DAILY_RULES for found in rule(view)]

    def seconds(self, at: datetime) -> float:
        return (at - self.zero).total_seconds()

    def lawful(self, blocks: Sequence[Block]) -> bool:
        return not self.infringements(blocks)

    def lawful_to_the_end(self, blocks: tuple[Block, ...]) -> bool:
        """Lawful, and still so once a daily rest follows the tour."""
        if self.infringements(blocks, every=True):
            return False
        end = blocks[-1].end_s if blocks else 0.0
        rest = Block(ActivityKind.DAILY_REST, end, end + CLOSING_REST_S, "after the tour")
        return not self.infringements((*blocks, rest), every=True)

    # Bounds ----------------------------------------------------------------------------------

    def hopeless(self, missed: int, lower_s: float) -> bool:
        """Whether no completion can beat the best plan so far (or the bound given)."""
        if self.any_plan and self.best is not None:
            return True
        for bound in (self.better_than, None if self.best is None else self.best_key()):
            if bound is None:
                continue
            if missed > bound[0] or (missed == bound[0] and lower_s >= bound[1] - EPS_S):
                return True
        return False

    def cannot_beat(
        self,
        s: _State,
        i: int,
        left_s: float = 0.0,
        soc: float | None = None,
    ) -> bool:
        """Whether no completion of s from task i (left_s of driving still before it, with soc
        left then) can beat the best plan. At least: the time every choice takes, the waits
        for the windows ahead (missing one counts as worse than any arrival), and the free time
        the rules still demand or the charging still needed (charging is free time too)."""
        missed, t, blocks = s.missed, s.t, s.blocks
        soc = s.soc if soc is None else soc
        arrival_s = t + left_s + self.after_s[i]
        # Arriving at the last stop, and being let in there.
        at_last_s = max(arrival_s, self.through_windows_s(t + left_s, i))
        if self.hopeless(missed, self.let_in_last_s(at_last_s)):
            return True
        usable = self.problem.vehicle.battery_usable_kwh
        short_kwh = self.kwh_after[i] - (soc - self.problem.min_soc_end) * usable
        charge_s = 0.0
        if short_kwh > 1e-9:
            if self.fastest_after_kw[i] <= 0:
                return True  # no station ahead, and not enough energy
            charge_s = short_kwh / self.fastest_after_kw[i] * 3600.0
        free_s = 0.0
        if not blocks or blocks[-1].kind not in FREE_KINDS or self.closes_free(i, left_s):
            driving_s = left_s + self.drive_after_s[i]
            free_s = self.free_needed_s(
                arrival_s, blocks, driving_s, driving_s + self.work_after_s[i]
            )
        extra_s = max(charge_s, free_s)
        return extra_s > 0 and self.hopeless(
            missed, self.let_in_last_s(max(at_last_s, arrival_s + extra_s))
        )

    def closes_free(self, i: int, left_s: float) -> bool:
        """Whether driving comes next (which closes a free block; anything else may still
        lengthen it)."""
        task = self.tasks[i]
        return left_s > EPS_S or (isinstance(task, _Drive) and _fixed_s(self.problem, task) > EPS_S)

    def through_windows_s(self, t: float, i: int) -> float:
        """The earliest arrival at the last stop, from task i at t, that meets every window on
        the way (the last stop's not yet)."""
        for task in self.tasks[i:]:
            if isinstance(task, _Customer):
                if task.last:
                    return t
                if self.problem.legs[task.leg].window is not None:
                    t = self.let_in_s(task.leg, t)
            t += _fixed_s(self.problem, task)
        return t

    def let_in_last_s(self, t: float) -> float:
        last = len(self.problem.legs) - 1
        return t if self.problem.legs[last].window is None else self.let_in_s(last, t)

    def let_in_s(self, leg_index: int, t: float) -> float:
        """When a truck arriving at t is let in by the first of the stop's windows that has not
        closed yet."""
        leg = self.problem.legs[leg_index]
        assert leg.window is not None
        zone = ZoneInfo(leg.stop_time_zone)
        at = self.zero + timedelta(seconds=t)
        day = at.astimezone(zone).date()
        for offset in range(-1, 3):
            opens = datetime.combine(day + timedelta(days=offset), leg.window.opens, tzinfo=zone)
            closes = datetime.combine(day + timedelta(days=offset), leg.window.closes, tzinfo=zone)
            if closes <= opens:
                closes += timedelta(days=1)
            if at <= closes:
                return max(t, self.seconds(opens))
        return t

    def signature(self, blocks: tuple[Block, ...]) -> tuple[object, ...]:
        """What the check's verdict on any continuation depends on: of the days closed by a
        daily rest, how many rests were reduced, how many days drove over 9 h and whether a rest
        came too late; the current day in full (a free block at the end may still grow)."""
        law = self.law
        merged: list[tuple[bool, str, float]] = []  # (free, kind, length)
        for b in blocks:
            free = b.kind in FREE_KINDS
            length_s = b.end_s - b.start_s
            if length_s <= EPS_S:
                continue
            if merged and merged[-1][1] == ("free" if free else b.kind):
                merged[-1] = (free, merged[-1][1], merged[-1][2] + length_s)
            else:
                merged.append((free, "free" if free else b.kind, length_s))
        reduced = long_days = late = 0
        rest_end_s = self.day_start_s
        at_s = 0.0
        driving_s = self.start.driving_today_s  # the first day began before the tour
        split = False
        current: list[tuple[str, float]] = []
        for index, (free, kind, length_s) in enumerate(merged):
            closed = index < len(merged) - 1
            if free and closed and length_s >= self.rest_lengths[0] - TOLERANCE_S:
                within_s = min(at_s + length_s, rest_end_s + law.rest_window_s) - at_s
                if within_s < self.rest_lengths[0] - TOLERANCE_S:
                    late += 1
                elif not split and within_s < law.daily_rest_s - TOLERANCE_S:
                    reduced += 1
                long_days += driving_s > law.daily_driving_s + TOLERANCE_S
                rest_end_s = at_s + length_s
                driving_s, split, current = 0.0, False, []
            else:
                if free and closed and length_s >= law.split_rest_first_s - TOLERANCE_S:
                    split = True
                if kind == DRIVING:
                    driving_s += length_s
                current.append((str(kind), round(length_s, 3)))
            at_s += length_s
        return (reduced, long_days, late, tuple(current))

    def free_needed_s(
        self, arrival_s: float, blocks: tuple[Block, ...], driving_s: float, work_s: float
    ) -> float:
        """Free time the driver must still take before arriving, at least: a break when the
        driving since the last one goes over 4.5 h, a 15-minute one when the work goes over
        6 h, a 9-hour rest when the day's driving goes over 10 h (9 h when the week's 10-hour
        days are used up) or the arrival comes too late for a rest after it. The blocks' last
        free block counts as ended. (The oracle's own reading, for the bound only: the check
        judges.)"""
        law, start = self.law, self.start
        c = _Counters(
            since_s=start.driving_since_break_s,
            first=start.first_break_part_taken,
            today_s=start.driving_today_s,
            work_since_s=start.work_since_break_s + self.problem.departure_service_s,
            day_start_s=self.day_start_s,
            long_days=start.extended_days_used,
        )
        run_s = 0.0
        for b in blocks:
            length_s = b.end_s - b.start_s
            if b.kind in FREE_KINDS:
                run_s += length_s
                continue
            c.rested(law, run_s, b.start_s)
            run_s = 0.0
            if b.kind == DRIVING:
                c.since_s += length_s
                c.today_s += length_s
            c.work_since_s += length_s
        if blocks:
            c.rested(law, run_s, blocks[-1].end_s)
        rest_s = min(law.reduced_daily_rest_s, law.split_rest_second_s)
        latest_s = c.day_start_s + law.rest_window_s - rest_s
        day_limit_s = law.extended_daily_driving_s
        if (
            c.long_days >= law.extended_days_per_week
            and c.today_s <= law.daily_driving_s + TOLERANCE_S
            and arrival_s < self.week_end_s
        ):
            day_limit_s = law.daily_driving_s  # the week's 10-hour days are used up
        if c.today_s + driving_s > day_limit_s + TOLERANCE_S or arrival_s > latest_s + TOLERANCE_S:
            return rest_s
        needed_s = 0.0
        if c.since_s + driving_s > law.break_after_driving_s + TOLERANCE_S:
            needed_s = law.split_second_s if c.first else law.break_s
        if law.working_time and c.work_since_s + work_s > law.work_before_break_s + TOLERANCE_S:
            needed_s = max(needed_s, law.work_break_part_s)
        return needed_s

    def best_key(self) -> tuple[int, float]:
        assert self.best is not None
        return (self.best.missed, self.best.end_s)

    # The walk --------------------------------------------------------------------------------

    def run(self, chosen: Sequence[CandidateStation]) -> None:
        problem = self.problem
        self.tasks = _tasks(problem, chosen)
        self.seen = set()
        n = len(self.tasks)
        self.after_s, self.drive_after_s, self.work_after_s = (
            [0.0] * (n + 1),
            [0.0] * (n + 1),
            [0.0] * (n + 1),
        )
        self.kwh_after, self.fastest_after_kw = [0.0] * (n + 1), [0.0] * (n + 1)
        for i in range(n - 1, -1, -1):
            task, fixed_s = self.tasks[i], _fixed_s(problem, self.tasks[i])
            driving = isinstance(task, _Drive | _Detour)
            working = isinstance(task, _Charge) or (
                isinstance(task, _Customer)
                and not task.last
                and not problem.legs[task.leg].driver_free_during_service
            )
            self.after_s[i] = self.after_s[i + 1] + fixed_s
            self.drive_after_s[i] = self.drive_after_s[i + 1] + (fixed_s if driving else 0.0)
            self.work_after_s[i] = self.work_after_s[i + 1] + (fixed_s if working else 0.0)
            self.kwh_after[i] = self.kwh_after[i + 1] + _energy_kwh(problem, task)
            self.fastest_after_kw[i] = max(
                self.fastest_after_kw[i + 1],
                _fastest_kw(problem, task.station) if isinstance(task, _Charge) else 0.0,
            )
        self.go(0, _State(0.0, problem.soc_start, 0, ()))

    def go(self, i: int, s: _State) -> None:
        self.nodes += 1
        if self.cannot_beat(s, i):
            return
        # Plans that reach a task alike (time, SoC, windows missed, the driver's days) go on
        # alike: the first one stands for all.
        key = ("task", i, round(s.t, 3), round(s.soc, 9), s.missed, self.signature(s.blocks))
        if key in self.seen:
            return
        self.seen.add(key)
        task = self.tasks[i]
        if isinstance(task, _Drive):
            self.drive(i, task, s)
        elif isinstance(task, _Detour):
            self.detour(i, task, s)
        elif isinstance(task, _Charge):
            self.charge(i, task, s)
        else:
            self.customer(i, task, s)

    def free(self, start_s: float, length_s: float, place: str) -> Block:
        kind = ActivityKind.DAILY_REST if length_s >= self.law.reduced_daily_rest_s else FREE
        return Block(kind, start_s, start_s + length_s, place)

    def drive(self, i: int, task: _Drive, s: _State) -> None:
        problem = self.problem
        usable = problem.vehicle.battery_usable_kwh
        used_kwh = energy_to(problem, task.leg, task.to_m) - energy_to(
            problem, task.leg, task.from_m
        )
        soc = s.soc - used_kwh / usable
        if soc < problem.soc_reserve - 1e-9:
            return
        place = f"leg {task.leg} {task.from_m / 1000:.1f}-{task.to_m / 1000:.1f} km"
        self.stretch(i, s, _fixed_s(problem, task), soc, place)

    def stretch(self, i: int, s: _State, left_s: float, soc_end: float, place: str) -> None:
        """Drive left_s seconds of a stretch, with roadside stops where a limit runs out."""
        if left_s <= EPS_S:
            self.go(i + 1, replace(s, soc=soc_end))
            return
        key = (
            "stretch",
            i,
            round(left_s, 3),
            round(soc_end, 9),
            round(s.t, 3),
            s.missed,
            self.signature(s.blocks),
        )
        if key in self.seen:
            return
        self.seen.add(key)
        end = s.t + left_s
        driven = (*s.blocks, Block(DRIVING, s.t, end, place))
        lawful, first_s, instants = self.limits(driven)
        if lawful:
            self.go(i + 1, replace(s, t=end, soc=soc_end, blocks=driven))
        if self.hopeless(s.missed, end + self.lengths[0] + self.after_s[i + 1]):
            return  # no stop can be afforded
        # A stop right after a stop would only lengthen it (the free blocks merge).
        just_stopped = bool(s.blocks) and s.blocks[-1].kind in FREE_KINDS
        earliest_s = s.t + EPS_S if just_stopped else s.t - EPS_S
        for x in sorted(instants):
            # Beyond the first infringement the driving up to x is already unlawful.
            if not earliest_s <= x < end - EPS_S or x > first_s + EPS_S:
                continue
            x = max(x, s.t)
            for length_s in self.lengths:
                blocks = (*s.blocks, Block(DRIVING, s.t, x, place), self.free(x, length_s, place))
                after = replace(s, t=x + length_s, blocks=blocks)
                if self.hopeless(s.missed, after.t + (end - x) + self.after_s[i + 1]):
                    break
                if self.cannot_beat(after, i + 1, end - x, soc_end):
                    continue
                self.stretch(i, after, end - x, soc_end, place)

    def limits(self, driven: tuple[Block, ...]) -> tuple[bool, float, set[float]]:
        """Whether driving the last block is lawful, when the first infringement happens (inf:
        none), and the instants where a limit runs out: where driving on infringes (under the
        law, and with 9-hour days only), and where a 9- or 11-hour rest must start at the latest
        (the daily rest's deadline the check reports when the driver is left standing)."""
        found = self.infringements(driven)
        first_s = min((self.seconds(f.at) for f in found), default=math.inf)
        instants = {self.seconds(f.at) for f in found}
        end = driven[-1].end_s
        standing = (*driven, Block(ActivityKind.AVAILABILITY, end, end + STANDING_PROBE_S, ""))
        for f in self.infringements(standing, self.nine_hour_days or self.law):
            at_s = self.seconds(f.at)
            if f.rule == "daily_rest":
                instants |= {at_s - rest_s for rest_s in self.rest_lengths}
            else:
                instants.add(at_s)
        return not found, first_s, instants

    def detour(self, i: int, task: _Detour, s: _State) -> None:
        station, usable = task.station, self.problem.vehicle.battery_usable_kwh
        kwh = station.detour_to_kwh if task.there else station.detour_from_kwh
        soc = s.soc - kwh / usable
        if soc < self.problem.soc_reserve - 1e-9:
            return
        length_s = _fixed_s(self.problem, task)
        place = f"{'to' if task.there else 'from'} {station.station_id}"
        driven = (*s.blocks, Block(DRIVING, s.t, s.t + length_s, place))
        lawful, _, instants = self.limits(driven)
        if lawful:
            self.go(i + 1, replace(s, t=s.t + length_s, soc=soc, blocks=driven))
        if lawful and not any(s.t - EPS_S <= x < s.t + length_s for x in instants):
            return  # no limit runs out on the way: a stop before it would only be longer
        for stop_s in self.lengths:
            t = s.t + stop_s
            if self.hopeless(s.missed, t + self.after_s[i]):
                break
            blocks = (
                *s.blocks,
                self.free(s.t, stop_s, f"before the detour {place}"),
                Block(DRIVING, t, t + length_s, place),
            )
            if self.lawful(blocks):
                self.go(i + 1, replace(s, t=t + length_s, soc=soc, blocks=blocks))

    def session_options(self, station: CandidateStation, soc: float) -> list[tuple[float, float]]:
        """(SoC target, free seconds while plugged in) of the model at a station."""
        problem, vehicle = self.problem, self.problem.vehicle
        min_s = problem.min_charge_duration_s

        def time_s(target: float) -> float:
            return charge_time_s(vehicle, soc, target, station.power_kw, station.connector)

        def reached(seconds: float) -> float:
            after = soc_after_charging_s(vehicle, soc, seconds, station.power_kw, station.connector)
            return min(problem.soc_max, after)

        out: set[tuple[float, float]] = set()
        grid = [k * self.step for k in range(1, round(1 / self.step) + 1)]
        for target in (*[g for g in grid if g < problem.soc_max], problem.soc_max):
            if target > soc + 1e-9:
                c = time_s(target)
                if c >= min_s - 1e-6 and math.isfinite(c):
                    out.add((target, c))
        for stay_s in (min_s, *self.lengths):
            if stay_s <= 0:
                continue
            target = reached(stay_s)
            if target > soc + 1e-9:
                c = time_s(target)
                if c >= min_s - 1e-6:
                    out.add((target, max(stay_s, c)))
        return sorted(out, key=lambda o: (o[1], -o[0]))

    def charge(self, i: int, task: _Charge, s: _State) -> None:
        station, vehicle = task.station, self.problem.vehicle
        plug_s = vehicle.plug_overhead_s / 2
        back_soc = station.detour_from_kwh / vehicle.battery_usable_kwh
        for target, free_s in self.session_options(station, s.soc):
            if target - back_soc < self.problem.soc_reserve - 1e-9:
                continue
            t = s.t
            blocks = (
                *s.blocks,
                Block(WORK, t, t + plug_s, f"plug in at {station.station_id}"),
                self.free(t + plug_s, free_s, f"charging at {station.station_id}"),
                Block(WORK, t + plug_s + free_s, t + 2 * plug_s + free_s, "unplug"),
            )
            end = t + 2 * plug_s + free_s
            if self.hopeless(s.missed, end + self.after_s[i + 1]):
                continue
            c = charge_time_s(vehicle, s.soc, target, station.power_kw, station.connector)
            if not self.lawful(blocks):
                continue
            charging = (*s.charging, (station.station_id, target, c))
            self.go(i + 1, _State(end, target, s.missed, blocks, charging))

    def customer(self, i: int, task: _Customer, s: _State) -> None:
        problem = self.problem
        leg = problem.legs[task.leg]
        if s.soc < (problem.min_soc_end if task.last else problem.soc_reserve) - 1e-9:
            return
        waiting_s, missed = 0.0, s.missed
        if leg.window is not None:
            at = self.zero + timedelta(seconds=s.t)
            opens, closes = window_bounds(leg.window, at, leg.stop_time_zone)
            waiting_s = max(0.0, (opens - at).total_seconds())
            missed += at > closes
        place = f"stop {task.leg}"
        service_s = leg.service_time_s
        if task.last:
            self.destination(s, missed, waiting_s, service_s, place, leg.driver_free_during_service)
            return
        afters = (0.0, *self.lengths)
        if leg.driver_free_during_service or service_s <= 0:
            # One free block: the waiting and the service (free, or none), stretched.
            base = waiting_s + service_s
            for total in sorted({base, *(x for x in self.lengths if x > base)}):
                blocks = (*s.blocks, self.free(s.t, total, place)) if total > 0 else s.blocks
                self.go(i + 1, _State(s.t + total, s.soc, missed, blocks, s.charging))
            return
        befores = sorted({waiting_s, *(x for x in self.lengths if x > waiting_s)})
        for before_s in befores:
            served_at = s.t + before_s
            blocks = s.blocks
            if before_s > 0:
                blocks = (*blocks, self.free(s.t, before_s, f"{place} before service"))
            blocks = (*blocks, Block(WORK, served_at, served_at + service_s, f"{place} service"))
            if self.hopeless(missed, served_at + self.after_s[i]):
                break
            if not self.lawful(blocks):
                continue
            done = served_at + service_s
            for after_s in afters:
                stayed = blocks
                if after_s > 0:
                    stayed = (*blocks, self.free(done, after_s, f"{place} after service"))
                if self.hopeless(missed, done + after_s + self.after_s[i + 1]):
                    break
                self.go(i + 1, _State(done + after_s, s.soc, missed, stayed, s.charging))

    def destination(
        self,
        s: _State,
        missed: int,
        waiting_s: float,
        service_s: float,
        place: str,
        driver_free: bool,
    ) -> None:
        end_s = s.t + waiting_s  # the objective: the arrival, counted from the window's opening
        if self.hopeless(missed, end_s):
            return
        if driver_free:
            options = [waiting_s + service_s]
        else:
            options = sorted({waiting_s, *(x for x in self.lengths if x > waiting_s)})
        for before_s in options:
            blocks = s.blocks
            if before_s > 0:
                blocks = (*blocks, self.free(s.t, before_s, f"{place} before service"))
            served_at = s.t + before_s
            if service_s > 0 and not driver_free:
                blocks = (
                    *blocks,
                    Block(WORK, served_at, served_at + service_s, f"{place} service"),
                )
            if self.lawful_to_the_end(blocks):
                self.best = Schedule(missed, end_s, blocks, s.charging)
                return


def usable_stations(problem: PlanningProblem) -> list[CandidateStation]:
    return [
        s
        for s in problem.stations
        if s.power_kw > 0 and problem.vehicle.inlet_max_kw(s.connector) > 0
    ]


def oracle_best(
    problem: PlanningProblem,
    step: float,
    *,
    max_stations: int = MAX_STATIONS,
    better_than: tuple[int, float] | None = None,
    any_plan: bool = False,
    max_checks: int | None = None,
    on_search: Callable[[int, int], None] | None = None,
) -> Schedule | None:
    """The lawful plan of fewest missed windows, then earliest arrival, over every subset of up
    to max_stations stations; None if there is none.

    better_than (missed windows, arrival seconds): only plans strictly better than that count
    (the best of them is returned; None: none is). any_plan: the first lawful plan found will
    do. max_checks: after that many roadside checks, raise OracleBudgetError (with the best
    plan so far). on_search gets the nodes visited and the checks made."""
    usable = sorted(
        usable_stations(problem),
        key=lambda s: (s.leg_index, s.distance_along_leg_m, s.station_id),
    )
    search = _Search(problem, step, better_than, any_plan, max_checks)
    try:
        for size in range(max_stations + 1):
            for subset in combinations(usable, size):
                search.run(subset)
    finally:
        if on_search is not None:
            on_search(search.nodes, search.checks)
    return search.best
