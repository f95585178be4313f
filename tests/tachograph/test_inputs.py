"""Validation of the inputs: activities and timelines, rule options, the driver's start state."""

from __future__ import annotations

from dataclasses import fields, replace
from datetime import timedelta

import pytest
from tests.tachograph.timelines import MONDAY, H, drive, timeline

from voltroute.tachograph import (
    LAW,
    RESTED,
    Activity,
    ActivityKind,
    DriverStartState,
    RuleOptions,
    Timeline,
    check_timeline,
)

MIN = 60.0


def test_an_activity_needs_aware_times_and_a_positive_length() -> None:
    with pytest.raises(ValueError, match=r"start 2025-03-03 06:00:00 has no time zone"):
        Activity(ActivityKind.DRIVING, MONDAY.replace(tzinfo=None), MONDAY + timedelta(hours=1))
    with pytest.raises(ValueError, match=r"the end must be after the start"):
        Activity(ActivityKind.BREAK, MONDAY, MONDAY)
    with pytest.raises(ValueError, match=r"'parking' is not a valid ActivityKind"):
        Activity("parking", MONDAY, MONDAY + timedelta(hours=1))  # type: ignore[arg-type]
    assert Activity("driving", MONDAY, MONDAY + timedelta(hours=1)).kind is ActivityKind.DRIVING  # type: ignore[arg-type]


def test_a_timeline_must_be_in_order_without_overlaps_or_gaps() -> None:
    first = Activity(ActivityKind.DRIVING, MONDAY, MONDAY + timedelta(hours=2))
    overlapping = Activity(
        ActivityKind.BREAK, MONDAY + timedelta(hours=1), MONDAY + timedelta(hours=3)
    )
    with pytest.raises(
        ValueError, match=r"activity 1 \(break\) starts .* overlap or are out of order"
    ):
        Timeline((first, overlapping))
    later = Activity(
        ActivityKind.BREAK, MONDAY + timedelta(hours=2, minutes=5), MONDAY + timedelta(hours=3)
    )
    with pytest.raises(ValueError, match=r"gap of 5 min between activity 0 .* must be contiguous"):
        check_timeline([first, later])


def test_a_timeline_may_be_given_as_a_list_and_may_be_empty() -> None:
    assert check_timeline([]) == []
    assert check_timeline(list(timeline(drive(4, 31)).activities))[0].rule == "break"


def test_the_law_is_the_default_and_a_fleet_may_be_stricter() -> None:
    assert LAW.break_after_driving_s == 4.5 * H
    assert LAW.weekly_rest_after_s == 144 * H
    stricter = RuleOptions(
        daily_driving_s=8 * H, extended_daily_driving_s=8 * H, daily_rest_s=12 * H
    )
    assert stricter.daily_driving_s == 8 * H  # kept as given


LAXER = [
    ("break_after_driving_s", 4.5 * H + 1),
    ("break_s", 44 * MIN),
    ("split_first_s", 14 * MIN),
    ("split_second_s", 29 * MIN),
    ("daily_driving_s", 9 * H + 1),
    ("extended_daily_driving_s", 10 * H + 1),
    ("extended_days_per_week", 3),
    ("weekly_driving_s", 57 * H),
    ("fortnight_driving_s", 91 * H),
    ("daily_rest_s", 10 * H),
    ("reduced_daily_rest_s", 8 * H),
    ("reduced_rests_between_weekly", 4),
    ("split_rest_first_s", 2 * H),
    ("split_rest_second_s", 8 * H),
    ("rest_window_s", 25 * H),
    ("team_rest_window_s", 31 * H),
    ("team_daily_rest_s", 8 * H),
    ("weekly_rest_s", 44 * H),
    ("reduced_weekly_rest_s", 23 * H),
    ("weekly_rest_after_s", 145 * H),
    ("work_before_break_s", 6 * H + 1),
    ("work_break_6_9_s", 29 * MIN),
    ("work_break_over_9_s", 44 * MIN),
    ("work_break_part_s", 14 * MIN),
]


def test_every_limit_is_checked() -> None:
    numbers = {f.name for f in fields(RuleOptions) if f.type in ("float", "int")}
    assert numbers == {name for name, _ in LAXER}


@pytest.mark.parametrize(("name", "value"), LAXER)
def test_options_laxer_than_the_law_are_rejected(name: str, value: float) -> None:
    with pytest.raises(ValueError, match=f"^{name} must be within"):
        replace(LAW, **{name: value})  # type: ignore[arg-type]


def test_options_that_contradict_each_other_are_rejected() -> None:
    with pytest.raises(ValueError, match=r"^extended_daily_driving_s must be within 8 h..10 h"):
        RuleOptions(daily_driving_s=8 * H, extended_daily_driving_s=7 * H)
    with pytest.raises(ValueError, match=r"^reduced_daily_rest_s"):
        RuleOptions(reduced_daily_rest_s=11 * H + 1)


