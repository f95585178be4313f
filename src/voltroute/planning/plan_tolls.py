"""Tolls of a planned tour, computed after planning: the planner stays toll-agnostic."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date
from zoneinfo import ZoneInfo

from voltroute.domain import LatLon
from voltroute.planner import Plan
from voltroute.tolls import TimeZoneLookup, TollLeg, TollVehicle, tour_tolls
from voltroute.tolls import toll_vehicle as make_toll_vehicle
from voltroute.vehicles import Vehicle


def vehicle_toll_class(vehicle: Vehicle) -> tuple[TollVehicle, tuple[str, ...]]:
    """The toll class of a catalogue vehicle and the warnings for any default it needed.

    The law classes by technically permissible gross mass, so the payload does not change it.
    Every Vehicle in Voltroute is battery-electric: emission-free, CO2 class 5.
    """
    return make_toll_vehicle(vehicle.max_gross_mass_kg, vehicle.axle_count, emission_free=True)


def plan_with_tolls(
    plan: Plan,
    vehicle: Vehicle,
    time_zone_at: Callable[[LatLon], str],
    lookup: TimeZoneLookup | None = None,
) -> Plan:
    """The plan with its tolls; each section is priced on the local date it is driven."""
    toll_class, warnings = vehicle_toll_class(vehicle)
    legs: list[tuple[TollLeg, date]] = []
    for index, section in enumerate(plan.sections):
        if index == 0:
            leaving, zone = plan.departure, time_zone_at(section.start)
        else:
            previous = plan.sections[index - 1].planned_stop
            leaving, zone = previous.departure, previous.time_zone
        legs.append((section.route, leaving.astimezone(ZoneInfo(zone)).date()))
    return replace(plan, tolls=tour_tolls(legs, toll_class, warnings, lookup=lookup))
