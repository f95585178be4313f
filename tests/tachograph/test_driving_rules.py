"""Driving rules of 561/2006: breaks (art. 7), daily (6(1)), weekly (6(2)) and fortnight (6(3))."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from tests.tachograph.timelines import (
    MONDAY,
    H,
    Step,
    codes,
    drive,
    pause,
    rest,
    timeline,
    wait,
    work,
)

from voltroute.tachograph import DriverStartState, RuleOptions, check_timeline

BREAK = [("break", "561/2006 art. 7")]
DAILY = [("daily_driving", "561/2006 art. 6(1)")]
EXTENDED = [("extended_days", "561/2006 art. 6(1)")]
WEEKLY = [("weekly_driving", "561/2006 art. 6(2)")]
FORTNIGHT = [("fortnight_driving", "561/2006 art. 6(3)")]


def test_4_h_31_min_of_driving_before_the_break_breaks_art_7() -> None:
    found = check_timeline(timeline(drive(4, 31), pause(m=45), drive(1)))
    assert codes(found) == BREAK
    assert found[0].at == MONDAY + timedelta(hours=4.5)
    assert found[0].detail == "4 h 31 min driving without a break of 45 min (or 15 min + 30 min)"
    assert str(found[0]) == f"Mon 2025-03-03 10:30 UTC 561/2006 art. 7: {found[0].detail}"


def test_4_h_30_min_of_driving_before_the_break_is_lawful() -> None:
    assert check_timeline(timeline(drive(4, 30), pause(m=45), drive(4, 30))) == []


def test_a_break_split_15_then_30_resets_the_driving() -> None:
    tl = timeline(drive(2), pause(m=15), drive(2, 30), pause(m=30), drive(4, 30))
    assert check_timeline(tl) == []


def test_a_break_split_30_then_15_does_not() -> None:
    found = check_timeline(timeline(drive(2), pause(m=30), drive(2, 30), pause(m=15), drive(1)))
    assert codes(found) == BREAK
    assert found[0].at == MONDAY + timedelta(hours=5, minutes=15)  # the third block's start
    assert found[0].detail.startswith("5 h 30 min driving")


def test_a_30_min_break_alone_does_not_reset_the_driving() -> None:
    assert codes(check_timeline(timeline(drive(4), pause(m=30), drive(1)))) == BREAK


def test_breaks_under_15_min_count_for_nothing() -> None:
    tl = timeline(drive(2), pause(m=14), drive(2), pause(m=30), drive(1))
    assert codes(check_timeline(tl)) == BREAK
    tl = timeline(drive(2), pause(m=15), drive(2), pause(m=30), drive(1))
    assert check_timeline(tl) == []


def test_consecutive_break_activities_are_one_break() -> None:
    tl = timeline(drive(4, 30), pause(m=20), pause(m=25), drive(4, 30))
    assert check_timeline(tl) == []


def test_a_daily_rest_is_a_break() -> None:
    assert check_timeline(timeline(drive(4, 30), rest(11), drive(4, 30))) == []


def test_service_at_a_customer_is_other_work_not_a_break() -> None:
    # The case: 4 h driving, 60 min service, 2 h driving.
    tl = timeline(drive(4), work(1), drive(2))
    assert codes(check_timeline(tl, RuleOptions(working_time=False))) == BREAK
    assert ("break", "561/2006 art. 7") in codes(check_timeline(tl))
    assert check_timeline(timeline(drive(4), pause(1), drive(2))) == []


def test_waiting_is_not_a_break() -> None:
    assert codes(check_timeline(timeline(drive(4), wait(1), drive(1)))) == BREAK


def test_driving_before_the_timeline_counts_toward_the_break() -> None:
    start = DriverStartState(driving_since_break_s=4 * H, driving_today_s=4 * H, work_today_s=4 * H)
    found = check_timeline(timeline(drive(m=31)), start=start)
    assert codes(found) == BREAK
    assert found[0].at == MONDAY + timedelta(minutes=30)
    assert check_timeline(timeline(drive(m=30)), start=start) == []


def test_a_first_part_taken_before_the_timeline_completes_with_30_min() -> None:
    start = DriverStartState(
        driving_since_break_s=4 * H,
        first_break_part_taken=True,
        driving_today_s=4 * H,
        work_today_s=4 * H,
    )
    assert check_timeline(timeline(drive(m=30), pause(m=30), drive(4, 30)), start=start) == []


def test_a_team_driver_may_take_breaks_as_usual() -> None:
    tl = timeline(drive(4, 30), pause(m=45), drive(4, 30))
    assert check_timeline(tl, RuleOptions(team_driving=True)) == []


def ten_hour_day() -> list[Step]:
    """A 10-h driving day with its breaks and an 11-h rest: 22 h 30 min in all."""
    return [drive(4, 30), pause(m=45), drive(4, 30), pause(m=45), drive(1), rest(11)]


def nine_hour_day() -> list[Step]:
    """A 9-h driving day with its break and an 11-h rest."""
    return [drive(4, 30), pause(m=45), drive(4, 30), rest(11)]


def test_10_h_1_min_of_driving_in_a_day_breaks_art_6_1() -> None:
    tl = timeline(drive(4, 30), pause(m=45), drive(4, 30), pause(m=45), drive(1, 1), rest(11))
    found = check_timeline(tl)
    assert codes(found) == DAILY
    assert found[0].at == MONDAY + timedelta(hours=11, minutes=30)
    assert found[0].detail == "10 h 1 min driving between daily rests: over 10 h"


def test_driving_before_the_timeline_counts_toward_the_day() -> None:
    start = DriverStartState(driving_today_s=8 * H, work_today_s=8 * H)
    assert codes(check_timeline(timeline(drive(2, 1)), start=start)) == DAILY
    assert check_timeline(timeline(drive(2)), start=start) == []


def test_a_third_10_h_day_in_the_week_breaks_art_6_1() -> None:
    found = check_timeline(timeline(*ten_hour_day(), *ten_hour_day(), *ten_hour_day()))
    assert codes(found) == EXTENDED
    third_day = MONDAY + 2 * timedelta(hours=22, minutes=30)
    assert found[0].at == third_day + timedelta(hours=10, minutes=30)  # when it passed 9 h
    assert "day 3 over 9 h" in found[0].detail


def test_two_10_h_days_and_a_9_h_day_are_lawful() -> None:
    assert check_timeline(timeline(*ten_hour_day(), *nine_hour_day(), *ten_hour_day())) == []


def test_extended_days_before_the_timeline_count() -> None:
    start = DriverStartState(extended_days_used=2)
    assert codes(check_timeline(timeline(*ten_hour_day()), start=start)) == EXTENDED
    assert check_timeline(timeline(*nine_hour_day()), start=start) == []


def test_extended_days_count_per_fixed_week() -> None:
    # Saturday, Sunday and Monday (UTC): the third day starts a new fixed week.
    saturday = datetime(2025, 3, 8, 6, 0, tzinfo=UTC)
    tl = timeline(*ten_hour_day(), *ten_hour_day(), *ten_hour_day(), start=saturday)
    assert check_timeline(tl) == []


def test_57_h_of_driving_in_a_week_breaks_art_6_2() -> None:
    start = DriverStartState(driving_this_week_s=48 * H)
    found = check_timeline(timeline(*nine_hour_day()), start=start)
    assert codes(found) == WEEKLY
    assert found[0].at == MONDAY + timedelta(hours=4, minutes=30 + 45 + 3 * 60 + 30)
    start = DriverStartState(driving_this_week_s=47 * H)
    assert check_timeline(timeline(*nine_hour_day()), start=start) == []


def test_weekly_driving_is_cut_at_monday_00_00_utc() -> None:
    start = DriverStartState(driving_this_week_s=55 * H)
    sunday_23 = datetime(2025, 3, 9, 23, 0, tzinfo=UTC)
    assert check_timeline(timeline(drive(2), start=sunday_23), start=start) == []
    found = check_timeline(timeline(drive(2), start=sunday_23 - timedelta(hours=1)), start=start)
    assert codes(found) == WEEKLY
    assert found[0].at == sunday_23


def test_weeks_are_read_in_utc_whatever_the_zone_of_the_times() -> None:
    # Monday 00:30 at UTC+1 is still Sunday 23:30 UTC: half an hour of it counts for Sunday.
    start = DriverStartState(driving_this_week_s=55 * H + 45 * 60)
    monday_local = datetime(2025, 3, 10, 0, 30, tzinfo=timezone(timedelta(hours=1)))
    assert codes(check_timeline(timeline(drive(1), start=monday_local), start=start)) == WEEKLY


def test_91_h_of_driving_in_two_weeks_breaks_art_6_3() -> None:
    start = DriverStartState(driving_last_week_s=50 * H, driving_this_week_s=36 * H)
    tl = timeline(drive(4, 30), rest(11))
    found = check_timeline(tl, start=start)
    assert codes(found) == FORTNIGHT
    assert found[0].at == MONDAY + timedelta(hours=4)
    assert check_timeline(timeline(drive(4), rest(11)), start=start) == []


def test_the_fortnight_pairs_the_timelines_own_weeks() -> None:
    # A fleet limit of 58 h over two weeks: 54 h to Sunday 24:00, then 4 h 30 min on Monday.
    options = RuleOptions(fortnight_driving_s=58 * H)
    start = DriverStartState(driving_this_week_s=50 * H)
    sunday_20 = datetime(2025, 3, 9, 20, 0, tzinfo=UTC)
    tl = timeline(drive(4), pause(m=45), drive(4, 30), start=sunday_20)
    found = check_timeline(tl, options, start)
    assert codes(found) == FORTNIGHT
    assert found[0].at == sunday_20 + timedelta(hours=8, minutes=45)
    tl = timeline(drive(4), pause(m=45), drive(4), start=sunday_20)
    assert check_timeline(tl, options, start) == []