NUMBERS = [f.name for f in fields(DriverStartState) if f.type in ("float", "int")]


@pytest.mark.parametrize("name", NUMBERS)
def test_a_negative_counter_is_rejected(name: str) -> None:
    with pytest.raises(ValueError, match=f"^{name} is -1: it cannot be negative"):
        DriverStartState(**{name: -1})  # type: ignore[arg-type]


def day_of(driving_s: float, **more: float) -> DriverStartState:
    """A state whose day so far is driving_s of driving, all of it working time."""
    return DriverStartState(driving_today_s=driving_s, work_today_s=driving_s, **more)  # type: ignore[arg-type]


INFRINGING = [
    (
        day_of(5 * H, driving_since_break_s=5 * H),
        r"^driving_since_break_s is 5 h: over the 4 h 30 min of 561/2006 art. 7 already$",
    ),
    (
        day_of(10 * H + 60),
        r"^driving_today_s is 10 h 1 min: over the 10 h of 561/2006 art. 6\(1\)",
    ),
    (
        DriverStartState(extended_days_used=3),
        r"^extended_days_used is 3: over the 2 of 561/2006 art. 6\(1\)",
    ),
    (
        day_of(9.5 * H, extended_days_used=2),
        r"^driving_today_s is 9 h 30 min with extended_days_used 2",
    ),
    (
        DriverStartState(driving_this_week_s=57 * H),
        r"^driving_this_week_s is 57 h: .* art. 6\(2\)",
    ),
    (
        DriverStartState(driving_last_week_s=57 * H),
        r"^driving_last_week_s is 57 h: .* art. 6\(2\)",
    ),
    (
        DriverStartState(driving_this_week_s=45 * H, driving_last_week_s=46 * H),
        r"^driving_this_week_s \+ driving_last_week_s is 91 h: .* art. 6\(3\)",
    ),
    (DriverStartState(reduced_rests_used=4), r"^reduced_rests_used is 4: .* art. 8\(4\)"),
    (
        DriverStartState(work_since_break_s=6 * H + 60, work_today_s=7 * H),
        r"^work_since_break_s is 6 h 1 min: .* 2002/15/EC art. 5",
    ),
    (
        DriverStartState(driving_today_s=2 * H),
        r"^driving_today_s is 2 h, more than work_today_s \(0 s\)",
    ),
    (
        DriverStartState(work_since_break_s=2 * H),
        r"^work_since_break_s is 2 h, more than work_today_s",
    ),
]


@pytest.mark.parametrize(("start", "message"), INFRINGING)
def test_a_state_that_already_breaks_a_rule_is_rejected(
    start: DriverStartState, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        start.validate(LAW)
    with pytest.raises(ValueError, match=message):
        check_timeline(timeline(drive(1)), start=start)


def test_work_counters_are_not_checked_for_the_self_employed() -> None:
    DriverStartState(driving_today_s=2 * H, work_since_break_s=7 * H).validate(
        RuleOptions(working_time=False)
    )


def test_a_state_must_be_consistent_in_itself() -> None:
    with pytest.raises(
        ValueError, match=r"^driving_since_break_s is 2 h, more than driving_today_s"
    ):
        DriverStartState(driving_since_break_s=2 * H)
    with pytest.raises(
        ValueError, match=r"^last_daily_rest_end 2025-03-03 06:00:00 has no time zone"
    ):
        DriverStartState(last_daily_rest_end=MONDAY.replace(tzinfo=None))
    with pytest.raises(ValueError, match=r"^weekly_period_start .* is after last_daily_rest_end"):
        DriverStartState(
            last_daily_rest_end=MONDAY - timedelta(hours=30), weekly_period_start=MONDAY
        )


@pytest.mark.parametrize(
    ("start", "message"),
    [
        (
            DriverStartState(last_daily_rest_end=MONDAY + timedelta(hours=1)),
            r"^last_daily_rest_end .* is after the timeline's start",
        ),
        (
            DriverStartState(last_daily_rest_end=MONDAY - timedelta(hours=25)),
            r"^last_daily_rest_end is 25 h before .* art. 8\(2\) already",
        ),
        (
            DriverStartState(weekly_period_start=MONDAY - timedelta(hours=145)),
            r"^weekly_period_start is 145 h before .* art. 8\(6\) already",
        ),
    ],
)
def test_instants_of_the_state_must_fit_the_timeline(start: DriverStartState, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        check_timeline(timeline(drive(1)), start=start)


def test_a_team_driver_has_30_h_for_the_daily_rest() -> None:
    start = DriverStartState(last_daily_rest_end=MONDAY - timedelta(hours=25))
    assert check_timeline(timeline(drive(1)), RuleOptions(team_driving=True), start) == []


def test_the_defaults_are_a_rested_driver() -> None:
    assert DriverStartState() == RESTED
