"""The charging stations a plan lists: those along the route it could use, and the corridor's.

Filled in by the pipeline after planning (`planning/station_feed.py`, `poi_annotations.py`);
the planner itself only sees `CandidateStation`s. Distances in metres, durations in seconds,
power in kW, times as aware datetimes: how the result writes them is `api/result_shapes.py`'s.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from voltroute.domain import LatLon


@dataclass(frozen=True, slots=True)
class CorridorStation:
    """A charging station near the route, as the result describes it."""

    station_id: str
    name: str
    address: str | None
    position: LatLon
    max_power_kw: float  # the most powerful charge point
    truck_access: str | None  # "T" (tractor), "TT" (truck and trailer), None when unknown
    amenities: tuple[str, ...]
    bookable: bool | None
    location_id: str | None  # OCPI location id
    opening_hours: str | None  # OSM opening_hours syntax; None: always open or unknown
    tenant_station: bool  # one of the tenant's own stations (a depot)
    scenario: bool  # a planned site from a scenario file, not a real charger


@dataclass(frozen=True, slots=True)
class AlternativeStation:
    """A station that could replace a chosen charging stop: same leg, as strong, reachable and
    open for the stop's duration (`planning/poi_annotations.py` says how near)."""

    station_id: str
    name: str
    address: str | None
    position: LatLon
    corridor_number: int  # its StationOnRoute's
    power_kw: float  # best power the request's filters accept
    detour_m: float  # there and back
    along_from_chosen_m: float  # along the route from the chosen station; negative: before it
    same_group: bool  # at the same site as the chosen station
    scenario: bool


@dataclass(frozen=True, slots=True)
class StationOnRoute:
    """A station the request's filters accept near a leg, with its detour and, once the plan
    exists, when the truck would get there and whether the plan charges there."""

    station: CorridorStation
    corridor_number: int  # 1-based place among the stations the corridor search found
    leg_index: int  # the request section (leg) the station lies along
    distance_along_leg_m: float  # from the leg's start to the route point
    route_point: LatLon  # the nearest point of the route, where the detour leaves it
    distance_to_route_m: float  # straight from the route point
    power_kw: float  # best power the request's filters accept
    detour_m: float | None  # there and back; None: the station could not be routed to
    detour_s: float | None
    group_id: int  # stations of one site share it (1-based)
    represents_group: bool  # the site's most powerful station
    position_conflict: bool  # another source puts the same site elsewhere
    # After planning: when the truck would arrive (None: no detour or beyond the plan), the
    # opening span around that arrival (None ends: open beyond the horizon looked at), the
    # result sections whose stop charges here, and the alternatives to it when it is used.
    arrival: datetime | None = None
    opens: datetime | None = None
    closes: datetime | None = None
    used_in_sections: tuple[int, ...] = ()
    alternatives: tuple[AlternativeStation, ...] = ()
