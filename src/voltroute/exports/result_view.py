"""A result body (the contract's JSON) read once into the parts every export draws: route, stops,
stations, and what the driver does (the activity timeline extension).

Exports start from the JSON, not from the domain `Plan`, so that a result fetched from a server
(`voltroute submit`) exports exactly like one planned in-process or stored in the job database.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from voltroute.routing.flexpolyline import decode_polyline
from voltroute.timefmt import iso_utc, parse_iso

ORIGIN = "origin"
"""`stop_type` of the tour's first position: not a result section's stop, but a waypoint."""

ACTIVITY_KINDS = ("driving", "other_work", "availability", "break", "daily_rest", "weekly_rest")
"""The driver's activities a result names (a tachograph's, EU 561/2006 and 2002/15/EC)."""
ROADSIDE_ACTIVITY = {"break": "break", "daily_rest": "daily_rest", "weekly_rest": "weekly_rest"}
"""What the driver does at a roadside stop, by its stop_type, for results without activities."""


class ResultShapeError(ValueError):
    """The body is not a Planner API result (a field is missing or has the wrong type)."""


@dataclass(frozen=True, slots=True)
class RoutePoint:
    """A point of the route geometry; elevation in metres when the polyline carries it."""

    lat: float
    lon: float
    elevation_m: float | None


@dataclass(frozen=True, slots=True)
class SectionView:
    """One driven result section (a leg ending at a stop)."""

    index: int
    section_id: str | None
    points: tuple[RoutePoint, ...]
    length_m: float
    duration_min: float | None
    energy_kwh: float | None
    soc_start: float | None
    soc_end: float | None
    payload_kg: float | None


@dataclass(frozen=True, slots=True)
class ActivityView:
    """One interval of what the driver does: driving, other work, availability, break or rest."""

    activity: str  # one of ACTIVITY_KINDS (another server's kind is kept as it is)
    start: str  # ISO-8601 UTC, as in the result
    end: str
    start_local: str | None  # ISO-8601 with the place's UTC offset
    end_local: str | None
    duration_min: float
    place: str | None = None  # in the tour's timeline (not in a stop's own list)


@dataclass(frozen=True, slots=True)
class DriverTimelineView:
    """One driver's activities over the tour, in order (two drivers when the truck has a team)."""

    driver: int
    activities: tuple[ActivityView, ...]


@dataclass(frozen=True, slots=True)
class RuleFinding:
    """An infringement the result's rule check found (normally there is none)."""

    driver: int | None
    article: str | None  # None: no article (the driver's state at the start is itself wrong)
    rule: str
    at: str | None
    detail: str


@dataclass(frozen=True, slots=True)
class StopView:
    """A place where the truck stands: the origin, or the stop ending a result section."""

    sequence: int  # 0 is the origin, n the stop at the end of section n - 1
    stop_type: str  # origin, customer, destination, charging, break, daily_rest
    name: str
    lat: float
    lon: float
    arrival_time: str | None  # ISO-8601 UTC, as in the result
    departure_time: str | None
    arrival_time_local: str | None
    soc_arrival: float | None
    soc_departure: float | None
    energy_kwh: float | None  # charged here
    charge_time_min: float | None
    service_time_min: float | None  # the whole stop less waiting, as the contract defines it
    waiting_time_min: float | None
    break_time_min: float | None
    rest_time_min: float | None
    station_id: str | None
    address: str | None
    time_window_met: bool | None
    # From arrival to departure, what the driver does (the origin: before driving off). None:
    # the result does not say (an older result, another server's); exports fall back to the
    # stop's minutes then.
    activities: tuple[ActivityView, ...] | None = None
    driver_free_during_service: bool | None = None

    @property
    def activity_minutes(self) -> dict[str, float]:
        """Minutes per activity at this stop, in the order they first occur (empty: unknown)."""
        minutes: dict[str, float] = {}
        for part in self.activities or ():
            minutes[part.activity] = minutes.get(part.activity, 0.0) + part.duration_min
        return minutes

    @property
    def main_activity(self) -> str | None:
        """What the driver does for most of the stop: the longest activity's kind, or a
        roadside break or rest stop's kind when the result has no activities."""
        minutes = self.activity_minutes
        if minutes:
            return max(minutes, key=lambda kind: minutes[kind])
        return ROADSIDE_ACTIVITY.get(self.stop_type)


