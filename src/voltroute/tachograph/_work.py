"""Breaks of Directive 2002/15/EC art. 5: working time is driving and other work.

Availability is neither working time nor a break. A rest run of 15 min or more is a break. The
day is the time between daily rests; its breaks are those between its first and last work, and
a day still going on at the end of the record is not judged (a break and more work may follow).
The day thresholds are the Directive's 6 h and 9 h of working time.
"""

from __future__ import annotations

from voltroute.tachograph._periods import (
    WORK_KINDS,
    Day,
    RestRun,
    View,
    exceeds,
    instant_past,
    overruns,
    reaches,
    total_s,
)
from voltroute.tachograph._units import H
from voltroute.tachograph._units import format_duration as fmt
from voltroute.tachograph.infringements import Infringement

DAY_MID_S = 6 * H  # working time over which the day needs work_break_6_9_s
DAY_LONG_S = 9 * H  # working time over which the day needs work_break_over_9_s


def check_work_stretch(view: View) -> list[Infringement]:
    """No more than 6 consecutive hours of working time without a break of 15 min or more."""
    options = view.options
    if not options.working_time:
        return []

    def is_break(run: RestRun) -> bool:
        return reaches(run.length_s, options.work_break_part_s)

    used_s, limit_s = view.state.work_since_break_s, options.work_before_break_s
    wanted = f"a break of at least {fmt(options.work_break_part_s)}"
    return [
        Infringement.of("working_time_break", at, f"{fmt(worked_s)} working time without {wanted}")
        for at, worked_s in overruns(view, WORK_KINDS, used_s, limit_s, is_break)
    ]


def _day_breaks_s(view: View, day: Day) -> float:
    """Breaks of 15 min or more that interrupt the day's working time."""
    work = [i for i in range(day.first, day.stop) if view.activities[i].kind in WORK_KINDS]
    carried = day.is_first and view.state.work_today_s > 0  # work before the record
    low = -1 if carried else (work[0] if work else day.stop)
    high = work[-1] if work else -1
    part_s = view.options.work_break_part_s
    counted = [r.length_s for r in view.runs if low < r.first and r.stop <= high]
    carried_s = view.state.work_breaks_today_s if day.is_first else 0.0
    return carried_s + sum(length_s for length_s in counted if reaches(length_s, part_s))


def check_work_day_breaks(view: View) -> list[Infringement]:
    """A day's breaks: 30 min in all over 6 h of working time, 45 min over 9 h."""
    options = view.options
    if not options.working_time:
        return []
    found: list[Infringement] = []
    for day in view.days:
        if not day.closed:
            continue
        intervals = view.intervals(WORK_KINDS, day.first, day.stop)
        used_s = view.state.work_today_s if day.is_first else 0.0
        worked_s = used_s + total_s(intervals)
        over_9 = exceeds(worked_s, DAY_LONG_S)
        needed_s = options.work_break_over_9_s if over_9 else options.work_break_6_9_s
        breaks_s = _day_breaks_s(view, day)
        if not exceeds(worked_s, DAY_MID_S) or reaches(breaks_s, needed_s):
            continue
        threshold_s = DAY_LONG_S if over_9 else DAY_MID_S
        at = instant_past(intervals, used_s, threshold_s) or day.start
        detail = (
            f"{fmt(worked_s)} working time between daily rests with {fmt(breaks_s)} of "
            f"breaks: {fmt(needed_s)} needed"
        )
        found.append(Infringement.of("working_time_daily_breaks", at, detail))
    return found
