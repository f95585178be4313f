"""What the rules read off a timeline: merged rests, daily rests, days and fixed weeks.

Fixed weeks run from Monday 00:00 to Sunday 24:00 UTC: the regulation names no time zone, and
UTC is the tachograph's own time base.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta

from voltroute.tachograph._units import TOLERANCE_S
from voltroute.tachograph.activities import Activity, ActivityKind, Timeline
from voltroute.tachograph.driver_state import DriverStartState
from voltroute.tachograph.rules import RuleOptions

REST_KINDS = frozenset({ActivityKind.BREAK, ActivityKind.DAILY_REST, ActivityKind.WEEKLY_REST})
WORK_KINDS = frozenset({ActivityKind.DRIVING, ActivityKind.OTHER_WORK})

Interval = tuple[datetime, datetime]


def seconds(start: datetime, end: datetime) -> float:
    """Seconds from start to end."""
    return (end - start).total_seconds()


def later(instant: datetime, seconds_: float) -> datetime:
    """The instant seconds_ after instant."""
    return instant + timedelta(seconds=seconds_)


def reaches(length_s: float, needed_s: float) -> bool:
    """Whether a rest or break of length_s is at least needed_s long."""
    return length_s >= needed_s - TOLERANCE_S


def exceeds(value_s: float, limit_s: float) -> bool:
    """Whether value_s is over limit_s."""
    return value_s > limit_s + TOLERANCE_S


@dataclass(frozen=True, slots=True)
class RestRun:
    """Consecutive break and rest activities merged: one rest on the tachograph's record."""

    start: datetime
    end: datetime
    first: int  # index of its first activity
    stop: int  # index after its last activity
    weekly: bool  # holds a WEEKLY_REST activity
    open_end: bool  # ends the timeline: it may go on after the record

    @property
    def length_s(self) -> float:
        """Length in seconds."""
        return seconds(self.start, self.end)


Piece = Activity | RestRun


@dataclass(frozen=True, slots=True)
class DailyRest:
    """A rest run long enough for a daily rest; split_first is the 3-h part before it, if any."""

    run: RestRun
    split_first: RestRun | None


@dataclass(frozen=True, slots=True)
class Day:
    """Activities [first, stop) between two daily rests; the first day carries the start state."""

    start: datetime
    first: int
    stop: int
    is_first: bool
    closed: bool  # ended by a daily rest (the last day may still go on)


@dataclass(frozen=True, slots=True)
class View:
    """A timeline with what every rule reads from it, computed once."""

    activities: tuple[Activity, ...]
    options: RuleOptions
    state: DriverStartState
    runs: tuple[RestRun, ...]
    pieces: tuple[Piece, ...]
    daily: tuple[DailyRest, ...]
    days: tuple[Day, ...]

    @property
    def start(self) -> datetime:
        """The timeline's start."""
        return self.activities[0].start

    @property
    def end(self) -> datetime:
        """The timeline's end."""
        return self.activities[-1].end

    @classmethod
    def of(cls, timeline: Timeline, options: RuleOptions, state: DriverStartState) -> View:
        """Read a non-empty timeline."""
        acts = timeline.activities
        runs = rest_runs(acts)
        daily = daily_rests(runs, options)
        days = split_days(acts, daily, acts[0].start)
        return cls(acts, options, state, runs, pieces(acts, runs), daily, days)

    def intervals(
        self, kinds: frozenset[ActivityKind], first: int = 0, stop: int | None = None
    ) -> list[Interval]:
        """The intervals of activities of these kinds among activities [first, stop)."""
        return [(a.start, a.end) for a in self.activities[first:stop] if a.kind in kinds]


def rest_runs(acts: Sequence[Activity]) -> tuple[RestRun, ...]:
    """Merge consecutive break and rest activities."""
    runs: list[RestRun] = []
    index = 0
    while index < len(acts):
        if acts[index].kind not in REST_KINDS:
            index += 1
            continue
        stop = index
        while stop < len(acts) and acts[stop].kind in REST_KINDS:
            stop += 1
        weekly = any(a.kind is ActivityKind.WEEKLY_REST for a in acts[index:stop])
        end = acts[stop - 1].end
        runs.append(RestRun(acts[index].start, end, index, stop, weekly, stop == len(acts)))
        index = stop
    return tuple(runs)


