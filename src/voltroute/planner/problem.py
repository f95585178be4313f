"""What the planner is given: routed legs with their energy, the stops' rules, the vehicle."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time

from voltroute.domain import LatLon, StationPowerCurve
from voltroute.planner.driver_rules import EU_561, DriverRules
from voltroute.routing.route import RouteLeg
from voltroute.vehicles.vehicle import Connector, Vehicle

SOC_RESERVE_DEFAULT = 0.10  # never planned below this; equals the contract's lowest end level


@dataclass(frozen=True, slots=True)
class ArrivalWindow:
    """A daily window, in the stop's local clock time, in which the truck should arrive."""

    opens: time
    closes: time


@dataclass(frozen=True, slots=True)
class OpenInterval:
    """A span (timezone-aware) in which a station is open."""

    opens: datetime
    closes: datetime


@dataclass(frozen=True, slots=True)
class CandidateStation:
    """A charger the truck could stop at, reached by a detour from a point of one leg.

    Built by the pipeline from the stations package's corridor search; the planner only reads it.
    """

    station_id: str
    name: str
    position: LatLon
    leg_index: int
    distance_along_leg_m: float  # where the detour leaves (and rejoins) the route
    detour_to_s: float  # route point -> station
    detour_from_s: float  # station -> route point
    detour_to_kwh: float
    detour_from_kwh: float
    detour_m: float  # extra distance driven, both ways
    power_kw: float  # best power for this vehicle's connector at the station
    connector: Connector
    open_intervals: tuple[OpenInterval, ...] | None = None  # None: always open
    address: str | None = None
    operator: str | None = None
    bookable: bool | None = None
    location_id: str | None = None
    group_id: int | None = None
    # The bay must be freed when charging ends (e.g. Milence): no rest stretched past the session.
    vacate_when_charged: bool = False
    # The charger's own limit over SoC (a derated or shared cabinet), below power_kw where it
    # tapers; None: power_kw alone caps the vehicle's curve.
    power_curve: StationPowerCurve | None = None


@dataclass(frozen=True, slots=True)
class StationHop:
    """A drive from one candidate station straight to another of the same leg whose junction
    lies further on (a chain: the truck charges at both without rejoining the route between)."""

    leg_index: int
    from_station_id: str
    to_station_id: str
    duration_s: float
    energy_kwh: float
    distance_m: float


@dataclass(frozen=True, slots=True)
class PlannedLegInput:
    """One request section after routing: the leg, its energy per edge and the stop at its end."""

    section_id: str | None
    start: LatLon
    stop: LatLon
    route: RouteLeg
    edge_energy_kwh: tuple[float, ...]  # one per route edge, negative when recuperating
    payload_kg: float
    service_time_s: float  # dwell at the stop at the end of the leg
    dwell_power_kw: float  # charging power available during that dwell (0: none)
    window: ArrivalWindow | None
    stop_time_zone: str  # IANA name, e.g. "Europe/Berlin"
    opening_time: tuple[str, ...] | None = None  # the request's text, echoed in the result
    # Service is work (loading, unloading) unless the driver is free during it (drop trailer,
    # the customer's staff loads): only then can the service time host a break or a rest.
    driver_free_during_service: bool = False
    # The stop's charger's own limit over SoC, below dwell_power_kw where it tapers (None: the
    # flat power alone), as a station's power_curve.
    dwell_power_curve: StationPowerCurve | None = None

    def __post_init__(self) -> None:
        if len(self.edge_energy_kwh) != len(self.route.edges):
            raise ValueError("edge_energy_kwh needs exactly one value per route edge")


@dataclass(frozen=True, slots=True)
class PlanningProblem:
    """A whole tour: the vehicle, the legs in order, the battery limits and the start."""

    vehicle: Vehicle
    legs: tuple[PlannedLegInput, ...]
    soc_start: float
    min_soc_end: float
    earliest_departure: datetime  # timezone-aware
    departure_service_s: float = 0.0  # service at the origin before driving off
    soc_reserve: float = SOC_RESERVE_DEFAULT
    soc_max: float = 1.0
    stations: tuple[CandidateStation, ...] = ()
    min_charge_duration_s: float = 0.0  # 0 or at least this much pure charging per session
    # Stations the request's filters (poi_info, corridor) removed: only used to explain a failure.
    filtered_out_stations: tuple[CandidateStation, ...] = ()
    driver_rules: DriverRules = EU_561
    # Drives between candidate stations of one leg (the corridor's station chains).
    station_hops: tuple[StationHop, ...] = ()

    def __post_init__(self) -> None:
        if not self.legs:
            raise ValueError("a tour needs at least one leg")
        if self.earliest_departure.tzinfo is None:
            raise ValueError("earliest_departure must be timezone-aware")
        if not 0.0 <= self.soc_reserve <= self.min_soc_end <= self.soc_max <= 1.0:
            raise ValueError("need 0 <= reserve <= end level <= max soc <= 1")
