"""Rest rules of 561/2006 art. 8: daily (8(2)), reduced (8(4)), team (8(5)), weekly (8(6))."""

from __future__ import annotations

from datetime import timedelta

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
    weekly,
)

from voltroute.tachograph import DriverStartState, RuleOptions, check_timeline

DAILY_REST = [("daily_rest", "561/2006 art. 8(2)")]
REDUCED = [("reduced_rests", "561/2006 art. 8(4)")]
TEAM = [("team_daily_rest", "561/2006 art. 8(5)")]
WEEKLY_REST = [("weekly_rest", "561/2006 art. 8(6)")]
TEAM_DRIVING = RuleOptions(team_driving=True)


def day(span_h: float, rest_h: float) -> list[Step]:
    """8 h 30 min of driving with a 45-min break, then waiting to span_h, then a daily rest."""
    return [drive(4, 30), pause(m=45), drive(4), wait(span_h - 9.25), rest(rest_h)]


def test_a_regular_rest_within_24_h_is_lawful() -> None:
    assert check_timeline(timeline(*day(13, 11), *day(13, 11))) == []


def test_a_rest_with_only_8_h_59_min_within_24_h_breaks_art_8_2() -> None:
    found = check_timeline(timeline(*day(15 + 1 / 60, 11)))
    assert codes(found) == DAILY_REST
    assert found[0].at == MONDAY + timedelta(hours=24)
    assert check_timeline(timeline(*day(15, 11))) == []  # 9 h within: a reduced rest


def test_no_rest_within_24_h_breaks_art_8_2_once_the_window_has_passed() -> None:
    tl = timeline(drive(4, 30), pause(m=45), drive(4, 30), wait(15))
    found = check_timeline(tl)
    assert codes(found) == DAILY_REST
    assert found[0].at == MONDAY + timedelta(hours=24)
    assert found[0].detail.startswith("no daily rest of 11 h (9 h reduced, 3 h + 9 h split)")


def test_a_window_still_open_at_the_end_is_no_infringement() -> None:
    # The driver may rest after the tour.
    assert check_timeline(timeline(drive(4, 30), pause(m=45), drive(4, 30), wait(14))) == []


def test_a_rest_going_on_at_the_end_counts_if_it_can_still_be_long_enough() -> None:
    # A rest from hour 15 has 9 h by hour 24; from 15 h 1 min it has not, however long.
    assert check_timeline(timeline(drive(4), wait(11), pause(5))) == []
    assert check_timeline(timeline(drive(4), wait(11), rest(9, 30))) == []
    assert codes(check_timeline(timeline(drive(4), wait(11, 1), rest(9, 30)))) == DAILY_REST
    assert codes(check_timeline(timeline(drive(4), wait(12), pause(8, 30)))) == DAILY_REST


def test_the_window_starts_at_the_last_rest_before_the_timeline() -> None:
    start = DriverStartState(last_daily_rest_end=MONDAY - timedelta(hours=10))
    found = check_timeline(
        timeline(drive(4, 30), pause(m=45), drive(1), wait(4), rest(11)), start=start
    )
    assert codes(found) == DAILY_REST
    assert found[0].at == MONDAY + timedelta(hours=14)


def test_a_rest_split_3_plus_9_is_a_regular_rest() -> None:
    # 15 h from the rest's end to the 9-h part: lawful only as a split rest.
    steps = [drive(4, 30), pause(3), drive(4, 30), pause(m=45), drive(1), wait(1, 15), rest(9)]
    assert sum(s for _, s in steps[:-1]) == 15 * H
    start = DriverStartState(reduced_rests_used=3)
    assert check_timeline(timeline(*steps), start=start) == []


def test_a_rest_split_2_plus_9_is_a_reduced_rest() -> None:
    steps = [drive(4, 30), pause(2), drive(4, 30), pause(m=45), drive(1), wait(1, 15), rest(9)]
    start = DriverStartState(reduced_rests_used=3)
    assert codes(check_timeline(timeline(*steps), start=start)) == REDUCED