@dataclass(frozen=True, slots=True)
class StationView:
    """A charging station in the route corridor."""

    station_id: str
    name: str
    lat: float
    lon: float
    power_kw: float | None
    scenario: bool  # a planned site from a scenario file, not a real charger
    candidate: bool  # passed the request's poi_info filters (in poi_list)
    used: bool  # a charging stop of the plan is here
    section_index: int | None
    detour_m: float | None
    truck_approved: str | None


@dataclass(frozen=True, slots=True)
class ResultView:
    """Everything the exports draw from one result."""

    optimization_id: int | None
    status: str | None
    qualification: str | None
    sections: tuple[SectionView, ...]
    stops: tuple[StopView, ...]
    stations: tuple[StationView, ...]
    # Extensions (empty or None in results without them).
    driver_timelines: tuple[DriverTimelineView, ...] = ()
    rule_check: tuple[RuleFinding, ...] = ()
    driver_rules_applied: Mapping[str, Any] | None = None

    @property
    def points(self) -> tuple[RoutePoint, ...]:
        """The whole route, section after section (shared end points repeated)."""
        return tuple(point for section in self.sections for point in section.points)

    def stop_during(self, activity: ActivityView) -> StopView | None:
        """The stop where the truck stands throughout the activity (the origin before it drives
        off), None for driving and for a result without times."""
        if activity.activity == "driving":
            return None
        start, end = parse_iso(activity.start), parse_iso(activity.end)
        slack = timedelta(seconds=1)  # both sides are rounded to the second
        for stop in self.stops:
            arrival = parse_iso(stop.arrival_time) if stop.arrival_time else None
            departure = parse_iso(stop.departure_time) if stop.departure_time else None
            if departure is None or end > departure + slack:
                continue
            if arrival is None or start >= arrival - slack:
                return stop
        return None


def read_result(body: Mapping[str, Any]) -> ResultView:
    """Read a result body; ResultShapeError names the first field that is not as expected."""
    raw_sections = body.get("sections")
    if not isinstance(raw_sections, list):
        raise ResultShapeError("result has no 'sections' list")
    sections = tuple(_section(i, s) for i, s in enumerate(raw_sections))
    timelines = _driver_timelines(body.get("activity_timeline"))
    stops = [_origin(raw_sections, timelines)] if raw_sections else []
    stops += [_stop(i + 1, s) for i, s in enumerate(raw_sections)]
    used = {stop.station_id for stop in stops if stop.station_id and stop.stop_type == "charging"}
    applied = body.get("driver_rules_applied")
    return ResultView(
        optimization_id=_int_or_none(body.get("optimization_id")),
        status=_str_or_none(body.get("status")),
        qualification=_str_or_none(body.get("qualification")),
        sections=sections,
        stops=tuple(stops),
        stations=_stations(body, used),
        driver_timelines=timelines,
        rule_check=_rule_check(body.get("rule_check")),
        driver_rules_applied=applied if isinstance(applied, Mapping) else None,
    )


def _section(index: int, raw: Any) -> SectionView:
    where = f"sections[{index}]"
    section = _mapping(raw, where)
    polyline = section.get("polyline")
    points: tuple[RoutePoint, ...] = ()
    if polyline:
        try:
            decoded = decode_polyline(str(polyline))
        except ValueError as error:
            raise ResultShapeError(f"{where}.polyline: {error}") from None
        points = tuple(RoutePoint(lat, lon, elevation) for lat, lon, elevation in decoded)
    start, stop = section.get("start_pos") or [], section.get("stop_pos") or []
    return SectionView(
        index=index,
        section_id=_str_or_none(section.get("section_id")),
        points=points,
        length_m=float(section.get("length_m") or 0.0),
        duration_min=_float_or_none(section.get("duration_min")),
        energy_kwh=_float_or_none(section.get("energy_kWh")),
        soc_start=_float_or_none(start[2]) if len(start) > 2 else None,
        soc_end=_float_or_none(stop[2]) if len(stop) > 2 else None,
        payload_kg=_float_or_none(section.get("payload_kg")),
    )


def _origin(raw_sections: Sequence[Any], timelines: Sequence[DriverTimelineView]) -> StopView:
    first = _mapping(raw_sections[0], "sections[0]")
    start = first.get("start_pos") or []
    if len(start) < 2:
        raise ResultShapeError("sections[0].start_pos: expected [lat, lon, soc]")
    summary = _mapping(first.get("poi_summary") or {}, "sections[0].poi_summary")
    soc = _float_or_none(start[2]) if len(start) > 2 else None
    departure = _departure_from_origin(first, summary)
    return StopView(
        sequence=0,
        stop_type=ORIGIN,
        name="Start",
        lat=float(start[0]),
        lon=float(start[1]),
        arrival_time=None,
        departure_time=departure,
        arrival_time_local=None,
        soc_arrival=None,
        soc_departure=soc,
        energy_kwh=None,
        charge_time_min=None,
        service_time_min=None,
        waiting_time_min=None,
        break_time_min=None,
        rest_time_min=None,
        station_id=None,
        address=None,
        time_window_met=None,
        activities=_before_departure(timelines, departure),
    )


