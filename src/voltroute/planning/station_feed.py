"""Stations along a routed tour: the optimizer's candidates and the result's poi_list.

The corridor search finds stations near each leg; each one the request's filters accept gets
its detour there and back from the engine's matrix (time, distance and the height to climb)
and becomes a CandidateStation the planner may use. The stations a plan then uses are routed
edge by edge (`with_routed_detours`), and the pipeline plans again on those exact figures.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from voltroute import bounds
from voltroute.domain import LatLon
from voltroute.planner import CandidateStation, OpenInterval, PlannedLegInput
from voltroute.routing import RouteLeg, Router, RoutingError, TruckProfile
from voltroute.stations import (
    ConnectorType,
    Detour,
    DetourCache,
    DetourCalculator,
    DetourRequest,
    GroupInfo,
    Station,
    StationCatalogue,
    StationFilter,
    StationHit,
    group_stations,
    open_intervals,
)
from voltroute.vehicles import Connector, Vehicle, edge_energy_kwh

OPENING_HORIZON = timedelta(days=4)  # longest tour we plan ahead for opening hours
# Per tour: beyond that the nearest accepted stations are kept (the documented bound).
MAX_ROUTED_DETOURS = bounds.MAX_CANDIDATE_STATIONS


@dataclass(frozen=True, slots=True)
class PoiSource:
    """What a `poi_list` entry was made from, for the annotations made after planning."""

    station: Station
    leg_index: int
    distance_along_leg_m: float
    power_kw: float  # best power the request's filters accept
    mapping: int  # group id
    detour: Detour[Any] | None  # None: the station could not be routed to
    route_point: LatLon | None = None  # where the detour leaves the route


@dataclass(frozen=True, slots=True)
class StationFeed:
    """What the pipeline hands on: candidates for the planner, entries for the result."""

    candidates: tuple[CandidateStation, ...]
    poi_list: tuple[dict[str, Any], ...]
    available: tuple[dict[str, Any], ...]
    poi_sources: tuple[PoiSource, ...] = ()  # one per poi_list entry, in the same order
    hits: tuple[StationHit, ...] = ()  # every station of the corridor, filters aside


def station_feed(
    catalogue: StationCatalogue,
    router: Router,
    legs: Sequence[PlannedLegInput],
    trucks: Sequence[TruckProfile],
    vehicle: Vehicle,
    poi_info: dict[str, Any] | None,
    corridor_m: float,
    departure: datetime,
    time_zone_of: Any,
    own: StationCatalogue | None = None,
    detour_cache: DetourCache | None = None,
    accept_unknown: bool = False,
) -> StationFeed:
    """Search the corridor of every leg, route the detours, build candidates and entries.

    `own` holds the tenant's own stations: searched next to the region's, and one of them
    replaces a region station of the same id.
    """
    station_filter = StationFilter.from_poi_info(poi_info, accept_unknown)
    shapes = [[LatLon(p.lat, p.lon) for p in leg.route.shape] for leg in legs]
    hits = catalogue.corridor(shapes, corridor_m, station_filter)
    if own is not None:
        hits = sorted(
            [h for h in hits if h.station.station_id not in own.by_id]
            + own.corridor(shapes, corridor_m, station_filter),
            key=lambda h: (h.leg_index, h.distance_from_start_m, h.station.station_id),
        )
    groups = group_stations([hit.station for hit in hits])
    detours = DetourCalculator(router, failures=(RoutingError,), cache=detour_cache)
    accepted = sorted(
        (i for i, hit in enumerate(hits) if hit.accepted and hit.power_kw > 0),
        key=lambda i: hits[i].distance_m,
    )[:MAX_ROUTED_DETOURS]
    # In route order, so that each matrix request covers stations close to each other.
    in_route_order = sorted(accepted)
    estimates = detours.estimate_many(
        router,
        [
            DetourRequest(hits[i].station, hits[i].route_point, trucks[hits[i].leg_index])
            for i in in_route_order
        ],
    )
    routed: dict[int, Detour[RouteLeg] | None] = dict(zip(in_route_order, estimates, strict=True))
    sources = tuple(
        PoiSource(
            hits[i].station,
            hits[i].leg_index,
            hits[i].distance_from_start_m,
            hits[i].power_kw,
            groups[i].mapping,
            routed[i],
            hits[i].route_point,
        )
        for i in sorted(routed)
    )
    poi_list = tuple(
        poi_entry(hits[i], groups[i], routed.get(i), poi_id=i + 1) for i in sorted(routed)
    )
    available = tuple(available_station_entry(s) for s in unique_stations(hits))
    candidates = _candidates(sources, vehicle, legs, departure, time_zone_of)
    return StationFeed(candidates, poi_list, available, sources, tuple(hits))


def with_routed_detours(
    feed: StationFeed,
    station_ids: Collection[str],
    router: Router,
    trucks: Sequence[TruckProfile],
    vehicle: Vehicle,
    legs: Sequence[PlannedLegInput],
    departure: datetime,
    time_zone_of: Any,
    detour_cache: DetourCache | None = None,
) -> StationFeed | None:
    """The feed with the detours to these stations routed edge by edge; None when every one
    of them already was (the plan built on the feed stands)."""
    detours = DetourCalculator(router, failures=(RoutingError,), cache=detour_cache)
    sources = list(feed.poi_sources)
    entries = list(feed.poi_list)
    changed = False
    for j, source in enumerate(sources):
        if source.station.station_id not in station_ids or source.route_point is None:
            continue
        if source.detour is not None and source.detour.routed:
            continue
        exact = detours.detour(source.station, source.route_point, trucks[source.leg_index])
        sources[j] = replace(source, detour=exact)
        entries[j] = with_detour(entries[j], exact)
        changed = True
    if not changed:
        return None
    candidates = _candidates(sources, vehicle, legs, departure, time_zone_of)
    return replace(feed, candidates=candidates, poi_list=tuple(entries), poi_sources=tuple(sources))


def _candidates(
    sources: Sequence[PoiSource],
    vehicle: Vehicle,
    legs: Sequence[PlannedLegInput],
    departure: datetime,
    time_zone_of: Any,
) -> tuple[CandidateStation, ...]:
    return tuple(
        _candidate(
            source,
            source.detour,
            vehicle,
            legs[source.leg_index].payload_kg,
            departure,
            time_zone_of,
        )
        for source in sources
        if source.detour is not None
    )


def _candidate(
    source: PoiSource,
    detour: Detour[RouteLeg],
    vehicle: Vehicle,
    payload_kg: float,
    departure: datetime,
    time_zone_of: Any,
) -> CandidateStation:
    station = source.station
    zone = station.time_zone or time_zone_of(station.position)
    intervals = None
    if station.opening_hours:
        intervals = tuple(
            OpenInterval(opens, closes)
            for opens, closes in open_intervals(
                station.opening_hours, zone, departure, departure + OPENING_HORIZON
            )
        )
    # source.power_kw is the best power the filters accept; it comes from an MCS point only
    # when the site has MCS at that power and the truck can use it.
    mcs_kw = station.power_kw_for(frozenset({ConnectorType.MCS})) if vehicle.mcs_max_kw else 0.0
    connector = Connector.MCS if mcs_kw >= source.power_kw > 0 else Connector.CCS
    return CandidateStation(
        station_id=station.station_id,
        name=station.name,
        position=station.position,
        leg_index=source.leg_index,
        distance_along_leg_m=source.distance_along_leg_m,
        detour_to_s=detour.to_s,
        detour_from_s=detour.back_s,
        detour_to_kwh=_way_energy_kwh(
            vehicle, payload_kg, detour.to_station, detour.to_m, detour.to_s, detour.rise_m
        ),
        detour_from_kwh=_way_energy_kwh(
            vehicle, payload_kg, detour.back, detour.back_m, detour.back_s, -detour.rise_m
        ),
        detour_m=detour.distance_m,
        power_kw=source.power_kw,
        connector=connector,
        open_intervals=intervals,
        address=station.address,
        operator=station.operator,
        bookable=station.bookable,
        location_id=station.location_id,
        group_id=source.mapping,
    )


def _way_energy_kwh(
    vehicle: Vehicle,
    payload_kg: float,
    leg: RouteLeg | None,
    length_m: float,
    duration_s: float,
    rise_m: float,
) -> float:
    if leg is None:  # estimated: the whole way as one edge with its mean speed and net climb
        return edge_energy_kwh(vehicle, payload_kg, length_m, duration_s, rise_m)
    return sum(
        edge_energy_kwh(
            vehicle, payload_kg, e.length_m, e.duration_s, e.elevation_end_m - e.elevation_start_m
        )
        for e in leg.edges
    )


def poi_entry(
    hit: StationHit, group: GroupInfo, detour: Detour[Any] | None, poi_id: int
) -> dict[str, Any]:
    """One `poi_list` entry (contract ResultPOI); detour None means it could not be routed."""
    station = hit.station
    return {
        "title": station.name,
        "address": station.address,
        "distance_from_start": round(hit.distance_from_start_m, 1),
        "position_lat": station.position.lat,
        "position_lon": station.position.lon,
        "power": hit.power_kw or station.max_power_kw,
        "detour_from_route": round(detour.distance_m, 1) if detour is not None else None,
        "section": hit.leg_index,
        "position_lat_route": round(hit.route_point.lat, 7),
        "position_lon_route": round(hit.route_point.lon, 7),
        "poi_id": poi_id,
        "mapping": group.mapping,
        "represents": 1 if group.represents else 0,
        "poi_crash": 1 if group.poi_crash else 0,
        "opening_time": None,
        "closing_time": None,
        "poi_arrival_time": None,
        "bookable": station.bookable,
        "location_id": station.location_id,
        # Extensions
        "station_id": station.station_id,
        "scenario": station.scenario,
        "distance_to_route_m": round(hit.distance_m, 1),
        "detour_duration_s": round(detour.duration_s, 1) if detour is not None else None,
        "truck_approved": station.truck_approved,
        "opening_hours": station.opening_hours,
        "amenities": list(station.amenities),
        "tenant_station": station.tenant_id is not None,
    }


def with_detour(entry: dict[str, Any], detour: Detour[Any] | None) -> dict[str, Any]:
    """A `poi_list` entry with the detour's figures replaced (after routing it edge by edge)."""
    return {
        **entry,
        "detour_from_route": round(detour.distance_m, 1) if detour is not None else None,
        "detour_duration_s": round(detour.duration_s, 1) if detour is not None else None,
    }


def available_station_entry(station: Station) -> dict[str, Any]:
    """One `available_charging_stations` entry (contract ResultAvailableStation)."""
    return {
        "id": station.station_id,
        "name": station.name,
        "address": station.address,
        "latitude": station.position.lat,
        "longitude": station.position.lon,
        "power_available_kW": station.max_power_kw,
        "truck_approved": station.truck_approved,
        "amenities": ", ".join(station.amenities) or None,
        "bookable": station.bookable,
        "location_id": station.location_id,
        "uses_company_vehicle_types": station.tenant_id is not None,
        # Extension
        "scenario": station.scenario,
    }


def unique_stations(hits: Sequence[StationHit]) -> list[Station]:
    """Each station once, in the order of its first hit (a station may be near several legs)."""
    seen: dict[str, Station] = {}
    for hit in hits:
        seen.setdefault(hit.station.station_id, hit.station)
    return list(seen.values())
