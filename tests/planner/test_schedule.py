"""Clock times: waiting for windows, late arrivals, local time zones and the best drive-off."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from voltroute.planner import ArrivalWindow
from voltroute.planner.schedule import StopTiming, best_drive_off, run_clock, window_bounds

BERLIN = "Europe/Berlin"
H = 3600.0
NINE_TO_FIVE = ArrivalWindow(time(9, 0), time(17, 0))
NIGHT = ArrivalWindow(time(22, 0), time(6, 0))


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def test_arriving_before_the_window_waits_until_it_opens() -> None:
    # 07:00 CET is 06:00Z; one hour of driving arrives at 08:00 CET, the window opens at 09:00.
    stops = [StopTiming(driving_s=H, dwell_s=1800.0, window=NINE_TO_FIVE, time_zone=BERLIN)]
    (stop,) = run_clock(utc(2026, 1, 13, 6, 0), stops)
    assert stop.arrival == utc(2026, 1, 13, 7, 0)
    assert stop.waiting_s == H
    assert stop.window_met is True
    assert stop.departure == utc(2026, 1, 13, 8, 30)  # opens 08:00Z, plus 30 min dwell


def test_arriving_after_the_window_closes_marks_it_missed_without_waiting() -> None:
    early = ArrivalWindow(time(6, 0), time(7, 0))
    stops = [StopTiming(driving_s=H, dwell_s=600.0, window=early, time_zone=BERLIN)]
    (stop,) = run_clock(utc(2026, 1, 13, 6, 0), stops)  # arrives 08:00 CET
    assert stop.window_met is False
    assert stop.waiting_s == 0.0
    assert stop.departure == stop.arrival + timedelta(seconds=600)


def test_a_stop_without_window_has_no_verdict_and_no_waiting() -> None:
    stops = [StopTiming(driving_s=H, dwell_s=0.0, window=None, time_zone=BERLIN)]
    (stop,) = run_clock(utc(2026, 1, 13, 6, 0), stops)
    assert stop.window_met is None
    assert stop.waiting_s == 0.0


def test_each_stop_departs_after_the_previous_one_plus_driving() -> None:
    stops = [
        StopTiming(driving_s=H, dwell_s=900.0, window=None, time_zone=BERLIN),
        StopTiming(driving_s=2 * H, dwell_s=0.0, window=NINE_TO_FIVE, time_zone=BERLIN),
    ]
    first, second = run_clock(utc(2026, 1, 13, 6, 0), stops)
    assert first.departure == utc(2026, 1, 13, 7, 15)
    assert second.arrival == utc(2026, 1, 13, 9, 15)  # 10:15 CET, inside the window
    assert second.waiting_s == 0.0


def test_best_drive_off_removes_all_waiting_at_a_single_stop() -> None:
    stops = [StopTiming(driving_s=H, dwell_s=0.0, window=NINE_TO_FIVE, time_zone=BERLIN)]
    earliest = utc(2026, 1, 13, 6, 0)
    best = best_drive_off(earliest, stops)
    assert best == earliest + timedelta(hours=1)
    (stop,) = run_clock(best, stops)
    assert stop.waiting_s == 0.0
    assert stop.window_met is True


def test_best_drive_off_keeps_a_tight_earlier_window_met() -> None:
    # Stop 1 is met with 30 min to spare; stop 2 waits 2 h. Only 30 min of delay are safe.
    tight = ArrivalWindow(time(8, 0), time(8, 30))
    late = ArrivalWindow(time(11, 0), time(12, 0))
    stops = [
        StopTiming(driving_s=H, dwell_s=0.0, window=tight, time_zone=BERLIN),
        StopTiming(driving_s=H, dwell_s=0.0, window=late, time_zone=BERLIN),
    ]
    earliest = utc(2026, 1, 13, 6, 0)  # arrivals 08:00 and 09:00 CET
    before = run_clock(earliest, stops)
    assert [s.waiting_s for s in before] == [0.0, 2 * H]
    best = best_drive_off(earliest, stops)
    assert best == earliest + timedelta(minutes=30)
    after = run_clock(best, stops)
    assert [s.window_met for s in after] == [True, True]
    assert after[1].waiting_s == 1.5 * H


def test_best_drive_off_is_the_earliest_when_nobody_waits() -> None:
    stops = [StopTiming(driving_s=H, dwell_s=0.0, window=NINE_TO_FIVE, time_zone=BERLIN)]
    earliest = utc(2026, 1, 13, 9, 0)  # arrives 11:00 CET
    assert best_drive_off(earliest, stops) == earliest


def test_a_window_past_midnight_closes_the_next_day() -> None:
    opens, closes = window_bounds(NIGHT, utc(2026, 1, 13, 21, 30), BERLIN)  # 22:30 CET
    assert opens == utc(2026, 1, 13, 21, 0)
    assert closes == utc(2026, 1, 14, 5, 0)


def test_arriving_late_in_the_evening_meets_a_window_past_midnight() -> None:
    stops = [StopTiming(driving_s=H, dwell_s=0.0, window=NIGHT, time_zone=BERLIN)]
    (stop,) = run_clock(utc(2026, 1, 13, 21, 30), stops)  # arrives 23:30 CET
    assert stop.window_met is True
    assert stop.waiting_s == 0.0


def test_arriving_after_midnight_inside_a_window_past_midnight_does_not_wait() -> None:
    stops = [StopTiming(driving_s=H, dwell_s=0.0, window=NIGHT, time_zone=BERLIN)]
    (stop,) = run_clock(utc(2026, 1, 13, 23, 0), stops)  # arrives 01:00 CET on the 14th
    assert stop.window_met is True
    assert stop.waiting_s == 0.0


@pytest.mark.parametrize(
    ("arrival", "time_zone", "opens_utc"),
    [
        (utc(2026, 1, 13, 6, 0), "Europe/Berlin", utc(2026, 1, 13, 8, 0)),  # CET, UTC+1
        (utc(2026, 7, 14, 6, 0), "Europe/Berlin", utc(2026, 7, 14, 7, 0)),  # CEST, UTC+2
        (utc(2026, 1, 13, 6, 0), "Europe/London", utc(2026, 1, 13, 9, 0)),  # GMT
        (utc(2026, 7, 14, 6, 0), "Europe/Helsinki", utc(2026, 7, 14, 6, 0)),  # EEST, UTC+3
    ],
    ids=["berlin-winter", "berlin-summer", "london-winter", "helsinki-summer"],
)
def test_a_window_opens_at_local_clock_time_of_the_stop(
    arrival: datetime, time_zone: str, opens_utc: datetime
) -> None:
    opens, closes = window_bounds(NINE_TO_FIVE, arrival, time_zone)
    assert opens == opens_utc
    assert closes - opens == timedelta(hours=8)


def test_waiting_for_a_window_follows_the_stop_time_zone() -> None:
    stops = [StopTiming(driving_s=0.0, dwell_s=0.0, window=NINE_TO_FIVE, time_zone=BERLIN)]
    (winter,) = run_clock(utc(2026, 1, 13, 6, 0), stops)
    (summer,) = run_clock(utc(2026, 7, 14, 6, 0), stops)
    assert winter.waiting_s == 2 * H
    assert summer.waiting_s == 1 * H


def test_the_window_follows_the_local_day_not_the_utc_day() -> None:
    # 23:30Z on the 13th is 00:30 CET on the 14th: the window is the 14th's.
    opens, _ = window_bounds(NINE_TO_FIVE, utc(2026, 1, 13, 23, 30), BERLIN)
    assert opens == utc(2026, 1, 14, 8, 0)


# --- properties -------------------------------------------------------------------------------

clock_times = st.builds(time, st.integers(0, 23), st.sampled_from([0, 15, 30, 45]))
windows = st.one_of(
    st.none(),
    st.builds(ArrivalWindow, clock_times, clock_times).filter(lambda w: w.opens != w.closes),
)
stop_timings = st.builds(
    StopTiming,
    driving_s=st.integers(0, 10 * 3600).map(float),
    dwell_s=st.integers(0, 4 * 3600).map(float),
    window=windows,
    time_zone=st.sampled_from(["Europe/Berlin", "Europe/London", "UTC"]),
)
drive_offs = st.datetimes(
    min_value=datetime(2026, 1, 1), max_value=datetime(2026, 12, 31), timezones=st.just(UTC)
)
tours = st.lists(stop_timings, min_size=1, max_size=4)


def windows_met(drive_off: datetime, stops: list[StopTiming]) -> int:
    return sum(1 for s in run_clock(drive_off, stops) if s.window_met)


def tour_duration(drive_off: datetime, stops: list[StopTiming]) -> timedelta:
    return run_clock(drive_off, stops)[-1].arrival - drive_off


@given(earliest=drive_offs, stops=tours)
def test_best_drive_off_never_meets_fewer_windows_than_the_earliest(
    earliest: datetime, stops: list[StopTiming]
) -> None:
    best = best_drive_off(earliest, stops)
    assert best >= earliest
    assert windows_met(best, stops) >= windows_met(earliest, stops)


# Driving off at 22:50 CET: stop 1 is reached at 23:50 and its 09:00-10:00 window is missed;
# stop 2 is reached at 06:00 and waits 1 h for its 07:00-08:00 window. Delaying by that hour
# moves stop 1 past midnight onto the next day's window: it waits 8 h 10 min there and is now
# met, stop 2 is reached at 15:10 and missed. The count of met windows is unchanged, so the
# delay is accepted, but the tour is 8 h 10 min longer and the window that was met is lost.
MISSED_THEN_EARLY = [
    StopTiming(3600.0, 0.0, ArrivalWindow(time(9, 0), time(10, 0)), "Europe/Berlin"),
    StopTiming(6 * 3600.0 + 600.0, 0.0, ArrivalWindow(time(7, 0), time(8, 0)), "Europe/Berlin"),
]


@given(earliest=drive_offs, stops=tours)
@example(earliest=datetime(2026, 1, 13, 21, 50, tzinfo=UTC), stops=MISSED_THEN_EARLY)
def test_best_drive_off_never_makes_the_tour_longer_than_the_earliest(
    earliest: datetime, stops: list[StopTiming]
) -> None:
    best = best_drive_off(earliest, stops)
    assert tour_duration(best, stops) <= tour_duration(earliest, stops)
