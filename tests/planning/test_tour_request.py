"""Clock-time parsing, the stored form of a tour request, and the tour's earliest departure."""

from __future__ import annotations

import json
from datetime import UTC, datetime, time, timedelta, timezone

import pytest

from voltroute.domain import LatLon, StationPowerCurve
from voltroute.planning.pipeline import earliest_departure, time_zone_at
from voltroute.planning.tour_request import (
    SectionSpec,
    StartTime,
    TourRequest,
    parse_clock,
    parse_start_time,
    tour_request_from_json,
    tour_request_to_json,
)

HEIDELBERG = LatLon(49.40, 8.69)


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


# --- parse_clock ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("9:00:00", time(9, 0)),
        ("09:00", time(9, 0)),
        ("17:30:15", time(17, 30, 15)),
        (" 06:05 ", time(6, 5)),
        ("00:00:00", time(0, 0)),
        ("23:59:59", time(23, 59, 59)),
    ],
)
def test_parse_clock_accepts_24_hour_clock_times(text: str, expected: time) -> None:
    assert parse_clock(text) == expected


def test_parse_clock_reads_24_00_as_the_end_of_the_day() -> None:
    assert parse_clock("24:00:00") >= time(23, 59, 59)
    assert parse_clock("24:00") == parse_clock("24:00:00")


@pytest.mark.parametrize("text", ["25:00", "24:00:01", "12:60", "12:00:60", "9h", "noon", "9"])
def test_parse_clock_rejects_text_that_is_no_time_of_day_naming_it(text: str) -> None:
    with pytest.raises(ValueError, match=f"'{text}'"):
        parse_clock(text)


def test_parse_clock_rejects_empty_text() -> None:
    with pytest.raises(ValueError, match="not a clock time"):
        parse_clock("")


# --- parse_start_time -------------------------------------------------------------------------


def test_a_bare_clock_time_starts_at_its_next_occurrence() -> None:
    start = parse_start_time("08:00:00")
    assert (start.clock, start.local, start.instant) == (time(8, 0), None, None)
    assert start.text == "08:00:00"


def test_a_date_time_without_offset_is_local_time() -> None:
    start = parse_start_time("2026-05-04T08:00:00")
    assert (start.clock, start.instant) == (None, None)
    assert start.local == datetime(2026, 5, 4, 8, 0)


@pytest.mark.parametrize(
    ("text", "instant"),
    [
        ("2026-05-04T08:00:00Z", utc(2026, 5, 4, 8, 0)),
        ("2026-05-04T08:00:00z", utc(2026, 5, 4, 8, 0)),
        ("2026-05-04T08:00:00+02:00", utc(2026, 5, 4, 6, 0)),
        ("2026-05-04T08:00:00-05:00", utc(2026, 5, 4, 13, 0)),
    ],
)
def test_a_date_time_with_offset_is_an_instant(text: str, instant: datetime) -> None:
    start = parse_start_time(text)
    assert (start.clock, start.local) == (None, None)
    assert start.instant == instant
    assert start.instant is not None
    assert start.instant.utcoffset() is not None


@pytest.mark.parametrize("text", ["tomorrow morning", "2026-13-01T08:00:00", "8 o'clock"])
def test_parse_start_time_rejects_garbage_naming_the_text(text: str) -> None:
    with pytest.raises(ValueError, match=f"start_time_tour '{text}'"):
        parse_start_time(text)


# --- stored form ------------------------------------------------------------------------------


def tour_request(start_time: StartTime | None) -> TourRequest:
    return TourRequest(
        vehicle_id="010160700001",
        battery_level_start=0.8,
        battery_level_end=0.2,
        sections=(
            SectionSpec(
                section_id="s1",
                start=LatLon(49.4437, 8.5869),
                stop=LatLon(49.37, 8.6324),
                polyline=None,
                payload_kg=12_000.0,
                service_time_min=30.0,
                power_available_kw=150.0,
                opening_time=("08:00:00", "17:00:00"),
                power_curve=StationPowerCurve(((0.8, 150.0), (0.95, 30.0))),
            ),
            SectionSpec(
                section_id=None,
                start=None,
                stop=None,
                polyline="BFoz5xJ67i1B1B7PzIhaxL7Y",
                payload_kg=0.0,
                service_time_min=0.0,
                power_available_kw=0.0,
                opening_time=None,
            ),
        ),
        service_time_departure_min=15.0,
        start_time=start_time,
        corridor_m=5000,
        min_charge_duration_min=15,
        include_available_charging_stations=True,
        poi_info={"charging_station_types": ["T", "TT"], "max_price": 0.6},
    )


