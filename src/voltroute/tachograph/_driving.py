"""Driving rules of 561/2006: breaks (art. 7), daily (6(1)), weekly (6(2)), fortnight (6(3)).

A break (art. 4(d)) is a run of break and rest activities: other work and availability are not,
and a team driver's break in the moving vehicle (art. 7) is a break on his own timeline.
"""

from __future__ import annotations

from datetime import timedelta

from voltroute.tachograph._periods import (
    RestRun,
    View,
    by_week,
    exceeds,
    instant_past,
    overruns,
    reaches,
    total_s,
    week_of,
)
from voltroute.tachograph._units import format_duration as fmt
from voltroute.tachograph._units import format_instant
from voltroute.tachograph.activities import ActivityKind
from voltroute.tachograph.infringements import Infringement

DRIVING = frozenset({ActivityKind.DRIVING})
WEEK = timedelta(days=7)


class _BreakTaken:
    """Art. 7: whether a rest run completes a break, remembering a split's first part."""

    def __init__(self, view: View) -> None:
        self.options = view.options
        self.first_part = view.state.first_break_part_taken

    def __call__(self, run: RestRun) -> bool:
        options, length_s = self.options, run.length_s
        if reaches(length_s, options.break_s) or (
            self.first_part and reaches(length_s, options.split_second_s)
        ):
            self.first_part = False
            return True
        # Any run of 15 min or more is a first part, a 30-min one too: only order matters.
        if reaches(length_s, options.split_first_s):
            self.first_part = True
        return False


def check_breaks(view: View) -> list[Infringement]:
    """Art. 7: a 45-min break (or 15 + 30) after at most 4.5 h of driving."""
    options = view.options
    wanted = (
        f"a break of {fmt(options.break_s)} "
        f"(or {fmt(options.split_first_s)} + {fmt(options.split_second_s)})"
    )
    used_s, limit_s = view.state.driving_since_break_s, options.break_after_driving_s
    periods = overruns(view, DRIVING, used_s, limit_s, _BreakTaken(view))
    return [
        Infringement.of("break", at, f"{fmt(driven_s)} driving without {wanted}")
        for at, driven_s in periods
    ]


def check_daily_driving(view: View) -> list[Infringement]:
    """Art. 6(1): 9 h between daily rests, 10 h on at most two days of a fixed week.

    A day belongs to the week in which it starts (the first one: the timeline's start).
    """
    options, state = view.options, view.state
    extended = {week_of(view.start): state.extended_days_used}
    found: list[Infringement] = []
    for day in view.days:
        intervals = view.intervals(DRIVING, day.first, day.stop)
        used_s = state.driving_today_s if day.is_first else 0.0
        driven_s = used_s + total_s(intervals)
        if not exceeds(driven_s, options.daily_driving_s):
            continue
        week = week_of(day.start)
        extended[week] = count = extended.get(week, 0) + 1
        said = f"{fmt(driven_s)} driving between daily rests"
        if exceeds(driven_s, options.extended_daily_driving_s):
            at = instant_past(intervals, used_s, options.extended_daily_driving_s) or day.start
            limit = fmt(options.extended_daily_driving_s)
            found.append(Infringement.of("daily_driving", at, f"{said}: over {limit}"))
        elif count > options.extended_days_per_week:
            at = instant_past(intervals, used_s, options.daily_driving_s) or day.start
            detail = (
                f"{said}: day {count} over {fmt(options.daily_driving_s)} in the week from "
                f"{format_instant(week)}, at most {options.extended_days_per_week}"
            )
            found.append(Infringement.of("extended_days", at, detail))
    return found


def check_weekly_driving(view: View) -> list[Infringement]:
    """Art. 6(2): at most 56 h of driving in a fixed week."""
    options, first_week = view.options, week_of(view.start)
    found: list[Infringement] = []
    for week, intervals in by_week(view.intervals(DRIVING)).items():
        used_s = view.state.driving_this_week_s if week == first_week else 0.0
        at = instant_past(intervals, used_s, options.weekly_driving_s)
        if at is not None:
            detail = (
                f"{fmt(used_s + total_s(intervals))} driving in the week from "
                f"{format_instant(week)}: over {fmt(options.weekly_driving_s)}"
            )
            found.append(Infringement.of("weekly_driving", at, detail))
    return found


def check_fortnight_driving(view: View) -> list[Infringement]:
    """Art. 6(3): at most 90 h of driving in any two consecutive fixed weeks."""
    options, state, first_week = view.options, view.state, week_of(view.start)
    weeks = by_week(view.intervals(DRIVING))
    totals = {first_week - WEEK: state.driving_last_week_s, first_week: state.driving_this_week_s}
    for week, intervals in weeks.items():
        totals[week] = totals.get(week, 0.0) + total_s(intervals)
    found: list[Infringement] = []
    for week, intervals in weeks.items():
        before_s = totals.get(week - WEEK, 0.0)
        used_s = before_s + (state.driving_this_week_s if week == first_week else 0.0)
        at = instant_past(intervals, used_s, options.fortnight_driving_s)
        if at is not None:
            detail = (
                f"{fmt(before_s + totals[week])} driving in the two weeks from "
                f"{format_instant(week - WEEK)}: over {fmt(options.fortnight_driving_s)}"
            )
            found.append(Infringement.of("fortnight_driving", at, detail))
    return found
