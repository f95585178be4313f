"""A result as GeoJSON (RFC 7946): the route per section, the stops (with what the driver does
there), the corridor's stations."""

from __future__ import annotations

from typing import Any

from voltroute.exports.activity_text import stop_activity_summary
from voltroute.exports.result_view import (
    ActivityView,
    ResultView,
    RoutePoint,
    SectionView,
    StationView,
    StopView,
)

GEOJSON_MEDIA_TYPE = "application/geo+json"
SCENARIO_LABEL = "scenario: a planned site, not a real charger"

Position = list[float]


def result_geojson(view: ResultView) -> dict[str, Any]:
    """A FeatureCollection: a LineString per section, a Point per stop and per station.

    Every feature's `properties.feature_type` says which it is (`route`, `stop`, `station`).
    Positions are [longitude, latitude] (RFC 7946 section 3.1.1), with elevation in metres as a
    third value on route lines when the result's polylines carry it.

    Stops carry the driver's `activities` there (null when the result has none), their minutes
    per kind and in words, and the main `activity`. A result with an activity timeline also
    gives it, and its rule check, as foreign members (`activity_timeline`, `rule_check`; RFC
    7946 section 6.1).
    """
    features = [_route_feature(section) for section in view.sections if len(section.points) >= 2]
    features += [_stop_feature(stop) for stop in view.stops]
    features += [_station_feature(station) for station in view.stations]
    collection: dict[str, Any] = {"type": "FeatureCollection", "features": features}
    box = _bbox(view)
    if box is not None:
        collection["bbox"] = box
    if view.driver_timelines:
        collection["activity_timeline"] = [
            {
                "driver": timeline.driver,
                "activities": [_activity(a, with_place=True) for a in timeline.activities],
            }
            for timeline in view.driver_timelines
        ]
    if view.driver_timelines or view.rule_check:
        collection["rule_check"] = [
            {
                "driver": finding.driver,
                "article": finding.article,
                "rule": finding.rule,
                "at": finding.at,
                "detail": finding.detail,
            }
            for finding in view.rule_check
        ]
    return collection


def _route_feature(section: SectionView) -> dict[str, Any]:
    return {
        "type": "Feature",
        "geometry": {
            "type": "LineString",
            "coordinates": [_position(point) for point in section.points],
        },
        "properties": {
            "feature_type": "route",
            "section_index": section.index,
            "section_id": section.section_id,
            "length_m": section.length_m,
            "duration_min": section.duration_min,
            "energy_kWh": section.energy_kwh,
            "soc_start": section.soc_start,
            "soc_end": section.soc_end,
            "payload_kg": section.payload_kg,
        },
    }


def _stop_feature(stop: StopView) -> dict[str, Any]:
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [stop.lon, stop.lat]},
        "properties": {
            "feature_type": "stop",
            "sequence": stop.sequence,
            "stop_type": stop.stop_type,
            "name": stop.name,
            "address": stop.address,
            "arrival_time": stop.arrival_time,
            "departure_time": stop.departure_time,
            "arrival_time_local": stop.arrival_time_local,
            "soc_arrival": stop.soc_arrival,
            "soc_departure": stop.soc_departure,
            "energy_kWh": stop.energy_kwh,
            "charge_time_min": stop.charge_time_min,
            "service_time_min": stop.service_time_min,
            "waiting_time_min": stop.waiting_time_min,
            "break_time_min": stop.break_time_min,
            "rest_time_min": stop.rest_time_min,
            "station_id": stop.station_id,
            "time_window_met": stop.time_window_met,
            "activity": stop.main_activity,
            "activities": None
            if stop.activities is None
            else [_activity(a, with_place=False) for a in stop.activities],
            "activity_minutes": stop.activity_minutes if stop.activities is not None else None,
            "activity_summary": stop_activity_summary(stop),
            "driver_free_during_service": stop.driver_free_during_service,
        },
    }


def _activity(activity: ActivityView, with_place: bool) -> dict[str, Any]:
    out: dict[str, Any] = {
        "activity": activity.activity,
        "start": activity.start,
        "end": activity.end,
        "start_local": activity.start_local,
        "end_local": activity.end_local,
        "duration_min": activity.duration_min,
    }
    if with_place:
        out["place"] = activity.place
    return out


def _station_feature(station: StationView) -> dict[str, Any]:
    return {
        "type": "Feature",
        "id": station.station_id,
        "geometry": {"type": "Point", "coordinates": [station.lon, station.lat]},
        "properties": {
            "feature_type": "station",
            "station_id": station.station_id,
            "name": station.name,
            "power_kW": station.power_kw,
            "candidate": station.candidate,
            "used": station.used,
            "section_index": station.section_index,
            "detour_m": station.detour_m,
            "truck_approved": station.truck_approved,
            "scenario": station.scenario,
            "label": SCENARIO_LABEL if station.scenario else None,
        },
    }


def _position(point: RoutePoint) -> Position:
    if point.elevation_m is None:
        return [point.lon, point.lat]
    return [point.lon, point.lat, point.elevation_m]


def _bbox(view: ResultView) -> list[float] | None:
    """[west, south, east, north] of everything drawn (RFC 7946 section 5)."""
    lons = [p.lon for p in view.points] + [s.lon for s in view.stops]
    lons += [s.lon for s in view.stations]
    lats = [p.lat for p in view.points] + [s.lat for s in view.stops]
    lats += [s.lat for s in view.stations]
    if not lons:
        return None
    return [min(lons), min(lats), max(lons), max(lats)]
