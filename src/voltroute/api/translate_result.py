"""Domain Plan -> the contract's result body (OptimizationResultResponse and the legacy shape)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from voltroute.api.result_shapes import (
    alternative_entries,
    available_station_entry,
    poi_entry,
    route_polyline,
    turn_by_turn_actions,
)
from voltroute.api.translate_activities import (
    activity_timeline,
    driver_rules_applied,
    rule_check,
    stop_activities,
)
from voltroute.api.translate_tolls import section_tolls, toll_summary, toll_warnings
from voltroute.planner import Plan, PlannedSection, PlannedStop, StationOnRoute, WindowsReachable
from voltroute.planning.tour_request import TourRequest
from voltroute.timefmt import iso_local, iso_utc

QUALIFICATION_DRIVABLE = "Driveable"  # sic: the contract's spelling
QUALIFICATION_NOT_DRIVABLE = "not_drivable"
TIME_WINDOWS_REACHABLE = {  # the contract's tri-state string
    WindowsReachable.TRUE: "True",
    WindowsReachable.FALSE: "False",
    WindowsReachable.NOT_CONSIDERED: "Not considered",
}


def result_body(
    plan: Plan, request: TourRequest, optimization_id: int, tour_id: int, status: str
) -> dict[str, Any]:
    """The body of GET /planner/optimizations/{id}/result."""
    body: dict[str, Any] = {
        "optimization_id": optimization_id,
        "tour_id": tour_id,
        "status": status,
        "battery_level_start": request.battery_level_start,
        "battery_level_end": round(plan.soc_end, 4),
        "qualification": QUALIFICATION_DRIVABLE if plan.drivable else QUALIFICATION_NOT_DRIVABLE,
        "sections": [_section(index, section, plan) for index, section in enumerate(plan.sections)],
        "poi_list": [poi_entry(entry) for entry in plan.stations_on_route],
        "poi_filter": request.poi_info,
        "optimal_departure_time": (
            iso_utc(plan.optimal_departure) if plan.optimal_departure is not None else None
        ),
        "time_windows_reachable": TIME_WINDOWS_REACHABLE[plan.windows_reachable],
        "available_charging_stations": (
            [available_station_entry(station) for station in plan.corridor_stations]
            if request.include_available_charging_stations
            else None
        ),
        "not_drivable_reason": None,
        "toll_summary": toll_summary(plan),
        # Extension. The contract closes this object, so GET .../result (response_model)
        # leaves it out; the legacy PlannerResponse (free-form) and the CLI show it.
        "optimality": _optimality(plan) if plan.drivable else None,
        # Extensions: the driver rules applied, what each driver does over the tour (null for
        # plans stored before), and the independent roadside check of it (normally empty).
        "driver_rules_applied": driver_rules_applied(request),
        "activity_timeline": activity_timeline(plan),
        "rule_check": rule_check(plan, request),
    }
    if plan.not_drivable is not None:
        reason = plan.not_drivable
        body["not_drivable_reason"] = {
            "code": reason.code.value,
            "message": reason.message,
            "section": reason.section_index,
            "distance_from_start_km": round(reason.distance_from_start_m / 1000.0, 3),
            "position": [round(reason.position.lat, 6), round(reason.position.lon, 6)],
            "missing_energy_kWh": reason.missing_energy_kwh,
        }
        if reason.removed_by_filter:
            body["not_drivable_reason"] |= {
                "removed_by_filter": dict(reason.removed_by_filter),
                "unknown_by_filter": dict(reason.unknown_by_filter),
                "binding_filters": list(reason.binding_filters),
                "drivable_without_binding_filters": reason.drivable_without_binding_filters,
                "charging_without_binding_filters": reason.charging_without_binding_filters,
            }
    return body


def _optimality(plan: Plan) -> dict[str, Any]:
    bound, gap_s = plan.arrival_lower_bound, plan.optimality_gap_s
    return {
        "exhaustive": plan.search_exhaustive,
        "arrival_lower_bound": iso_utc(bound) if bound is not None else None,
        "gap_min": round(gap_s / 60.0, 1) if gap_s is not None else None,
    }


def legacy_body(result: dict[str, Any], vehicle_id: str) -> dict[str, Any]:
    """POST /planner's PlannerResponse (a free-form object): the same figures plus the vehicle."""
    return {"vehicle_id": vehicle_id, **result}