@pytest.mark.parametrize(
    "start_time",
    [
        None,
        StartTime(text="08:00:00", clock=time(8, 0)),
        StartTime(text="2026-05-04T08:00:00", local=datetime(2026, 5, 4, 8, 0)),
        StartTime(text="2026-05-04T08:00:00Z", instant=utc(2026, 5, 4, 8, 0)),
        StartTime(
            text="2026-05-04T08:00:00+02:00",
            instant=datetime(2026, 5, 4, 8, 0, tzinfo=timezone(timedelta(hours=2))),
        ),
    ],
    ids=["absent", "clock", "local", "utc", "offset"],
)
def test_a_tour_request_survives_the_trip_through_json(start_time: StartTime | None) -> None:
    request = tour_request(start_time)
    stored = json.loads(json.dumps(tour_request_to_json(request)))
    restored = tour_request_from_json(stored)
    assert restored == request
    if start_time is not None and start_time.instant is not None:
        assert restored.start_time is not None
        assert restored.start_time.instant is not None
        assert restored.start_time.instant.utcoffset() == start_time.instant.utcoffset()
    if start_time is not None and start_time.local is not None:
        assert restored.start_time is not None
        assert restored.start_time.local is not None
        assert restored.start_time.local.tzinfo is None


def test_a_tour_request_stored_before_stop_curves_reads_without_them() -> None:
    stored = json.loads(json.dumps(tour_request_to_json(tour_request(None))))
    for section in stored["sections"]:
        del section["power_curve"]
    assert [s.power_curve for s in tour_request_from_json(stored).sections] == [None, None]


# --- earliest departure -----------------------------------------------------------------------


def test_the_origin_time_zone_comes_from_its_coordinates() -> None:
    assert time_zone_at(HEIDELBERG) == "Europe/Berlin"
    assert time_zone_at(LatLon(51.5, -0.12)) == "Europe/London"


def test_a_clock_time_already_past_today_starts_tomorrow() -> None:
    now = utc(2026, 5, 4, 10, 0)  # 12:00 CEST
    start = StartTime(text="08:00:00", clock=time(8, 0))
    assert earliest_departure(start, HEIDELBERG, now) == utc(2026, 5, 5, 6, 0)


def test_a_clock_time_still_ahead_today_starts_today() -> None:
    now = utc(2026, 5, 4, 10, 0)  # 12:00 CEST
    start = StartTime(text="14:00:00", clock=time(14, 0))
    assert earliest_departure(start, HEIDELBERG, now) == utc(2026, 5, 4, 12, 0)


def test_a_clock_time_is_local_to_the_origin_not_utc() -> None:
    # 00:30Z is already 02:30 CEST: a 01:00 start is past and means tomorrow, local time.
    now = utc(2026, 5, 4, 0, 30)
    start = StartTime(text="01:00:00", clock=time(1, 0))
    assert earliest_departure(start, HEIDELBERG, now) == utc(2026, 5, 4, 23, 0)


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (utc(2026, 5, 4, 10, 0), utc(2026, 5, 5, 6, 0)),  # 12:00 CEST: tomorrow 08:00 CEST
        (utc(2026, 5, 4, 5, 0), utc(2026, 5, 4, 6, 0)),  # 07:00 CEST: today 08:00 CEST
        (utc(2026, 1, 13, 12, 0), utc(2026, 1, 14, 7, 0)),  # winter: 08:00 CET
        (utc(2026, 3, 28, 12, 0), utc(2026, 3, 29, 6, 0)),  # 08:00 on the day clocks go forward
    ],
)
def test_without_start_time_the_tour_starts_at_the_next_8_00_local(
    now: datetime, expected: datetime
) -> None:
    assert earliest_departure(None, HEIDELBERG, now) == expected


def test_an_instant_is_kept_as_given() -> None:
    instant = datetime(2026, 5, 4, 8, 0, tzinfo=timezone(timedelta(hours=2)))
    start = StartTime(text="2026-05-04T08:00:00+02:00", instant=instant)
    assert earliest_departure(start, HEIDELBERG, utc(2026, 5, 10)) == instant


def test_a_local_date_time_is_read_in_the_origin_time_zone() -> None:
    start = StartTime(text="2026-05-04T08:00:00", local=datetime(2026, 5, 4, 8, 0))
    assert earliest_departure(start, HEIDELBERG, utc(2026, 5, 1)) == utc(2026, 5, 4, 6, 0)
