"""Opening hours: every source's form converted to OSM syntax, queried in local station time.

OSM `opening_hours` strings are parsed by opening-hours-py; OCPI `regular_hours` and the BNetzA
weekday/time columns are first written as OSM syntax so that one parser answers every question.
Times are compared as local wall-clock times of the station's time zone (a DST change inside an
interval is resolved by zoneinfo's default fold).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

import opening_hours
from timezonefinder import TimezoneFinder

from voltroute.domain import LatLon
from voltroute.stations.importing import RowError

ALWAYS_OPEN = "24/7"
FALLBACK_TIME_ZONE = "Europe/Berlin"
OSM_WEEKDAYS = ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")
_CLOCK = re.compile(r"^([01]?\d|2[0-4]):([0-5]\d)$")


def checked_osm_hours(text: str) -> str:
    """The stripped OSM opening_hours string, or RowError when it does not parse."""
    stripped = text.strip()
    if not stripped:
        raise RowError("opening hours are empty")
    if not opening_hours.validate(stripped):
        raise RowError(f"invalid opening hours {stripped!r} (not OSM opening_hours syntax)")
    return stripped


def weekly_hours_to_osm(periods: Iterable[tuple[int, str, str]]) -> str:
    """OSM syntax for (weekday 1=Monday..7=Sunday, "HH:MM", "HH:MM") periods; RowError if bad.

    An end of 23:59 is read as 24:00 (registers write whole days that way); an end before the
    begin runs past midnight, as OSM syntax reads it too.
    """
    rules: list[str] = []
    for weekday, begin, end in periods:
        if not 1 <= weekday <= 7:
            raise RowError(f"weekday {weekday} is not 1 (Monday) .. 7 (Sunday)")
        begin_clock, end_clock = _clock(begin), _clock(end)
        if end_clock == "23:59":
            end_clock = "24:00"
        rules.append(f"{OSM_WEEKDAYS[weekday - 1]} {begin_clock}-{end_clock}")
    if not rules:
        raise RowError("opening hours have no periods")
    return checked_osm_hours("; ".join(_merge_days(rules)))


def is_open(hours: str | None, time_zone: str, start: datetime, end: datetime) -> bool:
    """Whether the station is open through the whole span [start, end] (aware datetimes)."""
    if end < start:
        raise ValueError("end must not be before start")
    if hours is None:
        return True
    if start == end:
        return _open_at(hours, time_zone, start)
    covered_until = start
    for opens, closes in open_intervals(hours, time_zone, start, end):
        if opens > covered_until:
            return False
        covered_until = max(covered_until, closes)
        if covered_until >= end:
            return True
    return False


def open_intervals(
    hours: str | None, time_zone: str, start: datetime, end: datetime
) -> list[tuple[datetime, datetime]]:
    """Open spans within [start, end], merged and clipped, as aware datetimes in time_zone."""
    if start.tzinfo is None or end.tzinfo is None:
        raise ValueError("start and end must be timezone-aware")
    zone = ZoneInfo(time_zone)
    if hours is None:
        return [(start.astimezone(zone), end.astimezone(zone))] if end > start else []
    local_start = start.astimezone(zone).replace(tzinfo=None)
    local_end = end.astimezone(zone).replace(tzinfo=None)
    merged: list[tuple[datetime, datetime]] = []
    for opens, closes, state, _comment in _parse(hours).intervals(local_start, local_end):
        if state != opening_hours.State.OPEN or closes is None or closes <= opens:
            continue
        if merged and opens <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], closes))
        else:
            merged.append((opens, closes))
    return [
        (max(a.replace(tzinfo=zone), start), min(b.replace(tzinfo=zone), end)) for a, b in merged
    ]


def time_zone_at(position: LatLon) -> str:
    """IANA time zone of a position (offline lookup)."""
    name = time_zone_finder().timezone_at(lng=position.lon, lat=position.lat)
    return name if isinstance(name, str) else FALLBACK_TIME_ZONE


def _open_at(hours: str, time_zone: str, moment: datetime) -> bool:
    local = moment.astimezone(ZoneInfo(time_zone)).replace(tzinfo=None)
    return bool(_parse(hours).is_open(local))


@lru_cache(maxsize=4096)
def _parse(text: str) -> opening_hours.OpeningHours:
    return opening_hours.OpeningHours(text)


@lru_cache(maxsize=1)
def time_zone_finder() -> TimezoneFinder:
    return TimezoneFinder(in_memory=True)


def _clock(text: str) -> str:
    match = _CLOCK.match(text.strip())
    if not match or (match[1] == "24" and match[2] != "00"):
        raise RowError(f"{text!r} is not a clock time HH:MM")
    return f"{int(match[1]):02d}:{match[2]}"


def _merge_days(rules: list[str]) -> list[str]:
    """One rule per set of days with equal spans: a later OSM rule for a day replaces an earlier
    one, so two periods of one day must share a rule (Mo 08:00-12:00,14:00-18:00)."""
    spans_by_day: dict[str, list[str]] = {}
    for rule in rules:
        day, span = rule.split(" ", 1)
        spans_by_day.setdefault(day, []).append(span)
    by_span: dict[str, list[str]] = {}
    for day in OSM_WEEKDAYS:
        if day in spans_by_day:
            by_span.setdefault(",".join(sorted(spans_by_day[day])), []).append(day)
    if list(by_span) == ["00:00-24:00"] and len(by_span["00:00-24:00"]) == 7:
        return [ALWAYS_OPEN]
    return [f"{_day_ranges(days)} {span}" for span, days in by_span.items()]


def _day_ranges(days: list[str]) -> str:
    """Mo,Tu,We,Fr -> Mo-We,Fr (runs of three or more days as ranges, like OSM mappers write)."""
    numbers = [OSM_WEEKDAYS.index(d) for d in days]
    parts: list[str] = []
    start = 0
    for i in range(1, len(numbers) + 1):
        if i == len(numbers) or numbers[i] != numbers[i - 1] + 1:
            run = numbers[start:i]
            if len(run) >= 3:
                parts.append(f"{OSM_WEEKDAYS[run[0]]}-{OSM_WEEKDAYS[run[-1]]}")
            else:
                parts.extend(OSM_WEEKDAYS[n] for n in run)
            start = i
    return ",".join(parts)