def _section(index: int, section: PlannedSection, plan: Plan) -> dict[str, Any]:
    stop = section.planned_stop
    length_km = section.route.length_m / 1000.0
    return {
        "section_id": section.section_id,
        "polyline": route_polyline(section.route),
        "start_pos": [section.start.lat, section.start.lon, round(section.soc_start, 4)],
        "stop_pos": [section.stop.lat, section.stop.lon, round(section.soc_end, 4)],
        "payload_kg": section.payload_kg,
        "length_m": round(section.route.length_m, 1),
        "opening_time": list(section.opening_time) if section.opening_time else None,
        "service_time_min": section.request_service_time_min,
        "power_available_kW": section.request_power_available_kw,
        "turnByTurnActions": turn_by_turn_actions(section.route),
        "tolls": section_tolls(plan, index),
        "poi_summary": _poi_summary(section, stop, length_km, _chosen_entry(plan, index)),
        # Extensions
        "duration_min": round(section.driving_s / 60.0, 2),
        "start_departure_time": iso_utc(_start_departure(index, plan)),
        "energy_kWh": round(section.energy_kwh, 3),
        # Driven but not drawn: to and from stations, and station to station in a chain (the
        # section then starts at the last charging stop's station: station_hop).
        "off_route_m": round(section.detour_m, 1),
        "station_hop": section.station_hop,
        "warnings": [w.message for w in plan.warnings if w.section_index == index]
        + toll_warnings(plan, index),
    }


def _start_departure(index: int, plan: Plan) -> datetime:
    """When the truck leaves the section's start: the plan's departure, else the last stop's.

    Stated rather than left to readers, who could only subtract the rounded driving minutes
    from the rounded arrival and land a second off the requested start (05:59 for 06:00).
    """
    return plan.departure if index == 0 else plan.sections[index - 1].planned_stop.departure


def _poi_summary(
    section: PlannedSection, stop: PlannedStop, length_km: float, chosen: StationOnRoute | None
) -> dict[str, Any]:
    stop_minutes = (stop.departure - stop.arrival).total_seconds() / 60.0
    return {
        "id": stop.station_id,
        "name": stop.name,
        "address": _street(section),
        "coordinate_lat": stop.position.lat,
        "coordinate_lon": stop.position.lon,
        "amenities": (list(chosen.station.amenities) or None) if chosen is not None else None,
        "energy_kWh": round(stop.charged_kwh, 3),
        "power_available_kW": stop.dwell_power_kw,
        "charge_time_min": round(stop.charge_time_s / 60.0, 2),
        "service_time_min": round(stop_minutes - stop.waiting_s / 60.0, 2),
        "arrival_time": iso_utc(stop.arrival),
        "additional_stops": False,
        "bookable": chosen.station.bookable if chosen is not None else None,
        "location_id": chosen.station.location_id if chosen is not None else None,
        "start_soc": round(stop.soc_arrival, 4),
        "stop_soc": round(stop.soc_departure, 4),
        "alternatives": alternative_entries(chosen),
        "sec_duration_min": round(section.driving_s / 60.0, 2),
        "sec_energy_consumption_kWhkm": (
            round(section.energy_kwh / length_km, 4) if length_km > 0 else 0.0
        ),
        "sec_length_km": round(length_km, 3),
        # Extensions
        "stop_type": stop.kind.value,
        "departure_time": iso_utc(stop.departure),
        "arrival_time_local": iso_local(stop.arrival, stop.time_zone),
        "waiting_time_min": round(stop.waiting_s / 60.0, 2),
        "time_window_met": stop.window_met,
        "break_time_min": round(stop.break_s / 60.0, 2),
        "rest_time_min": round(stop.rest_s / 60.0, 2),
        "driving_time_since_break_min": round(stop.driving_since_break_s / 60.0, 2),
        "plug_overhead_min": round(stop.plug_overhead_s / 60.0, 2),
        "station_id": stop.station_id,
        "driver_free_during_service": stop.driver_free_during_service,
        "activities": stop_activities(stop),
    }


def _chosen_entry(plan: Plan, section_index: int) -> StationOnRoute | None:
    """The station on route the section's stop charges at (None for other stops)."""
    for entry in plan.stations_on_route:
        if section_index in entry.used_in_sections:
            return entry
    return None


def _street(section: PlannedSection) -> str | None:
    """The street the stop lies on (the last named edge of the leg); no geocoder is involved."""
    for edge in reversed(section.route.edges):
        if edge.names:
            return edge.names[0]
        if edge.refs:
            return edge.refs[0]
    return None
