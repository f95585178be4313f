"""The roadside check: every infringement a driver's timeline shows, with the article it breaks.

It reads the timeline, the rule options and the start state only; each rule module documents its
reading where the law leaves room: _driving (art. 6, 7), _rests (art. 8), _work (2002/15/EC).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from voltroute.tachograph._driving import (
    check_breaks,
    check_daily_driving,
    check_fortnight_driving,
    check_weekly_driving,
)
from voltroute.tachograph._periods import View
from voltroute.tachograph._rests import check_daily_rest, check_reduced_rests, check_weekly_rest
from voltroute.tachograph._work import check_work_day_breaks, check_work_stretch
from voltroute.tachograph.activities import Activity, Timeline
from voltroute.tachograph.driver_state import RESTED, DriverStartState
from voltroute.tachograph.infringements import Infringement
from voltroute.tachograph.rules import LAW, RuleOptions

RULES: tuple[Callable[[View], list[Infringement]], ...] = (
    check_breaks,
    check_daily_driving,
    check_weekly_driving,
    check_fortnight_driving,
    check_daily_rest,
    check_reduced_rests,
    check_weekly_rest,
    check_work_stretch,
    check_work_day_breaks,
)


def check_timeline(
    timeline: Timeline | Sequence[Activity],
    options: RuleOptions = LAW,
    start: DriverStartState = RESTED,
) -> list[Infringement]:
    """Every infringement of the timeline, in order of time.

    Raises ValueError for an invalid timeline, or a start state that already breaks a rule.
    """
    if not isinstance(timeline, Timeline):
        timeline = Timeline(tuple(timeline))
    if not timeline.activities:
        start.validate(options)
        return []
    start.validate(options, timeline.start)
    view = View.of(timeline, options, start)
    found = [infringement for rule in RULES for infringement in rule(view)]
    return sorted(found, key=lambda i: (i.at, i.article, i.rule))
