"""The validated tour request, independent of the wire format, and its clock-time parsing."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, time
from typing import Any

from voltroute.db.json_codec import JsonCodec
from voltroute.domain import LatLon, StationPowerCurve
from voltroute.tachograph import LAW, RESTED, DriverStartState, RuleOptions

_CLOCK = re.compile(r"^(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?$")


@dataclass(frozen=True, slots=True)
class SectionSpec:
    """One requested leg: positions or a HERE Flexible Polyline, and the stop at its end."""

    section_id: str | None
    start: LatLon | None
    stop: LatLon | None
    polyline: str | None
    payload_kg: float
    service_time_min: float
    power_available_kw: float
    opening_time: tuple[str, ...] | None
    # Whether the driver is free during the service at the stop (drop trailer, loading by the
    # customer's staff): only then can it host a break or a rest. None: the tour's default.
    driver_free_during_service: bool | None = None
    # The stop's charger's limit over SoC under power_available_kw (extension; old jobs: None).
    power_curve: StationPowerCurve | None = None


@dataclass(frozen=True, slots=True)
class StartTime:
    """When the tour may start: a local clock time, a local date-time, or an absolute instant."""

    text: str
    clock: time | None = None  # "08:00:00": next occurrence, local time at the first stop
    local: datetime | None = None  # naive ISO-8601: local time at the first stop
    instant: datetime | None = None  # ISO-8601 with offset or Z


@dataclass(frozen=True, slots=True)
class TourRequest:
    """Everything a job needs to plan a tour."""

    vehicle_id: str
    battery_level_start: float
    battery_level_end: float
    sections: tuple[SectionSpec, ...]
    service_time_departure_min: float
    start_time: StartTime | None
    corridor_m: int
    min_charge_duration_min: int
    include_available_charging_stations: bool
    poi_info: dict[str, Any] | None
    tenant_id: int | None = None  # whose custom vehicles vehicle_id may name; absent in old jobs
    # A station whose source does not carry a filtered field passes that filter (extension).
    accept_unknown_station_data: bool = False
    # The served region chosen at submission (it holds every stop); old jobs: the default region.
    region_name: str | None = None
    # The driver rules (extension; old jobs: the law's, a single driver with working time),
    # the driver's state at the start (old jobs: fully rested) and whether the driver is free
    # during service at the stops whose section does not say.
    rule_options: RuleOptions = LAW
    driver_state: DriverStartState = RESTED
    driver_free_during_service: bool = False

    def driver_free_at(self, index: int) -> bool:
        """Whether the driver is free during the service at the end of section index."""
        own = self.sections[index].driver_free_during_service
        return self.driver_free_during_service if own is None else own


_TOUR_REQUEST = JsonCodec(TourRequest)

tour_request_to_json = _TOUR_REQUEST.dump
tour_request_from_json = _TOUR_REQUEST.load


def parse_clock(text: str) -> time:
    """Parse "H:MM", "HH:MM:SS" (24 h); ValueError with the offending text otherwise."""
    match = _CLOCK.match(text.strip())
    if not match:
        raise ValueError(f"'{text}' is not a clock time (expected HH:MM:SS)")
    hour, minute, second = int(match[1]), int(match[2]), int(match[3] or 0)
    if hour == 24 and minute == 0 and second == 0:
        return time.max  # end of day
    if hour > 23 or minute > 59 or second > 59:
        raise ValueError(f"'{text}' is not a valid time of day")
    return time(hour, minute, second)


def parse_start_time(text: str) -> StartTime:
    """Parse start_time_tour: HH:MM:SS, or ISO-8601 with or without offset."""
    stripped = text.strip()
    if _CLOCK.match(stripped):
        return StartTime(text=text, clock=parse_clock(stripped))
    try:
        moment = datetime.fromisoformat(stripped.replace("z", "Z"))
    except ValueError:
        raise ValueError(
            f"start_time_tour '{text}' is neither HH:MM:SS nor an ISO-8601 date-time"
        ) from None
    if moment.tzinfo is None:
        return StartTime(text=text, local=moment)
    return StartTime(text=text, instant=moment)
