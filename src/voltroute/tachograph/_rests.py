"""Rest rules of 561/2006 art. 8: daily (8(2), team 8(5)), reduced (8(4)), weekly rest (8(6)).

A daily rest must reach its length within its window (24 h, team 30 h, from the end of the
previous daily or weekly rest); of a rest running past the window only the part within counts,
and 9 to 11 h there make it reduced. A window still open at the timeline's end is no
infringement. Compensation of reduced weekly rests and the two-week pattern of regular and
reduced weekly rests (8(6) first paragraph) are not checked.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from voltroute.tachograph._periods import (
    DailyRest,
    RestRun,
    View,
    exceeds,
    is_weekly_rest,
    later,
    reaches,
    seconds,
)
from voltroute.tachograph._units import format_duration as fmt
from voltroute.tachograph._units import format_instant
from voltroute.tachograph.infringements import Infringement


@dataclass(frozen=True, slots=True)
class _Window:
    """The rule a driver's daily rest answers to: code, window length, rest length needed."""

    rule: str
    window_s: float
    needed_s: float
    wording: str  # what the rest must be, for the report

    @classmethod
    def of(cls, view: View) -> _Window:
        o = view.options
        if o.team_driving:
            wording = f"{fmt(o.team_daily_rest_s)} (team driving)"
            return cls("team_daily_rest", o.team_rest_window_s, o.team_daily_rest_s, wording)
        wording = (
            f"{fmt(o.daily_rest_s)} ({fmt(o.reduced_daily_rest_s)} reduced, "
            f"{fmt(o.split_rest_first_s)} + {fmt(o.split_rest_second_s)} split)"
        )
        return cls("daily_rest", o.rest_window_s, o.reduced_daily_rest_s, wording)

    def needed_for(self, rest: DailyRest, view: View) -> float:
        """The length the rest must reach in the window: a split's second part needs its own."""
        return view.options.split_rest_second_s if rest.split_first else self.needed_s


@dataclass(frozen=True, slots=True)
class _Judged:
    """A daily rest in its window: how much of it lies within, and whether that is enough."""

    rest: DailyRest
    begin: datetime  # end of the previous daily or weekly rest
    deadline: datetime
    within_s: float
    in_time: bool


def _judge(view: View) -> list[_Judged]:
    window = _Window.of(view)
    begin = view.state.last_daily_rest_end or view.start
    judged: list[_Judged] = []
    for rest in view.daily:
        deadline = later(begin, window.window_s)
        # A rest going on at the end of the record may last to the deadline.
        reach = deadline if rest.run.open_end else min(rest.run.end, deadline)
        within_s = seconds(rest.run.start, reach)
        enough = reaches(within_s, window.needed_for(rest, view))
        judged.append(_Judged(rest, begin, deadline, within_s, enough))
        begin = rest.run.end
    return judged


def check_daily_rest(view: View) -> list[Infringement]:
    """Art. 8(2) (team: 8(5)): a new daily rest within 24 h (30 h) of the previous rest's end."""
    window = _Window.of(view)
    judged = _judge(view)
    late = [(j.begin, j.deadline) for j in judged if not j.in_time]
    begin = judged[-1].rest.run.end if judged else view.state.last_daily_rest_end or view.start
    deadline = later(begin, window.window_s)
    # A rest going on at the end that could still be long enough is the last daily rest: a
    # rest too short for one that ends after the deadline started too late anyway.
    if exceeds(seconds(deadline, view.end), 0.0):
        late.append((begin, deadline))
    within = f"within {fmt(window.window_s)} of the end of the previous rest"
    return [
        Infringement.of(
            window.rule,
            due,
            f"no daily rest of {window.wording} {within} ({format_instant(since)})",
        )
        for since, due in late
    ]


def check_reduced_rests(view: View) -> list[Infringement]:
    """Art. 8(4): at most three reduced daily rests between two weekly rests."""
    options = view.options
    if options.team_driving:  # a team driver's 9 h is the rule of 8(5), not a reduced rest
        return []
    used = view.state.reduced_rests_used
    found: list[Infringement] = []
    for j in _judge(view):
        if is_weekly_rest(j.rest.run, options):
            used = 0
        elif j.in_time and not j.rest.split_first and not reaches(j.within_s, options.daily_rest_s):
            used += 1
            if used > options.reduced_rests_between_weekly:
                detail = (
                    f"reduced daily rest of {fmt(j.within_s)}, number {used} since the last "
                    f"weekly rest: at most {options.reduced_rests_between_weekly}"
                )
                found.append(Infringement.of("reduced_rests", j.rest.run.start, detail))
    return found


def _weekly_candidates(view: View) -> list[RestRun]:
    """Rest runs that start a weekly rest, or may (a rest going on at the record's end)."""
    return [r for r in view.runs if is_weekly_rest(r, view.options) or r.open_end]


def check_weekly_rest(view: View) -> list[Infringement]:
    """Art. 8(6): a weekly rest of 24 h or more started within 6 x 24 h of the previous one."""
    options = view.options
    shortest = f"the {fmt(options.reduced_weekly_rest_s)} of a reduced weekly rest"
    found = [
        Infringement.of(
            "weekly_rest", run.start, f"weekly rest of {fmt(run.length_s)}: shorter than {shortest}"
        )
        for run in view.runs
        if run.weekly and not is_weekly_rest(run, options)
    ]
    begin = view.state.weekly_period_start or view.start
    for run in _weekly_candidates(view):
        found += _late_weekly_rest(view, begin, run.start)
        begin = run.end
    if not (view.runs and view.runs[-1].open_end):  # else the last candidate ends the record
        found += _late_weekly_rest(view, begin, view.end)
    return found


def _late_weekly_rest(view: View, begin: datetime, start: datetime) -> list[Infringement]:
    """The infringement if a weekly period from begin has no weekly rest started by start."""
    after_s = view.options.weekly_rest_after_s
    deadline = later(begin, after_s)
    if not exceeds(seconds(deadline, start), 0.0):
        return []
    detail = (
        f"no weekly rest started within {fmt(after_s)} of the end of the previous one "
        f"({format_instant(begin)})"
    )
    return [Infringement.of("weekly_rest", deadline, detail)]
