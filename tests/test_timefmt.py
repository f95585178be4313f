"""timefmt: every time Voltroute shows is rounded to its unit, never cut."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from voltroute.timefmt import clock, iso_local, iso_utc, iso_utc_ms, parse_iso

CET = timezone(timedelta(hours=1))


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (datetime(2026, 1, 13, 7, 44, 57, 600_000, tzinfo=UTC), "2026-01-13T07:44:58Z"),
        (datetime(2026, 1, 13, 7, 44, 57, 499_999, tzinfo=UTC), "2026-01-13T07:44:57Z"),
        (datetime(2026, 1, 13, 5, 59, 59, 500_000, tzinfo=CET), "2026-01-13T05:00:00Z"),
        (datetime(2026, 12, 31, 23, 59, 59, 700_000, tzinfo=UTC), "2027-01-01T00:00:00Z"),
        (datetime(2026, 1, 13, 7, 0, tzinfo=UTC), "2026-01-13T07:00:00Z"),
    ],
)
def test_iso_utc_rounds_to_the_nearest_second(moment: datetime, expected: str) -> None:
    assert iso_utc(moment) == expected


def test_a_naive_moment_is_taken_as_utc() -> None:
    assert iso_utc(datetime(2026, 1, 13, 7, 0, 0, 900_000)) == "2026-01-13T07:00:01Z"


def test_milliseconds_round_too() -> None:
    moment = datetime(2026, 1, 13, 7, 0, 0, 999_600, tzinfo=UTC)
    assert iso_utc_ms(moment) == "2026-01-13T07:00:01.000Z"


def test_local_times_round_and_carry_their_offset() -> None:
    moment = datetime(2026, 7, 1, 4, 14, 50, 854_000, tzinfo=UTC)
    assert iso_local(moment, "Europe/Berlin") == "2026-07-01T06:14:51+02:00"


def test_the_clock_rounds_to_the_minute_at_the_offset_asked() -> None:
    assert clock(parse_iso("2026-01-13T04:59:59Z"), CET) == "01-13 06:00"
    assert clock(parse_iso("2026-01-13T05:14:29Z"), CET) == "01-13 06:14"
    assert clock(parse_iso("2026-01-13T05:14:30Z"), CET, with_date=False) == "06:15"
    assert clock(parse_iso("2026-01-13T05:14:30Z")) == "01-13 05:15"


def test_what_is_written_reads_back_as_the_same_instant() -> None:
    moment = datetime(2026, 1, 13, 6, 0, tzinfo=CET)
    assert parse_iso(iso_utc(moment)) == moment
    assert parse_iso(iso_local(moment, "Europe/Berlin")) == moment
