"""Stations along a routed tour: the optimizer's candidates and the plan's stations on route.

The corridor search finds stations near each leg; each one the request's filters accept gets
its detour there and back from the engine's matrix (time, distance and the height to climb)
and becomes a CandidateStation the planner may use. The stations a plan then uses are routed
edge by edge (`with_routed_detours`), and the pipeline plans again on those exact figures.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from voltroute import bounds
from voltroute.domain import LatLon
from voltroute.planner import (
    CandidateStation,
    CorridorStation,
    OpenInterval,
    PlannedLegInput,
    StationHop,
    StationOnRoute,
)
from voltroute.planning.station_hops import station_hops, useful_hops
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

TimeZoneOf = Callable[[LatLon], str]


@dataclass(frozen=True, slots=True)
class StationQuery:
    """Which stations a tour may charge at: the request's filters and how far off the route."""

    poi_info: Mapping[str, Any] | None  # the request's station filters (StationFilter reads them)
    corridor_m: float  # the widest distance from the route a station is searched at
    accept_unknown: bool = False  # a station whose source lacks a filtered field passes


@dataclass(frozen=True, slots=True)
class RoutedTour:
    """The routed tour the stations are searched along."""

    legs: tuple[PlannedLegInput, ...]
    trucks: tuple[TruckProfile, ...]  # one per leg, loaded as on that leg
    vehicle: Vehicle
    departure: datetime  # opening hours are looked at from here, OPENING_HORIZON ahead


@dataclass(frozen=True, slots=True)
class StationServices:
    """Where the stations and their detours come from."""

    catalogue: StationCatalogue  # the region's stations
    router: Router
    time_zone_of: TimeZoneOf  # for stations whose source gives no time zone
    own: StationCatalogue | None = None  # the tenant's own stations (depots)
    detour_cache: DetourCache | None = None


@dataclass(frozen=True, slots=True)
class PoiSource:
    """What a station on route was made from, for the annotations made after planning."""

    station: Station
    leg_index: int
    distance_along_leg_m: float
    power_kw: float  # best power the request's filters accept
    mapping: int  # group id
    detour: Detour[Any] | None  # None: the station could not be routed to
    route_point: LatLon | None = None  # where the detour leaves the route


@dataclass(frozen=True, slots=True)
class StationFeed:
    """What the pipeline hands on: candidates for the planner, stations for the plan."""

    candidates: tuple[CandidateStation, ...]
    stations_on_route: tuple[StationOnRoute, ...]
    corridor_stations: tuple[CorridorStation, ...]
    poi_sources: tuple[PoiSource, ...] = ()  # one per station on route, in the same order
    hits: tuple[StationHit, ...] = ()  # every station of the corridor, filters aside
    hops: tuple[StationHop, ...] = ()  # drives between nearby candidates of one leg (chains)


