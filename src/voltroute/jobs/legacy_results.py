"""Job rows stored before the plan held typed stations: read them as the current Plan does.

Until issue 19 a stored plan kept its stations as the result's entries (`poi_list` and
`available_charging_stations` in the contract's shapes), its `windows_reachable` as the
contract's string, and each route its encoded polyline and HERE actions. This module turns such
a document into the current one, so that a finished job still answers with the same result; the
route encodings need nothing, the current plan derives them from the shape and manoeuvres (and
the extra keys are ignored). A station's `max_power_kw` is not in an old `poi_list` entry and
becomes its listed power, which no result shows. Remove the module once no row predates it.
"""

from __future__ import annotations

from typing import Any

_WINDOWS_REACHABLE = {"True": "all_met", "False": "some_missed", "Not considered": "not_considered"}


def upgraded(document: dict[str, Any]) -> dict[str, Any]:
    """The stored plan in the current shape; a current document comes back as it is."""
    old_windows = document.get("windows_reachable") in _WINDOWS_REACHABLE
    old_stations = "poi_list" in document or "available_charging_stations" in document
    if not (old_windows or old_stations):
        return document
    current = dict(document)
    if old_windows:
        current["windows_reachable"] = _WINDOWS_REACHABLE[document["windows_reachable"]]
    if "poi_list" in current:
        current["stations_on_route"] = [_on_route(e) for e in current.pop("poi_list") or ()]
    if "available_charging_stations" in current:
        entries = current.pop("available_charging_stations") or ()
        current["corridor_stations"] = [_corridor(e) for e in entries]
    return current


def _on_route(entry: dict[str, Any]) -> dict[str, Any]:
    return {
        "station": {
            "station_id": entry["station_id"],
            "name": entry["title"],
            "address": entry.get("address"),
            "position": {"lat": entry["position_lat"], "lon": entry["position_lon"]},
            "max_power_kw": entry["power"],
            "truck_access": entry.get("truck_approved"),
            "amenities": entry.get("amenities") or [],
            "bookable": entry.get("bookable"),
            "location_id": entry.get("location_id"),
            "opening_hours": entry.get("opening_hours"),
            "tenant_station": bool(entry.get("tenant_station")),
            "scenario": bool(entry.get("scenario")),
        },
        "corridor_number": entry["poi_id"],
        "leg_index": entry["section"],
        "distance_along_leg_m": entry["distance_from_start"],
        "route_point": {"lat": entry["position_lat_route"], "lon": entry["position_lon_route"]},
        "distance_to_route_m": entry["distance_to_route_m"],
        "power_kw": entry["power"],
        "detour_m": entry.get("detour_from_route"),
        "detour_s": entry.get("detour_duration_s"),
        "group_id": entry["mapping"],
        "represents_group": bool(entry["represents"]),
        "position_conflict": bool(entry["poi_crash"]),
        "arrival": entry.get("poi_arrival_time"),
        "opens": entry.get("opening_time"),
        "closes": entry.get("closing_time"),
        "used_in_sections": entry.get("used_in_sections") or [],
        "alternatives": [_alternative(a) for a in entry.get("alternatives") or ()],
    }


def _alternative(entry: dict[str, Any]) -> dict[str, Any]:
    return {
        "station_id": entry["station_id"],
        "name": entry["name"],
        "address": entry.get("address"),
        "position": {"lat": entry["coordinate_lat"], "lon": entry["coordinate_lon"]},
        "corridor_number": entry["poi_id"],
        "power_kw": entry["power_kW"],
        "detour_m": entry["detour_from_route"],
        "along_from_chosen_m": entry["distance_from_chosen_m"],
        "same_group": entry["same_group"],
        "scenario": bool(entry.get("scenario")),
    }


def _corridor(entry: dict[str, Any]) -> dict[str, Any]:
    amenities = entry.get("amenities")
    return {
        "station_id": entry["id"],
        "name": entry["name"],
        "address": entry.get("address"),
        "position": {"lat": entry["latitude"], "lon": entry["longitude"]},
        "max_power_kw": entry["power_available_kW"],
        "truck_access": entry.get("truck_approved"),
        # Written joined by ", "; splitting on it and joining again gives the same text.
        "amenities": amenities.split(", ") if amenities else [],
        "bookable": entry.get("bookable"),
        "location_id": entry.get("location_id"),
        "opening_hours": None,  # not in the entry, and no result shows it
        "tenant_station": bool(entry.get("uses_company_vehicle_types")),
        "scenario": bool(entry.get("scenario")),
    }