def pieces(acts: Sequence[Activity], runs: Sequence[RestRun]) -> tuple[Piece, ...]:
    """The timeline as its non-rest activities and merged rests, in order."""
    by_first = {run.first: run for run in runs}
    out: list[Piece] = []
    index = 0
    while index < len(acts):
        run = by_first.get(index)
        out.append(run if run is not None else acts[index])
        index = run.stop if run is not None else index + 1
    return tuple(out)


def daily_rests(runs: Sequence[RestRun], options: RuleOptions) -> tuple[DailyRest, ...]:
    """The rest runs that are daily rests, by length whatever their label, as on a tachograph.

    A team driver's daily rest is 9 h in one piece (art. 8(5) speaks of no split).
    """
    single = not options.team_driving
    needed_s = options.reduced_daily_rest_s if single else options.team_daily_rest_s
    found: list[DailyRest] = []
    first_part: RestRun | None = None
    for run in runs:
        if first_part is not None and reaches(run.length_s, options.split_rest_second_s):
            found.append(DailyRest(run, first_part))
            first_part = None
        elif reaches(run.length_s, needed_s):
            found.append(DailyRest(run, None))
            first_part = None
        elif single and first_part is None and reaches(run.length_s, options.split_rest_first_s):
            first_part = run
    return tuple(found)


def split_days(
    acts: Sequence[Activity], daily: Sequence[DailyRest], start: datetime
) -> tuple[Day, ...]:
    """The activities between daily rests; the first day starts at the timeline's start."""
    days: list[Day] = []
    first, day_start = 0, start
    for rest in daily:
        days.append(Day(day_start, first, rest.run.first, not days, closed=True))
        first, day_start = rest.run.stop, rest.run.end
    if first < len(acts):
        days.append(Day(day_start, first, len(acts), not days, closed=False))
    return tuple(days)


def total_s(intervals: Sequence[Interval]) -> float:
    """Summed length of intervals in seconds."""
    return sum(seconds(start, end) for start, end in intervals)


def instant_past(
    intervals: Sequence[Interval], used_s: float, allowance_s: float
) -> datetime | None:
    """When used_s plus the intervals first went over allowance_s, or None if never."""
    for start, end in intervals:
        length_s = seconds(start, end)
        if exceeds(used_s + length_s, allowance_s):
            return later(start, max(0.0, allowance_s - used_s))
        used_s += length_s
    return None


def week_of(instant: datetime) -> datetime:
    """Monday 00:00 UTC of the fixed week holding instant."""
    day = instant.astimezone(UTC).date()
    return datetime.combine(day - timedelta(days=day.weekday()), time(), tzinfo=UTC)


def by_week(intervals: Sequence[Interval]) -> dict[datetime, list[Interval]]:
    """The intervals cut at week boundaries, grouped by fixed week, in order."""
    weeks: dict[datetime, list[Interval]] = {}
    for start, end in intervals:
        cut = start
        while cut < end:
            week = week_of(cut)
            piece_end = min(end, week + timedelta(days=7))
            weeks.setdefault(week, []).append((cut, piece_end))
            cut = piece_end
    return weeks


def overruns(
    view: View,
    kinds: frozenset[ActivityKind],
    used_s: float,
    limit_s: float,
    ends_period: Callable[[RestRun], bool],
) -> list[tuple[datetime, float]]:
    """For each period (ended by a rest run that ends_period accepts) in which activities of
    these kinds went over limit_s: when they did, and how much there was in all."""
    found: list[tuple[datetime, float]] = []
    passed: datetime | None = None
    for piece in view.pieces:
        if isinstance(piece, RestRun):
            if ends_period(piece):
                if passed is not None:
                    found.append((passed, used_s))
                passed, used_s = None, 0.0
        elif piece.kind in kinds:
            if passed is None and exceeds(used_s + piece.duration_s, limit_s):
                passed = later(piece.start, max(0.0, limit_s - used_s))
            used_s += piece.duration_s
    if passed is not None:
        found.append((passed, used_s))
    return found


def is_weekly_rest(run: RestRun, options: RuleOptions) -> bool:
    """Whether a run labelled weekly is long enough for one (an open run may still become so)."""
    return run.weekly and (run.open_end or reaches(run.length_s, options.reduced_weekly_rest_s))
