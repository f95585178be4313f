"""Breaks of Directive 2002/15/EC art. 5: 6 h of working time at most, 30 or 45 min a day."""

from __future__ import annotations

from datetime import timedelta

from tests.tachograph.timelines import (
    MONDAY,
    H,
    codes,
    drive,
    pause,
    rest,
    timeline,
    wait,
    work,
)

from voltroute.tachograph import DriverStartState, RuleOptions, check_timeline

STRETCH = [("working_time_break", "2002/15/EC art. 5")]
DAY_BREAKS = [("working_time_daily_breaks", "2002/15/EC art. 5")]


def test_6_h_1_min_of_work_without_a_break_breaks_art_5() -> None:
    found = check_timeline(
        timeline(work(1, 1), drive(4, 30), work(m=30), pause(m=30), work(m=10), rest(11))
    )
    assert codes(found) == STRETCH
    assert found[0].at == MONDAY + timedelta(hours=6)
    assert found[0].detail == "6 h 1 min working time without a break of at least 15 min"


def test_6_h_of_work_without_a_break_is_lawful() -> None:
    tl = timeline(work(1), drive(4, 30), work(m=30), pause(m=30), work(m=10), rest(11))
    assert check_timeline(tl) == []


def test_waiting_is_neither_work_nor_a_break() -> None:
    assert codes(check_timeline(timeline(drive(3), wait(1), work(3, 1)))) == STRETCH
    assert check_timeline(timeline(drive(3), wait(1), work(3))) == []


def test_work_before_the_timeline_counts() -> None:
    start = DriverStartState(work_since_break_s=5 * H, work_today_s=5 * H)
    assert codes(check_timeline(timeline(work(1, 1)), start=start)) == STRETCH
    assert check_timeline(timeline(work(1)), start=start) == []


def test_a_9_h_30_min_day_with_30_min_of_break_breaks_art_5() -> None:
    found = check_timeline(timeline(drive(4, 30), work(1, 30), pause(m=30), work(3, 30), rest(11)))
    assert codes(found) == DAY_BREAKS
    assert found[0].at == MONDAY + timedelta(hours=9, minutes=30)  # when the work passed 9 h
    assert found[0].detail == (
        "9 h 30 min working time between daily rests with 30 min of breaks: 45 min needed"
    )
    tl = timeline(drive(4, 30), work(1, 30), pause(m=45), work(3, 30), rest(11))
    assert check_timeline(tl) == []


def test_a_7_h_day_needs_30_min_of_break_in_parts_of_15() -> None:
    tl = timeline(drive(3), work(2), pause(m=15), work(2), rest(11))
    assert codes(check_timeline(tl)) == DAY_BREAKS
    tl = timeline(drive(3), pause(m=15), work(2), pause(m=15), work(2), rest(11))
    assert check_timeline(tl) == []


def test_a_break_after_the_days_last_work_does_not_count() -> None:
    tl = timeline(drive(3), pause(m=15), work(3, 30), pause(m=30), wait(1), rest(11))
    assert codes(check_timeline(tl)) == DAY_BREAKS


def test_a_day_still_going_on_at_the_end_is_not_judged() -> None:
    assert check_timeline(timeline(drive(3), work(2), pause(m=15), work(2))) == []


def test_breaks_before_the_timeline_count() -> None:
    start = DriverStartState(work_today_s=3 * H, work_breaks_today_s=15 * 60)
    tl = timeline(work(2), pause(m=15), work(2), rest(11))
    assert check_timeline(tl, start=start) == []
    start = DriverStartState(work_today_s=3 * H)
    assert codes(check_timeline(tl, start=start)) == DAY_BREAKS


def test_self_employed_drivers_are_not_checked() -> None:
    tl = timeline(drive(4), work(4), rest(11))
    assert check_timeline(tl, RuleOptions(working_time=False)) == []
    assert codes(check_timeline(tl)) == STRETCH + DAY_BREAKS
