"""Feeds the planner: vehicle, routed legs, energy per edge, local times; then plans."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from voltroute.domain import LatLon
from voltroute.planner import ArrivalWindow, Plan, PlannedLegInput, PlanningProblem, plan_tour
from voltroute.planner.driver_rules import DriverRules
from voltroute.planning.driver_rules_request import state_problems_at
from voltroute.planning.filter_diagnosis import explain_filters, warn_unknown_station_data
from voltroute.planning.plan_tolls import plan_with_tolls
from voltroute.planning.poi_annotations import annotate_stations_on_route
from voltroute.planning.station_feed import (
    RoutedTour,
    StationFeed,
    StationQuery,
    StationServices,
    station_feed,
    with_routed_detours,
)
from voltroute.planning.tour_request import SectionSpec, StartTime, TourRequest, parse_clock
from voltroute.planning.vehicle_directory import VehicleDirectory
from voltroute.routing import (
    NoRouteError,
    PositionOffNetworkError,
    RouteLeg,
    Router,
    RoutingError,
    TruckProfile,
)
from voltroute.routing.flexpolyline import decode_polyline
from voltroute.stations import DetourCache, StationCatalogue
from voltroute.stations.hours import time_zone_at, time_zone_finder
from voltroute.tenancy.tenant_stations import TenantStationStore
from voltroute.vehicles import Catalogue, Vehicle, edge_energy_kwh

DEFAULT_START_CLOCK_H = 8  # design.md: no start time means the next 08:00 local time


class TourInputError(ValueError):
    """The request cannot be planned as given (bad polyline, missing positions)."""


@dataclass(frozen=True, slots=True)
class PlanningServices:
    """The adapters a plan needs."""

    router: Router
    catalogue: Catalogue
    vehicles: VehicleDirectory | None = None  # tenants' custom vehicles and decoded IDs
    stations: StationCatalogue | None = None  # the region's charging stations
    tenant_stations: TenantStationStore | None = None  # tenants' own stations (depots)
    # Routed detours kept across this process's plans (the same tours come back daily).
    detour_cache: DetourCache = field(default_factory=DetourCache)

    def vehicle_directory(self) -> VehicleDirectory:
        """Where a tour's vehicle_id is resolved (one call, `VehicleDirectory.get`, as at
        submission); without tenants' vehicles, the catalogue and IDs decoded on it."""
        return self.vehicles if self.vehicles is not None else VehicleDirectory(self.catalogue)


Checkpoint = Callable[[], None]

# Each round routes the stations the plan uses; a plan that switches to another estimated
# station gets it routed in the next round. Two rounds settle every tour measured.
MAX_DETOUR_REFINEMENTS = 4


def plan_request(
    request: TourRequest,
    services: PlanningServices,
    now: datetime,
    checkpoint: Checkpoint = lambda: None,
) -> Plan:
    """Route, compute energy and plan a tour; now is the submission time, so plans repeat."""
    vehicle = services.vehicle_directory().get(request.vehicle_id, request.tenant_id)
    legs: list[PlannedLegInput] = []
    previous_stop: LatLon | None = None
    for index, section in enumerate(request.sections):
        checkpoint()
        try:
            route = _route_section(index, section, previous_stop, vehicle, services.router)
        except PositionOffNetworkError as error:
            raise PositionOffNetworkError(f"section {index}: {error}", error.position) from None
        except NoRouteError as error:
            raise NoRouteError(f"section {index}: {error}", error.cause, error.position) from None
        except RoutingError as error:
            raise type(error)(f"section {index}: {error}") from None
        first, last = route.shape[0], route.shape[-1]
        start = LatLon(first.lat, first.lon)
        stop = section.stop or LatLon(last.lat, last.lon)
        leg = _leg_input(section, section.start or start, stop, route, vehicle)
        legs.append(replace(leg, driver_free_during_service=request.driver_free_at(index)))
        previous_stop = stop
    checkpoint()
    departure = earliest_departure(request.start_time, legs[0].start, now)
    trucks = [truck_profile(vehicle, section.payload_kg) for section in request.sections]
    own = (
        services.tenant_stations.catalogue(request.tenant_id)
        if services.tenant_stations is not None and request.tenant_id is not None
        else None
    )
    problem = PlanningProblem(
        vehicle=vehicle,
        legs=tuple(legs),
        soc_start=request.battery_level_start,
        min_soc_end=request.battery_level_end,
        earliest_departure=departure,
        departure_service_s=request.service_time_departure_min * 60.0,
        stations=(),
        min_charge_duration_s=request.min_charge_duration_min * 60.0,
        driver_rules=driver_rules(request, departure),
    )

    tour = RoutedTour(tuple(legs), tuple(trucks), vehicle, departure)
    query = StationQuery(request.poi_info, request.corridor_m, request.accept_unknown_station_data)
    station_services = (
        StationServices(
            services.stations, services.router, time_zone_at, own, services.detour_cache
        )
        if services.stations is not None
        else None
    )

    def feed_for(poi_info: dict[str, Any] | None) -> StationFeed | None:
        if station_services is None:
            return None
        feed = station_feed(tour, replace(query, poi_info=poi_info), station_services)
        checkpoint()
        return feed

    def plan_on(feed: StationFeed | None) -> tuple[Plan, StationFeed | None]:
        planned = plan_tour(_with_stations(problem, feed))
        # Candidates' detours come from the matrix; the stations a plan uses are then routed
        # edge by edge and the tour planned again on those figures, until it uses no estimate.
        for _ in range(MAX_DETOUR_REFINEMENTS):
            if feed is None or station_services is None:
                break
            checkpoint()
            refined = with_routed_detours(feed, _used_station_ids(planned), tour, station_services)
            if refined is None:
                break
            feed = refined
            planned = plan_tour(_with_stations(problem, feed))
        return planned, feed

    planned, feed = plan_on(feed_for(request.poi_info))
    if feed is not None and planned.not_drivable is not None and request.poi_info:
        planned = explain_filters(
            planned,
            planned.not_drivable,
            feed.hits,
            request.poi_info,
            lambda poi_info: plan_on(feed_for(poi_info))[0],
            request.accept_unknown_station_data,
        )
    if feed is not None and request.accept_unknown_station_data:
        planned = warn_unknown_station_data(planned, feed.poi_sources, request.poi_info)
    plan = plan_with_tolls(planned, vehicle, time_zone_at, time_zone_finder())
    if feed is None:
        return plan
    on_route = annotate_stations_on_route(
        plan, feed.stations_on_route, feed.poi_sources, time_zone_at
    )
    return replace(plan, stations_on_route=on_route, corridor_stations=feed.corridor_stations)