def station_feed(tour: RoutedTour, query: StationQuery, services: StationServices) -> StationFeed:
    """Search the corridor of every leg, route the detours, build candidates and entries.

    `services.own` holds the tenant's own stations: searched next to the region's, and one of
    them replaces a region station of the same id.
    """
    station_filter = StationFilter.from_poi_info(query.poi_info, query.accept_unknown)
    shapes = [[LatLon(p.lat, p.lon) for p in leg.route.shape] for leg in tour.legs]
    hits = services.catalogue.corridor(shapes, query.corridor_m, station_filter)
    own = services.own
    if own is not None:
        hits = sorted(
            [h for h in hits if h.station.station_id not in own.by_id]
            + own.corridor(shapes, query.corridor_m, station_filter),
            key=lambda h: (h.leg_index, h.distance_from_start_m, h.station.station_id),
        )
    groups = group_stations([hit.station for hit in hits])
    detours = DetourCalculator(
        services.router, failures=(RoutingError,), cache=services.detour_cache
    )
    accepted = sorted(
        (i for i, hit in enumerate(hits) if hit.accepted and hit.power_kw > 0),
        key=lambda i: hits[i].distance_m,
    )[:MAX_ROUTED_DETOURS]
    # In route order, so that each matrix request covers stations close to each other.
    in_route_order = sorted(accepted)
    estimates = detours.estimate_many(
        services.router,
        [
            DetourRequest(hits[i].station, hits[i].route_point, tour.trucks[hits[i].leg_index])
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
    on_route = tuple(
        station_on_route(hits[i], groups[i], routed.get(i), corridor_number=i + 1)
        for i in sorted(routed)
    )
    corridor = tuple(corridor_station(s) for s in unique_stations(hits))
    candidates = _candidates(sources, tour, services.time_zone_of)
    hops = station_hops(candidates, tour, services.router, services.detour_cache)
    return StationFeed(candidates, on_route, corridor, sources, tuple(hits), hops)


def with_routed_detours(
    feed: StationFeed,
    station_ids: Collection[str],
    tour: RoutedTour,
    services: StationServices,
) -> StationFeed | None:
    """The feed with the detours to these stations routed edge by edge; None when every one
    of them already was (the plan built on the feed stands)."""
    detours = DetourCalculator(
        services.router, failures=(RoutingError,), cache=services.detour_cache
    )
    sources = list(feed.poi_sources)
    on_route = list(feed.stations_on_route)
    changed = False
    for j, source in enumerate(sources):
        if source.station.station_id not in station_ids or source.route_point is None:
            continue
        if source.detour is not None and source.detour.routed:
            continue
        exact = detours.detour(source.station, source.route_point, tour.trucks[source.leg_index])
        sources[j] = replace(source, detour=exact)
        on_route[j] = with_detour(on_route[j], exact)
        changed = True
    if not changed:
        return None
    candidates = _candidates(sources, tour, services.time_zone_of)
    return replace(
        feed,
        candidates=candidates,
        stations_on_route=tuple(on_route),
        poi_sources=tuple(sources),
        # The hops keep their drives; a station that can no longer be routed to takes its
        # hops along, and the routed detours may make a hop no quicker than the route.
        hops=useful_hops(feed.hops, candidates, tour.legs),
    )


def _candidates(
    sources: Sequence[PoiSource], tour: RoutedTour, time_zone_of: TimeZoneOf
) -> tuple[CandidateStation, ...]:
    return tuple(
        _candidate(
            source,
            source.detour,
            tour.vehicle,
            tour.legs[source.leg_index].payload_kg,
            tour.departure,
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
    time_zone_of: TimeZoneOf,
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
        vacate_when_charged=station.vacate_when_charged,
        power_curve=station.power_curve,
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


def station_on_route(
    hit: StationHit, group: GroupInfo, detour: Detour[Any] | None, corridor_number: int
) -> StationOnRoute:
    """One station on route (not yet annotated); detour None means it could not be routed."""
    return StationOnRoute(
        station=corridor_station(hit.station),
        corridor_number=corridor_number,
        leg_index=hit.leg_index,
        distance_along_leg_m=hit.distance_from_start_m,
        route_point=hit.route_point,
        distance_to_route_m=hit.distance_m,
        power_kw=hit.power_kw or hit.station.max_power_kw,
        detour_m=detour.distance_m if detour is not None else None,
        detour_s=detour.duration_s if detour is not None else None,
        group_id=group.mapping,
        represents_group=group.represents,
        position_conflict=group.poi_crash,
    )


def with_detour(entry: StationOnRoute, detour: Detour[Any] | None) -> StationOnRoute:
    """The station on route with the detour's figures replaced (routed edge by edge)."""
    return replace(
        entry,
        detour_m=detour.distance_m if detour is not None else None,
        detour_s=detour.duration_s if detour is not None else None,
    )


def corridor_station(station: Station) -> CorridorStation:
    """What the plan says of a corridor station."""
    return CorridorStation(
        station_id=station.station_id,
        name=station.name,
        address=station.address,
        position=station.position,
        max_power_kw=station.max_power_kw,
        truck_access=station.truck_approved,
        amenities=station.amenities,
        bookable=station.bookable,
        location_id=station.location_id,
        opening_hours=station.opening_hours,
        tenant_station=station.tenant_id is not None,
        scenario=station.scenario,
    )


def unique_stations(hits: Sequence[StationHit]) -> list[Station]:
    """Each station once, in the order of its first hit (a station may be near several legs)."""
    seen: dict[str, Station] = {}
    for hit in hits:
        seen.setdefault(hit.station.station_id, hit.station)
    return list(seen.values())
