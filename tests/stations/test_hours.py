from __future__ import annotations

from datetime import UTC, datetime

import pytest

from voltroute.stations import RowError, is_open, open_intervals
from voltroute.stations.hours import checked_osm_hours, weekly_hours_to_osm

BERLIN = "Europe/Berlin"


def test_is_open_is_judged_in_the_stations_local_time() -> None:
    # Monday 2026-01-05: 07:30 UTC is 08:30 in Berlin.
    start, end = datetime(2026, 1, 5, 7, 30, tzinfo=UTC), datetime(2026, 1, 5, 8, 30, tzinfo=UTC)
    assert is_open("Mo-Fr 08:00-18:00", BERLIN, start, end)
    assert not is_open("Mo-Fr 08:00-18:00", "Europe/London", start, end)


def test_a_span_across_closing_time_is_not_open() -> None:
    start = datetime(2026, 1, 5, 16, 30, tzinfo=UTC)  # 17:30 local
    end = datetime(2026, 1, 5, 17, 30, tzinfo=UTC)  # 18:30 local
    assert not is_open("Mo-Fr 08:00-18:00", BERLIN, start, end)
    assert is_open(None, BERLIN, start, end)
    assert is_open("24/7", BERLIN, start, end)


def test_open_intervals_over_a_horizon_merge_across_midnight() -> None:
    start = datetime(2026, 1, 5, 0, 0, tzinfo=UTC)
    end = datetime(2026, 1, 8, 0, 0, tzinfo=UTC)
    spans = open_intervals("Mo-Su 20:00-06:00", BERLIN, start, end)
    # The first span is Sunday night's, clipped at the horizon's start (01:00 local).
    assert spans[0][0].isoformat() == "2026-01-05T01:00:00+01:00"
    assert [(a.isoformat(), b.isoformat()) for a, b in spans][1:3] == [
        ("2026-01-05T20:00:00+01:00", "2026-01-06T06:00:00+01:00"),
        ("2026-01-06T20:00:00+01:00", "2026-01-07T06:00:00+01:00"),
    ]


def test_weekly_periods_become_osm_syntax_with_two_periods_a_day_in_one_rule() -> None:
    periods = [(1, "08:00", "12:00"), (1, "14:00", "18:00"), (2, "00:00", "23:59")]
    assert weekly_hours_to_osm(periods) == "Mo 08:00-12:00,14:00-18:00; Tu 00:00-24:00"
    every_day = [(d, "00:00", "23:59") for d in range(1, 8)]
    assert weekly_hours_to_osm(every_day) == "24/7"


@pytest.mark.parametrize("text", ["", "Mo-Fr 25:00-26:00", "sometimes"])
def test_invalid_opening_hours_are_rejected(text: str) -> None:
    with pytest.raises(RowError):
        checked_osm_hours(text)
