"""A result body (the contract's JSON) read once into the parts every export draws: route, stops,
stations.

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

    @property
    def points(self) -> tuple[RoutePoint, ...]:
        """The whole route, section after section (shared end points repeated)."""
        return tuple(point for section in self.sections for point in section.points)


def read_result(body: Mapping[str, Any]) -> ResultView:
    """Read a result body; ResultShapeError names the first field that is not as expected."""
    raw_sections = body.get("sections")
    if not isinstance(raw_sections, list):
        raise ResultShapeError("result has no 'sections' list")
    sections = tuple(_section(i, s) for i, s in enumerate(raw_sections))
    stops = [_origin(raw_sections)] if raw_sections else []
    stops += [_stop(i + 1, s) for i, s in enumerate(raw_sections)]
    used = {stop.station_id for stop in stops if stop.station_id and stop.stop_type == "charging"}
    return ResultView(
        optimization_id=_int_or_none(body.get("optimization_id")),
        status=_str_or_none(body.get("status")),
        qualification=_str_or_none(body.get("qualification")),
        sections=sections,
        stops=tuple(stops),
        stations=_stations(body, used),
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


def _origin(raw_sections: Sequence[Any]) -> StopView:
    first = _mapping(raw_sections[0], "sections[0]")
    start = first.get("start_pos") or []
    if len(start) < 2:
        raise ResultShapeError("sections[0].start_pos: expected [lat, lon, soc]")
    summary = _mapping(first.get("poi_summary") or {}, "sections[0].poi_summary")
    soc = _float_or_none(start[2]) if len(start) > 2 else None
    return StopView(
        sequence=0,
        stop_type=ORIGIN,
        name="Start",
        lat=float(start[0]),
        lon=float(start[1]),
        arrival_time=None,
        departure_time=_departure_from_origin(first, summary),
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
    )


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
    )


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


def _float_or_none(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _int_or_none(value: Any) -> int | None:
    return int(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _str_or_none(value: Any) -> str | None:
    return str(value) if value is not None else None