def test_a_fourth_reduced_rest_between_weekly_rests_breaks_art_8_4() -> None:
    four = timeline(*day(14, 10), *day(14, 10), *day(14, 10), *day(14, 10))
    found = check_timeline(four)
    assert codes(found) == REDUCED
    assert found[0].at == MONDAY + timedelta(hours=3 * 24 + 14)
    assert found[0].detail == (
        "reduced daily rest of 10 h, number 4 since the last weekly rest: at most 3"
    )
    assert check_timeline(timeline(*day(14, 10), *day(14, 10), *day(14, 10), *day(13, 11))) == []


def test_a_weekly_rest_resets_the_reduced_rests() -> None:
    steps = [*day(14, 10), *day(14, 10), drive(4), weekly(45), *day(14, 10), *day(14, 10)]
    assert check_timeline(timeline(*steps)) == []


def test_reduced_rests_before_the_timeline_count() -> None:
    start = DriverStartState(reduced_rests_used=3)
    assert codes(check_timeline(timeline(*day(14, 10)), start=start)) == REDUCED
    assert check_timeline(timeline(*day(13, 11)), start=start) == []


def test_a_long_rest_with_less_than_11_h_within_24_h_is_reduced() -> None:
    # 12 h of rest from hour 14: 10 h of it within the 24 h (the Commission's reading).
    start = DriverStartState(reduced_rests_used=3)
    assert codes(check_timeline(timeline(*day(14, 12)), start=start)) == REDUCED


def test_a_team_driver_needs_9_h_within_30_h() -> None:
    found = check_timeline(timeline(*day(21 + 1 / 60, 9)), TEAM_DRIVING)
    assert codes(found) == TEAM
    assert found[0].at == MONDAY + timedelta(hours=30)
    assert check_timeline(timeline(*day(21, 9)), TEAM_DRIVING) == []
    assert codes(check_timeline(timeline(*day(21, 9)))) == DAILY_REST  # alone: 24 h


def test_a_team_drivers_9_h_rests_are_not_reduced_rests() -> None:
    tl = timeline(*day(20, 9), *day(20, 9), *day(20, 9), *day(20, 9))
    assert check_timeline(tl, TEAM_DRIVING) == []


def short_day() -> list[Step]:
    """6 h 30 min of driving in a 13-h day, and an 11-h rest: 24 h in all."""
    return [drive(4, 30), pause(m=45), drive(2), wait(5, 45), rest(11)]


def test_a_weekly_rest_started_after_6_x_24_h_breaks_art_8_6() -> None:
    six_days = [step for _ in range(6) for step in short_day()]
    found = check_timeline(timeline(*six_days, drive(4, 30), pause(m=45), drive(2), weekly(45)))
    assert codes(found) == WEEKLY_REST
    assert found[0].at == MONDAY + timedelta(hours=144)
    five_days = six_days[: 5 * len(short_day())]
    assert check_timeline(timeline(*five_days, drive(4, 30), weekly(45))) == []


def test_a_weekly_period_from_before_the_timeline_counts() -> None:
    start = DriverStartState(weekly_period_start=MONDAY - timedelta(hours=140))
    found = check_timeline(timeline(drive(4), wait(1)), start=start)
    assert codes(found) == WEEKLY_REST
    assert found[0].at == MONDAY + timedelta(hours=4)
    assert check_timeline(timeline(drive(4), weekly(24)), start=start) == []


def test_a_long_rest_labelled_daily_is_no_weekly_rest() -> None:
    start = DriverStartState(weekly_period_start=MONDAY - timedelta(hours=140))
    found = check_timeline(timeline(rest(30), drive(1)), start=start)
    assert codes(found) == WEEKLY_REST
    assert check_timeline(timeline(weekly(30), drive(1)), start=start) == []


def test_a_weekly_rest_under_24_h_breaks_art_8_6() -> None:
    found = check_timeline(timeline(drive(4), weekly(20), drive(1)))
    assert codes(found) == WEEKLY_REST
    assert found[0].detail == "weekly rest of 20 h: shorter than the 24 h of a reduced weekly rest"
    assert check_timeline(timeline(drive(4), weekly(24), drive(1))) == []


def test_a_weekly_rest_going_on_at_the_end_may_still_be_long_enough() -> None:
    assert check_timeline(timeline(drive(4), weekly(20))) == []
