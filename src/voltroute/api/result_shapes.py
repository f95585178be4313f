"""The result's station entries and route encodings in the contract's shapes.

The plan holds typed values (`planner/route_stations.py`, `routing/route.py`); this module is
the one place that knows how the contract writes them: `poi_list` entries (ResultPOI), their
alternatives (ResultPOIAlternative), `available_charging_stations` entries
(ResultAvailableStation), and a section's route as a HERE Flexible Polyline with HERE
turn-by-turn actions. Figures are rounded here and times written by `timefmt`; nothing else
changes on the way out. Keys marked as extensions are ours, not the contract's.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from voltroute.planner import AlternativeStation, CorridorStation, StationOnRoute
from voltroute.routing.flexpolyline import encode_shape
from voltroute.routing.here_actions import here_actions
from voltroute.routing.route import RouteLeg
from voltroute.timefmt import iso_utc


def poi_entry(entry: StationOnRoute) -> dict[str, Any]:
    """One `poi_list` entry (ResultPOI); `alternatives` only for a station the plan uses."""
    station = entry.station
    body: dict[str, Any] = {
        "title": station.name,
        "address": station.address,
        "distance_from_start": round(entry.distance_along_leg_m, 1),
        "position_lat": station.position.lat,
        "position_lon": station.position.lon,
        "power": entry.power_kw,
        "detour_from_route": _round_or_none(entry.detour_m),
        "section": entry.leg_index,
        "position_lat_route": round(entry.route_point.lat, 7),
        "position_lon_route": round(entry.route_point.lon, 7),
        "poi_id": entry.corridor_number,
        "mapping": entry.group_id,
        "represents": 1 if entry.represents_group else 0,
        "poi_crash": 1 if entry.position_conflict else 0,
        "opening_time": _iso_or_none(entry.opens),
        "closing_time": _iso_or_none(entry.closes),
        "poi_arrival_time": _iso_or_none(entry.arrival),
        "bookable": station.bookable,
        "location_id": station.location_id,
        # Extensions
        "station_id": station.station_id,
        "scenario": station.scenario,
        "distance_to_route_m": round(entry.distance_to_route_m, 1),
        "detour_duration_s": _round_or_none(entry.detour_s),
        "truck_approved": station.truck_access,
        "opening_hours": station.opening_hours,
        "amenities": list(station.amenities),
        "tenant_station": station.tenant_station,
        # The result sections whose stop is this station.
        "used_in_sections": list(entry.used_in_sections),
    }
    if entry.used_in_sections:
        body["alternatives"] = alternative_entries(entry)
    return body


def alternative_entries(chosen: StationOnRoute | None) -> list[dict[str, Any]]:
    """The ResultPOIAlternative entries of a chosen station (none without one)."""
    return [alternative_entry(a) for a in chosen.alternatives] if chosen is not None else []


def alternative_entry(alternative: AlternativeStation) -> dict[str, Any]:
    """One ResultPOIAlternative entry."""
    return {
        "name": alternative.name,
        "address": alternative.address,
        "coordinate_lat": alternative.position.lat,
        "coordinate_lon": alternative.position.lon,
        # Extensions
        "station_id": alternative.station_id,
        "poi_id": alternative.corridor_number,
        "power_kW": alternative.power_kw,
        "detour_from_route": round(alternative.detour_m, 1),
        "distance_from_chosen_m": round(alternative.along_from_chosen_m, 1),
        "same_group": alternative.same_group,
        "scenario": alternative.scenario,
    }


def available_station_entry(station: CorridorStation) -> dict[str, Any]:
    """One `available_charging_stations` entry (ResultAvailableStation)."""
    return {
        "id": station.station_id,
        "name": station.name,
        "address": station.address,
        "latitude": station.position.lat,
        "longitude": station.position.lon,
        "power_available_kW": station.max_power_kw,
        "truck_approved": station.truck_access,
        "amenities": ", ".join(station.amenities) or None,
        "bookable": station.bookable,
        "location_id": station.location_id,
        "uses_company_vehicle_types": station.tenant_station,
        # Extension
        "scenario": station.scenario,
    }


def route_polyline(route: RouteLeg) -> str:
    """A section's `polyline`: its shape as a 3D HERE Flexible Polyline (elevation in metres)."""
    return encode_shape(route.shape) if route.shape else ""


def turn_by_turn_actions(route: RouteLeg) -> list[dict[str, object]]:
    """A section's `turnByTurnActions`: HERE actions, offsets into the polyline's points."""
    return [dict(action) for action in here_actions(route.maneuvers, len(route.shape))]


def _round_or_none(value: float | None) -> float | None:
    return round(value, 1) if value is not None else None


def _iso_or_none(moment: datetime | None) -> str | None:
    return iso_utc(moment) if moment is not None else None
