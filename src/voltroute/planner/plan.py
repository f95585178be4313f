"""What the planner returns: sections ending at stops, with times, SoC and energy."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from voltroute.domain import LatLon
from voltroute.planner.route_stations import CorridorStation, StationOnRoute
from voltroute.routing.route import RouteLeg
from voltroute.tachograph import ActivityKind
from voltroute.tolls.section_tolls import TourTolls


class StopKind(StrEnum):
    CUSTOMER = "customer"
    DESTINATION = "destination"
    CHARGING = "charging"
    BREAK = "break"
    DAILY_REST = "daily_rest"
    WEEKLY_REST = "weekly_rest"


class WindowsReachable(StrEnum):
    """Whether the plan meets every stop's arrival window (not considered: no stop has one)."""

    TRUE = "all_met"
    FALSE = "some_missed"
    NOT_CONSIDERED = "not_considered"


class NotDrivableCode(StrEnum):
    NO_CHARGERS_AVAILABLE = "no_chargers_available"
    BATTERY_DEPLETED_MID_ROUTE = "battery_depleted_mid_route"


@dataclass(frozen=True, slots=True)
class NotDrivable:
    """Why and where the tour cannot be driven."""

    code: NotDrivableCode
    message: str
    section_index: int
    distance_from_start_m: float  # along the whole tour
    position: LatLon
    missing_energy_kwh: float
    # When the request's station filters left no charger usable (filled in by the pipeline):
    # corridor stations each filter removed, those only for want of data, the fewest filters
    # whose removal lets stations through, and whether the tour is drivable without them.
    removed_by_filter: tuple[tuple[str, int], ...] = ()
    unknown_by_filter: tuple[tuple[str, int], ...] = ()
    binding_filters: tuple[str, ...] = ()
    drivable_without_binding_filters: bool | None = None
    charging_without_binding_filters: str | None = None  # the stop that plan would make


@dataclass(frozen=True, slots=True)
class StopActivity:
    """A part of a stop's time and what the driver does in it (a tachograph's activity)."""

    kind: ActivityKind
    start: datetime
    end: datetime


@dataclass(frozen=True, slots=True)
class PlannedStop:
    """The stop at the end of a section and what happens there."""

    kind: StopKind
    name: str
    position: LatLon
    arrival: datetime
    departure: datetime
    soc_arrival: float
    soc_departure: float
    charged_kwh: float  # into the battery
    charge_time_s: float  # pure charging time
    service_time_s: float  # the stop's own service (unloading, ...)
    waiting_s: float  # before the arrival window opens
    dwell_power_kw: float
    window_met: bool | None  # None: the stop has no window
    time_zone: str
    # Extensions for inserted stops and driver rules (the optimizer fills them).
    break_s: float = 0.0  # free time that counts as a break (EU 561/2006 art. 7)
    rest_s: float = 0.0  # free time that counts as a daily or weekly rest (art. 8)
    driving_since_break_s: float = 0.0  # on arrival, since the last completed break or rest
    plug_overhead_s: float = 0.0  # parking and plugging at an inserted charging stop
    station_id: str | None = None  # the candidate station of an inserted charging stop
    # Arrival to departure, in order: waiting, work (service, plugging), breaks and rests.
    activities: tuple[StopActivity, ...] = ()
    driver_free_during_service: bool = False  # the choice applied at a customer stop


@dataclass(frozen=True, slots=True)
class PlannedSection:
    """A driven leg and the stop it ends at."""

    section_id: str | None
    start: LatLon
    stop: LatLon
    route: RouteLeg
    payload_kg: float
    energy_kwh: float
    soc_start: float  # leaving the section start
    soc_end: float  # arriving at the stop
    driving_s: float
    planned_stop: PlannedStop
    opening_time: tuple[str, ...] | None
    request_service_time_min: float
    request_power_available_kw: float
    # Detour to the stop at the end and from the stop at the start, in driving_s and energy_kwh
    # but not in the route's geometry (which follows the road up to the junction).
    detour_m: float = 0.0
    # Driven from the previous stop's station straight to this one (a chain of stations), off
    # the route: the route is empty and detour_m is the hop's length.
    station_hop: bool = False
    # The route a chain of stations leaves out (between the junctions of its first and last
    # station): neither in route nor driven.
    hopped_over_m: float = 0.0
    # The station whose way back to the route the section takes after a hop, passing it by
    # without a stop (None: none).
    passed_station_id: str | None = None


@dataclass(frozen=True, slots=True)
class PlanWarning:
    """Something the user must know about a section of an otherwise valid plan."""

    section_index: int
    message: str


@dataclass(frozen=True, slots=True)
class Plan:
    """The planner's answer for one tour."""

    sections: tuple[PlannedSection, ...]
    departure: datetime  # driving off from the origin
    tour_start: datetime  # start of service at the origin (earliest departure or shifted)
    arrival: datetime  # at the last stop
    soc_start: float
    soc_end: float  # leaving the last stop
    windows_reachable: WindowsReachable
    optimal_departure: datetime | None
    not_drivable: NotDrivable | None
    warnings: tuple[PlanWarning, ...] = ()
    # Filled in after planning (jobs/plan_tolls.py); the planner never computes tolls.
    tolls: TourTolls | None = None
    # Filled in by the pipeline from the corridor search: the stations the request's filters
    # accept along the route (annotated once the plan exists), and every corridor station.
    stations_on_route: tuple[StationOnRoute, ...] = ()
    corridor_stations: tuple[CorridorStation, ...] = ()
    # From the optimizer (optimizer.Solution): whether its label limit dropped nothing, and
    # the earliest arrival (as the last stop's window lets the truck in) that any plan driving
    # off at the earliest time could reach; the plan arrives at most that much later.
    search_exhaustive: bool = False
    arrival_lower_bound: datetime | None = None
    team_driving: bool = False  # two drivers (their timelines: activity_timeline)

    @property
    def drivable(self) -> bool:
        """True when the tour can be driven as planned."""
        return self.not_drivable is None

    @property
    def optimality_gap_s(self) -> float | None:
        """At most how much earlier a plan driving off at the earliest time could arrive (as
        the last stop's window lets the truck in); None when unknown."""
        if self.arrival_lower_bound is None or not self.sections:
            return None
        last = self.sections[-1].planned_stop
        let_in = last.arrival + timedelta(seconds=last.waiting_s)
        return max(0.0, (let_in - self.arrival_lower_bound).total_seconds())