def driver_rules(request: TourRequest, tour_start: datetime) -> DriverRules:
    """The rules and the driver's state the request asks for (checked at submission; checked
    again here against the tour's start, TourInputError naming the field)."""
    for loc, message in state_problems_at(request.driver_state, request.rule_options, tour_start):
        raise TourInputError(f"{'.'.join(map(str, loc))}: {message}")
    return DriverRules(law=request.rule_options, start=request.driver_state)


def _with_stations(problem: PlanningProblem, feed: StationFeed | None) -> PlanningProblem:
    if feed is None:
        return problem
    return replace(problem, stations=feed.candidates, station_hops=feed.hops)


def _used_station_ids(plan: Plan) -> set[str]:
    # A station passed by after a hop is used too: its way back to the route.
    used = {s.planned_stop.station_id for s in plan.sections} | {
        s.passed_station_id for s in plan.sections
    }
    return {station_id for station_id in used if station_id is not None}


def truck_profile(vehicle: Vehicle, payload_kg: float) -> TruckProfile:
    """Routing restrictions for the loaded truck."""
    return TruckProfile(
        gross_mass_kg=vehicle.curb_mass_kg + payload_kg,
        axle_count=vehicle.axle_count,
        height_m=vehicle.height_m,
        width_m=vehicle.width_m,
        length_m=vehicle.length_m,
        top_speed_kph=vehicle.speed_limiter_kph,
    )


def earliest_departure(start: StartTime | None, origin: LatLon, now: datetime) -> datetime:
    """The tour's earliest start as an aware datetime; clock times are local to the origin."""
    tz = ZoneInfo(time_zone_at(origin))
    if start is not None and start.instant is not None:
        return start.instant
    if start is not None and start.local is not None:
        return start.local.replace(tzinfo=tz)
    clock = start.clock if start is not None and start.clock is not None else None
    local_now = now.astimezone(tz)
    if clock is None:
        clock = time(DEFAULT_START_CLOCK_H, 0)
    candidate = datetime.combine(local_now.date(), clock, tzinfo=tz)
    if candidate < local_now:
        candidate = datetime.combine(local_now.date() + timedelta(days=1), clock, tzinfo=tz)
    return candidate


def _route_section(
    index: int, section: SectionSpec, previous_stop: LatLon | None, vehicle: Vehicle, router: Router
) -> RouteLeg:
    truck = truck_profile(vehicle, section.payload_kg)
    if section.start is not None or section.stop is not None or section.polyline is None:
        start = section.start or previous_stop
        if start is None or section.stop is None:
            raise TourInputError(f"section {index}: give start_pos and stop_pos, or a polyline")
        return router.route(start, section.stop, truck)
    try:
        points = [LatLon(lat, lon) for lat, lon, _ in decode_polyline(section.polyline)]
    except ValueError as error:
        raise TourInputError(
            f"section {index}: polyline is not a HERE Flexible Polyline: {error}"
        ) from None
    if len(points) < 2:
        raise TourInputError(f"section {index}: polyline needs at least two points")
    return router.match(points, truck)


def _leg_input(
    section: SectionSpec, start: LatLon, stop: LatLon, route: RouteLeg, vehicle: Vehicle
) -> PlannedLegInput:
    energies = tuple(
        edge_energy_kwh(
            vehicle,
            section.payload_kg,
            edge.length_m,
            edge.duration_s,
            edge.elevation_end_m - edge.elevation_start_m,
        )
        for edge in route.edges
    )
    window = None
    if section.opening_time:
        window = ArrivalWindow(
            parse_clock(section.opening_time[0]), parse_clock(section.opening_time[-1])
        )
    return PlannedLegInput(
        section_id=section.section_id,
        start=start,
        stop=stop,
        route=route,
        edge_energy_kwh=energies,
        payload_kg=section.payload_kg,
        service_time_s=section.service_time_min * 60.0,
        dwell_power_kw=section.power_available_kw,
        dwell_power_curve=section.power_curve,
        window=window,
        stop_time_zone=time_zone_at(stop),
        opening_time=section.opening_time,
    )