def _before_departure(
    timelines: Sequence[DriverTimelineView], departure: str | None
) -> tuple[ActivityView, ...] | None:
    """The first driver's activities before the truck drives off (service at the depot), or
    None when the result has no timeline."""
    if not timelines:
        return None
    if departure is None:
        return ()
    # A derived departure may be a second off the timeline's (both are rounded).
    leaves = parse_iso(departure) + timedelta(seconds=1)
    return tuple(a for a in timelines[0].activities if parse_iso(a.end) <= leaves)


def _departure_from_origin(
    first: Mapping[str, Any], first_summary: Mapping[str, Any]
) -> str | None:
    stated = first.get("start_departure_time")
    if isinstance(stated, str):
        return iso_utc(parse_iso(stated))
    # A result without the extension (another server's): the first stop's arrival less the
    # first leg's driving (detours included). Both are rounded, so this may be a second off.
    arrival, minutes = first_summary.get("arrival_time"), first_summary.get("sec_duration_min")
    if not isinstance(arrival, str) or not isinstance(minutes, int | float):
        return None
    return iso_utc(parse_iso(arrival) - timedelta(minutes=minutes))


def _stop(sequence: int, raw: Any) -> StopView:
    where = f"sections[{sequence - 1}]"
    section = _mapping(raw, where)
    summary = _mapping(section.get("poi_summary") or {}, f"{where}.poi_summary")
    stop = section.get("stop_pos") or []
    lat = summary.get("coordinate_lat", stop[0] if len(stop) > 1 else None)
    lon = summary.get("coordinate_lon", stop[1] if len(stop) > 1 else None)
    if not isinstance(lat, int | float) or not isinstance(lon, int | float):
        raise ResultShapeError(f"{where}: the stop has no position")
    stop_type = _str_or_none(summary.get("stop_type")) or "customer"
    return StopView(
        sequence=sequence,
        stop_type=stop_type,
        name=_str_or_none(summary.get("name")) or f"Stop {sequence}",
        lat=float(lat),
        lon=float(lon),
        arrival_time=_str_or_none(summary.get("arrival_time")),
        departure_time=_str_or_none(summary.get("departure_time")),
        arrival_time_local=_str_or_none(summary.get("arrival_time_local")),
        soc_arrival=_float_or_none(summary.get("start_soc")),
        soc_departure=_float_or_none(summary.get("stop_soc")),
        energy_kwh=_float_or_none(summary.get("energy_kWh")),
        charge_time_min=_float_or_none(summary.get("charge_time_min")),
        service_time_min=_float_or_none(summary.get("service_time_min")),
        waiting_time_min=_float_or_none(summary.get("waiting_time_min")),
        break_time_min=_float_or_none(summary.get("break_time_min")),
        rest_time_min=_float_or_none(summary.get("rest_time_min")),
        station_id=_str_or_none(summary.get("station_id")),
        address=_str_or_none(summary.get("address")),
        time_window_met=summary.get("time_window_met")
        if isinstance(summary.get("time_window_met"), bool)
        else None,
        activities=_stop_activities(section, summary, where, stop_time=_stands(summary)),
        driver_free_during_service=_bool_or_none(
            summary.get("driver_free_during_service", section.get("driver_free_during_service"))
        ),
    )


def _stop_activities(
    section: Mapping[str, Any], summary: Mapping[str, Any], where: str, stop_time: bool
) -> tuple[ActivityView, ...] | None:
    """The stop's activities (in poi_summary, or beside it in the section); None when absent,
    or empty for a stop where the truck stands (a plan made before stops had activities)."""
    for raw, at in ((summary, f"{where}.poi_summary"), (section, where)):
        if raw.get("activities") is not None:
            activities = _activities(raw["activities"], f"{at}.activities")
            return activities if activities or not stop_time else None
    return None


def _stands(summary: Mapping[str, Any]) -> bool:
    """Whether the truck stands at the stop for a while (departure after arrival)."""
    arrival, departure = summary.get("arrival_time"), summary.get("departure_time")
    if not isinstance(arrival, str) or not isinstance(departure, str):
        return False
    try:
        return parse_iso(departure) > parse_iso(arrival)
    except ValueError:
        return False


def _driver_timelines(raw: Any) -> tuple[DriverTimelineView, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise ResultShapeError("activity_timeline: expected a list")
    out = []
    for index, entry in enumerate(raw):
        where = f"activity_timeline[{index}]"
        timeline = _mapping(entry, where)
        driver = _int_or_none(timeline.get("driver"))
        out.append(
            DriverTimelineView(
                driver=driver if driver is not None else index + 1,
                activities=_activities(timeline.get("activities") or [], f"{where}.activities"),
            )
        )
    return tuple(out)


def _activities(raw: Any, where: str) -> tuple[ActivityView, ...]:
    if not isinstance(raw, list):
        raise ResultShapeError(f"{where}: expected a list")
    return tuple(_activity(entry, f"{where}[{i}]") for i, entry in enumerate(raw))


def _activity(raw: Any, where: str) -> ActivityView:
    entry = _mapping(raw, where)
    kind, start, end = (_text(entry, name, where) for name in ("activity", "start", "end"))
    try:
        length_min = (parse_iso(end) - parse_iso(start)).total_seconds() / 60.0
    except ValueError as error:
        raise ResultShapeError(f"{where}: {error}") from None
    duration = _float_or_none(entry.get("duration_min"))
    return ActivityView(
        activity=kind,
        start=start,
        end=end,
        start_local=_str_or_none(entry.get("start_local")),
        end_local=_str_or_none(entry.get("end_local")),
        duration_min=duration if duration is not None else round(length_min, 2),
        place=_str_or_none(entry.get("place")),
    )


def _rule_check(raw: Any) -> tuple[RuleFinding, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise ResultShapeError("rule_check: expected a list")
    out = []
    for index, entry in enumerate(raw):
        finding = _mapping(entry, f"rule_check[{index}]")
        out.append(
            RuleFinding(
                driver=_int_or_none(finding.get("driver")),
                article=_str_or_none(finding.get("article")),
                rule=_str_or_none(finding.get("rule")) or "",
                at=_str_or_none(finding.get("at")),
                detail=_str_or_none(finding.get("detail")) or "",
            )
        )
    return tuple(out)


def _stations(body: Mapping[str, Any], used: set[str]) -> tuple[StationView, ...]:
    """Candidates (poi_list) first, then the rest of the corridor; one entry per station."""
    found: dict[str, StationView] = {}
    for raw in body.get("poi_list") or []:
        entry = _mapping(raw, "poi_list[]")
        station_id = str(entry.get("station_id") or entry.get("poi_id"))
        if station_id in found:
            continue
        found[station_id] = StationView(
            station_id=station_id,
            name=_str_or_none(entry.get("title")) or station_id,
            lat=float(entry["position_lat"]),
            lon=float(entry["position_lon"]),
            power_kw=_float_or_none(entry.get("power")),
            scenario=bool(entry.get("scenario")),
            candidate=True,
            used=station_id in used,
            section_index=_int_or_none(entry.get("section")),
            detour_m=_float_or_none(entry.get("detour_from_route")),
            truck_approved=_str_or_none(entry.get("truck_approved")),
        )
    for raw in body.get("available_charging_stations") or []:
        entry = _mapping(raw, "available_charging_stations[]")
        station_id = str(entry.get("id"))
        if station_id in found:
            continue
        found[station_id] = StationView(
            station_id=station_id,
            name=_str_or_none(entry.get("name")) or station_id,
            lat=float(entry["latitude"]),
            lon=float(entry["longitude"]),
            power_kw=_float_or_none(entry.get("power_available_kW")),
            scenario=bool(entry.get("scenario")),
            candidate=False,
            used=station_id in used,
            section_index=None,
            detour_m=None,
            truck_approved=_str_or_none(entry.get("truck_approved")),
        )
    return tuple(found.values())


def _mapping(value: Any, where: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise ResultShapeError(f"{where}: expected an object")
    return value


def _text(entry: Mapping[str, Any], name: str, where: str) -> str:
    value = entry.get(name)
    if not isinstance(value, str):
        raise ResultShapeError(f"{where}.{name}: expected a string")
    return value


def _float_or_none(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _bool_or_none(value: Any) -> bool | None:
    return value if isinstance(value, bool) else None


def _int_or_none(value: Any) -> int | None:
    return int(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _str_or_none(value: Any) -> str | None:
    return str(value) if value is not None else None
