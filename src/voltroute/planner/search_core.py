"""The compiled search (`_search`, from cpp/): lay a search out in seconds, read its plan back.

The compiled core is the optimizer's only label search (its model: optimizer.py's docstring).
Everything that needs clocks, time zones or the road network is done here first: the legs'
cumulative length, time and energy (once per problem, TourBasis), from which the core lays out
the route points' stretches and the lower bounds ahead of each (cpp/route_layout.h, once per
tour: a problem's route points, or a plan's, TourLayout), arrival windows per local day and
opening hours as microseconds from the drive-off (Layout), and the charging curve's pieces per
station power and station power curve. Stations and hops go to the core in bulk, as parallel
arrays. The answer comes back as plain tuples (cpp/bindings.cpp), read here into the chain of
labels (labels.py) that optimizer.py and plan_builder.py read: only when the plan is taken, as
the optimizer compares most plans by their end alone (FoundPlan).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock
from functools import cache
from typing import Protocol
from zoneinfo import ZoneInfo

from voltroute.domain import StationPowerCurve
from voltroute.planner import _search as core
from voltroute.planner.driver_rules import STATE_FIELDS
from voltroute.planner.labels import DriveStep, Label, RoadsideStop, StopStep
from voltroute.planner.leg_profile import LegProfile
from voltroute.planner.problem import (
    ArrivalWindow,
    CandidateStation,
    PlannedLegInput,
    PlanningProblem,
    StationHop,
)
from voltroute.planner.schedule import window_bounds
from voltroute.vehicles.charging import ChargeProfile, charge_profile
from voltroute.vehicles.vehicle import Connector

# Days of customer windows laid out from the drive-off; beyond them whole days repeat.
WINDOW_DAYS = 64
# Round trips to stations counted into the bounds' allowance: driving that inserted charging
# stops may still add (cpp/remaining.h), the longest to the stations from each point on.
DETOUR_TRIPS_ALLOWED = 2
MICROSECOND = timedelta(microseconds=1)
RouteLayout = core.RouteLayout
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


class SearchPoint(Protocol):
    """What the layout reads of a route point (optimizer.RoutePoint)."""

    @property
    def leg(self) -> int: ...
    @property
    def distance_m(self) -> float: ...
    @property
    def station(self) -> CandidateStation | None: ...


class FoundPlan:
    """A search's best plan: what plans are compared by, and its labels when it is taken."""

    __slots__ = ("_label", "_laid", "_layout", "arrival_s", "missed", "waited_s")

    def __init__(self, result: core.Result, layout: Layout) -> None:
        self.missed = result.best_missed
        # The arrival at the destination, counted from when its window lets the truck in.
        self.arrival_s = result.best_end_s
        self.waited_s = result.best_waited_s
        assert result.plan is not None  # a plan was found
        self._laid = result.plan
        self._layout = layout
        self._label: Label | None = None

    def station_stops(self) -> list[tuple[CandidateStation, float]]:
        """The plan's stops at stations in tour order, with the SoC each leaves at (read without
        reading its labels)."""
        laid = self._layout.tour.stations
        return [(laid[station], soc) for station, soc in self._laid.station_stops()]

    def label(self) -> Label:
        """The plan as a chain of labels (read from the core's once)."""
        if self._label is None:
            self._label = self._layout.read_labels(self._laid.labels())
        return self._label


@dataclass(frozen=True, slots=True)
class Outcome:
    """The compiled search's answer."""

    best: FoundPlan | None
    # Where the search ran dry: (route point, whether at a request stop, highest SoC there).
    dry: tuple[int, bool, float] | None
    cut_short: bool  # the search stopped at max_labels: it found nothing and proved nothing
    dropped_any: bool
    dropped_missed: float
    dropped_arrival_s: float


def route_input(problem: PlanningProblem, profiles: Sequence[LegProfile]) -> core.RouteInput:
    """The legs as the core lays route points out on them: their cumulative length, time and
    energy, their stops, the battery."""
    vehicle = problem.vehicle
    route = core.RouteInput()
    tracks = []
    for profile in profiles:
        track = core.LegTrack()
        track.cum_m, track.cum_s, track.cum_kwh = profile.cum_m, profile.cum_s, profile.cum_kwh
        tracks.append(track)
    route.tracks = tracks
    route.service_s = [leg.service_time_s for leg in problem.legs]
    route.driver_free = [leg.driver_free_during_service for leg in problem.legs]
    route.has_window = [leg.window is not None for leg in problem.legs]
    route.dwell = [leg.dwell_power_kw > 0 for leg in problem.legs]
    route.capacity_kwh = vehicle.battery_usable_kwh
    route.soc_reserve = problem.soc_reserve
    route.soc_max = problem.soc_max
    route.min_soc_end = problem.min_soc_end
    route.plug_overhead_s = vehicle.plug_overhead_s
    route.detour_trips = DETOUR_TRIPS_ALLOWED
    return route


def lay_out_route(
    problem: PlanningProblem, route: core.RouteInput, points: Sequence[SearchPoint]
) -> core.RouteLayout:
    """The route points' stretches, useful SoC and bounds on the legs (route_input), laid out
    once per tour (none of it depends on the drive-off)."""
    vehicle = problem.vehicle
    # The fastest a station charges this truck: its power, the inlet's, the curves' peaks.
    curve_kw = max(kw for _, kw in vehicle.charging_curve.points)
    inlet_kw = {c: min(vehicle.inlet_max_kw(c), curve_kw) for c in Connector}
    peak_kw: dict[int, float] = {}  # by the curve's identity (ChargeTables)

    def fastest_kw(station: CandidateStation) -> float:
        power_kw = min(station.power_kw, inlet_kw[station.connector])
        curve = station.power_curve
        if curve is not None:
            peak = peak_kw.get(id(curve))
            if peak is None:
                peak = peak_kw[id(curve)] = curve.peak_kw
            power_kw = min(power_kw, peak)
        return power_kw

    stations = [p.station for p in points]
    index = 0
    station_index = []
    for station in stations:
        station_index.append(-1 if station is None else index)
        index += station is not None
    return core.lay_out_route(
        route,
        [p.leg for p in points],
        [p.distance_m for p in points],
        station_index,
        [0.0 if s is None else fastest_kw(s) for s in stations],
        [0.0 if s is None else s.detour_to_s + s.detour_from_s for s in stations],
    )


class ChargeTables:
    """A problem's charging profiles (per power, connector and power curve) and their charge
    tables per SoC grid (a problem is searched on more than one), made when first asked for."""

    def __init__(self, problem: PlanningProblem) -> None:
        self._problem = problem
        self._profiles: list[ChargeProfile] = []
        self._index: dict[tuple[float, Connector, StationPowerCurve | None], int] = {}
        # The same by the curve's identity first: hashing a curve hashes all its points, and
        # stations share curve objects (the identities stay in use: the keys hold the curves).
        self._by_identity: dict[tuple[float, Connector, int], int] = {}
        self._tables: dict[tuple[float, ...], list[core.ChargeTable]] = {}

    def index(self, power_kw: float, connector: Connector, curve: StationPowerCurve | None) -> int:
        """The table of this power, connector and curve (made on first use)."""
        fast_key = (power_kw, connector, id(curve))
        found = self._by_identity.get(fast_key)
        if found is not None:
            return found
        key = (power_kw, connector, curve)
        found = self._index.get(key)
        if found is None:
            found = self._index[key] = len(self._profiles)
            self._profiles.append(charge_profile(self._problem.vehicle, power_kw, connector, curve))
        self._by_identity[fast_key] = found
        return found

    def on_grid(self, grid: list[float]) -> list[core.ChargeTable]:
        """The charge tables with charging targets on grid, by index."""
        key = tuple(grid)
        tables = self._tables.get(key)
        if tables is None:
            problem = self._problem
            tables = self._tables[key] = [
                core.make_table(
                    profile.pieces, profile.energy_kwh, problem.soc_reserve, problem.soc_max, grid
                )
                for profile in self._profiles
            ]
        return tables


@dataclass(frozen=True, slots=True)
class TourLayout:
    """What every search of a tour shares, whatever its drive-off (laid out once per tour): the
    route points' stretches and bounds, their stations, the hops kept between them, its
    problem's basis, and the core's problem with its battery, stations and hops (template; the
    points and the clocks are laid per drive-off, Layout)."""

    route: core.RouteLayout
    stations: list[CandidateStation]  # by the index the core knows them by
    hops: list[StationHop]  # by the index the core knows them by
    basis: TourBasis
    template: core.Problem
    # The stations with opening hours: their index, openings and closings (sorted by opening)
    # in whole microseconds since the epoch.
    hours: list[tuple[int, list[float], list[float]]]


StationKey = tuple[int, str]
"""A candidate station by its leg and its id (a station may be a candidate on two legs)."""


@dataclass(frozen=True, slots=True)
class ProblemHops:
    """A problem's hops as the core reads them: the station ids they join, numbered (ids), and
    the hops in the core's table (their legs, the numbers of their ends, time and energy)."""

    hops: list[StationHop]
    ids: dict[str, int]
    table: core.HopTable


def problem_hops(problem: PlanningProblem) -> ProblemHops:
    """A problem's hops, numbered (by id alone: a (leg, id) key per hop costs three times as
    much, and the core pairs the legs)."""
    hops = list(problem.station_hops)
    ids: dict[str, int] = {}
    from_ids = [ids.setdefault(hop.from_station_id, len(ids)) for hop in hops]
    to_ids = [ids.setdefault(hop.to_station_id, len(ids)) for hop in hops]
    table = core.HopTable(
        [hop.leg_index for hop in hops],
        from_ids,
        to_ids,
        [hop.duration_s for hop in hops],
        [hop.energy_kwh for hop in hops],
    )
    return ProblemHops(hops, ids, table)


@dataclass(frozen=True, slots=True)
class TourBasis:
    """What the layouts of one problem share, whatever their stations (a plan's stations are
    searched again): the legs as the core reads them, the charge tables, the hops, the SoC
    grids, and the clocks of each drive-off."""

    route: core.RouteInput
    tables: ChargeTables
    hops: ProblemHops
    grids: dict[float, list[float]] = field(default_factory=dict)  # SoC targets by soc_step
    clocks: dict[datetime, Clocks] = field(default_factory=dict)  # by drive-off (Layout)


def tour_basis(problem: PlanningProblem, profiles: Sequence[LegProfile]) -> TourBasis:
    """A problem's basis for its layouts."""
    return TourBasis(route_input(problem, profiles), ChargeTables(problem), problem_hops(problem))


def lay_out_tour(
    problem: PlanningProblem,
    basis: TourBasis,
    points: Sequence[SearchPoint],
    targets: Mapping[StationKey, list[float]] | None = None,
) -> TourLayout:
    """A tour's route points laid out for the core: stretches, stations (with SoCs to charge
    to besides the grid's, targets), the hops between them, and their charge tables (added to
    the basis's)."""
    route = lay_out_route(problem, basis.route, points)
    tables = basis.tables
    vehicle = problem.vehicle
    out = core.Problem()
    out.capacity_kwh = vehicle.battery_usable_kwh
    out.soc_reserve = problem.soc_reserve
    out.soc_max = problem.soc_max
    out.min_soc_end = problem.min_soc_end
    out.soc_start = problem.soc_start
    out.min_charge_s = problem.min_charge_duration_s
    out.plug_overhead_s = vehicle.plug_overhead_s
    # What a unit of SoC is worth when labels must be dropped: its charge time at the
    # fastest power the truck takes.
    out.soc_value_s = (
        vehicle.battery_usable_kwh / max(1.0, vehicle.inlet_max_kw(Connector.CCS)) * 3600.0
    )
    for leg in problem.legs:
        if leg.dwell_power_kw > 0:
            tables.index(leg.dwell_power_kw, Connector.CCS, leg.dwell_power_curve)
    stations = [p.station for p in points if p.station is not None]
    out.set_stations(
        [s.leg_index for s in stations],
        [s.detour_to_s for s in stations],
        [s.detour_from_s for s in stations],
        [s.detour_to_kwh for s in stations],
        [s.detour_from_kwh for s in stations],
        [tables.index(s.power_kw, s.connector, s.power_curve) for s in stations],
        [s.vacate_when_charged for s in stations],
    )
    if targets:
        for index, station in enumerate(stations):
            socs = targets.get((station.leg_index, station.station_id))
            if socs:
                out.set_station_targets(index, socs)
    hops: list[StationHop] = []
    numbered = basis.hops
    if numbered.hops:
        laid = out.lay_hops(
            route, [numbered.ids.get(s.station_id, -1) for s in stations], numbered.table
        )
        hops = [numbered.hops[k] for k in laid]
    hours = []
    for index, station in enumerate(stations):
        if station.open_intervals is not None:
            intervals = sorted(station.open_intervals, key=lambda i: i.opens)
            hours.append(
                (
                    index,
                    [_us(i.opens - EPOCH) for i in intervals],
                    [_us(i.closes - EPOCH) for i in intervals],
                )
            )
    return TourLayout(route, stations, hops, basis, out, hours)


class Layout:
    """A tour laid out for the compiled core from one drive-off (its clocks: the driver's
    counters, the windows, the opening hours)."""

    def __init__(self, problem: PlanningProblem, drive_off: datetime, tour: TourLayout) -> None:
        out = core.Problem(tour.template)
        clocks = tour.basis.clocks.get(drive_off)
        if clocks is None:
            clocks = tour.basis.clocks[drive_off] = _clocks(problem, drive_off, tour.basis.tables)
        out.rules, out.start, out.legs = clocks
        drive_off_us = _us(drive_off - EPOCH)
        for index, opens_us, closes_us in tour.hours:
            out.set_station_hours(index, opens_us, closes_us, drive_off_us)
        # The route points, and the window chain on the legs' clocks.
        out.lay_route(tour.route)
        self.problem = problem
        self.tour = tour
        self.laid = out

    def run(
        self,
        grid: list[float],
        driver_step_s: float,
        label_limit: int,
        bound: tuple[int, float] | None,
        count_dropped: bool,
        max_labels: int = 0,
        station_chains: bool = True,
        short_sessions: bool = True,
        reach_targets: bool = False,
        station_grid: bool = True,
    ) -> Outcome:
        """Search with charging targets on grid, these settings and an optional bound (missed
        windows, arrival)."""
        tables = self.tour.basis.tables.on_grid(grid)
        self.laid.tables = tables
        settings = core.Settings()
        settings.driver_step_s = driver_step_s
        settings.label_limit = label_limit
        if bound is not None:
            settings.has_bound = True
            settings.bound_missed, settings.bound_arrival_s = bound
        settings.count_dropped = count_dropped
        settings.max_labels = max_labels
        settings.station_chains = station_chains
        settings.short_sessions = short_sessions
        settings.reach_targets = reach_targets
        settings.station_grid = station_grid
        result = core.search(self.laid, settings)
        best = None if result.plan is None else FoundPlan(result, self)
        dry = None
        if result.dry_point >= 0:
            dry = (result.dry_point, result.dry_at_stop, result.dry_soc)
        return Outcome(
            best,
            dry,
            result.cut_short,
            result.dropped_any,
            result.dropped_missed,
            result.dropped_arrival_s,
        )

    def read_labels(self, labels: list[core.Label]) -> Label:
        """The core's labels of a plan (root first) as a chain of Python labels."""
        label: Label | None = None
        stations, hops = self.tour.stations, self.tour.hops
        for time_s, soc, missed, waited_s, stops, charged_kwh, drive, stop in labels:
            step: DriveStep | StopStep | None = None
            if drive is not None:
                # The core's tuple is the step's, but for its roadside stops (mostly none).
                if drive[5]:
                    drive = (*drive[:5], _roadside(drive[5]))
                step = _new_step(DriveStep, drive)
            elif stop is not None:
                station, hop = stop[1], stop[2]
                step = StopStep(
                    stop[0],
                    None if station < 0 else stations[station],
                    *stop[5:15],
                    _roadside(stop[15]),
                    _roadside(stop[16]),
                    None if hop < 0 else hops[hop],
                    stop[3],
                    stop[4],
                )
            label = Label(
                time_s,
                soc,
                missed,
                waited_s,
                stops,
                charged_kwh,
                label,
                step,
            )
        assert label is not None
        return label


def _roadside(stops: tuple[core.RoadsideStop, ...]) -> tuple[RoadsideStop, ...]:
    return tuple(_new_step(RoadsideStop, stop) for stop in stops) if stops else ()


# A named tuple from a plain one of its fields in order (the class's own __new__ passes them
# one by one).
_new_step = tuple.__new__


Clocks = tuple[core.DriverRules, core.DriverState, list[core.Leg]]
"""What a drive-off sets: the driver rules' limits, the driver's counters, the legs' windows."""


def _clocks(problem: PlanningProblem, drive_off: datetime, tables: ChargeTables) -> Clocks:
    legs = []
    for leg in problem.legs:
        laid = core.Leg()
        laid.service_s = leg.service_time_s
        laid.driver_free = leg.driver_free_during_service
        if leg.dwell_power_kw > 0:
            laid.dwell_table = tables.index(
                leg.dwell_power_kw, Connector.CCS, leg.dwell_power_curve
            )
        if leg.window is not None:
            laid.has_window = True
            laid.window = _daily_windows(leg, drive_off)
        legs.append(laid)
    return _rules(problem, drive_off), _start(problem, drive_off), legs


def _rules(problem: PlanningProblem, drive_off: datetime) -> core.DriverRules:
    out = core.DriverRules()
    for name, value in problem.driver_rules.core_limits(drive_off).items():
        setattr(out, name, value)
    return out


def _start(problem: PlanningProblem, drive_off: datetime) -> core.DriverState:
    tour_start = drive_off - timedelta(seconds=problem.departure_service_s)
    state = problem.driver_rules.core_start(drive_off, tour_start, problem.departure_service_s)
    out = core.DriverState()
    for name in STATE_FIELDS:
        setattr(out, name, getattr(state, name))
    return out


def _daily_windows(leg: PlannedLegInput, drive_off: datetime) -> core.DailyWindows:
    """The stop's window of each local day from the day before the drive-off on, as
    schedule.window_bounds finds them (closing past midnight: the next day)."""
    assert leg.window is not None
    tz = leg.stop_time_zone
    first = drive_off.astimezone(ZoneInfo(tz)).date() - timedelta(days=1)
    starts, opens, closes = _local_days(leg.window, tz, first)
    zero = _us(drive_off - EPOCH)
    out = core.DailyWindows()
    out.day_start_us = [t - zero for t in starts]
    out.opens_us = [t - zero for t in opens]
    out.closes_us = [t - zero for t in closes]
    return out


@cache
def _local_days(
    window: ArrivalWindow, tz_name: str, first: date
) -> tuple[list[float], list[float], list[float]]:
    """Midnight, opening and closing of WINDOW_DAYS local days from first, in microseconds
    since the epoch (a departure search asks for the same days again and again)."""
    tz = ZoneInfo(tz_name)
    starts, opens_us, closes_us = [], [], []
    for offset in range(WINDOW_DAYS):
        day = first + timedelta(days=offset)
        opening = datetime.combine(day, window.opens, tzinfo=tz)
        opens, closes = window_bounds(window, opening, tz_name)
        starts.append(_us(datetime.combine(day, clock(0, 0), tzinfo=tz) - EPOCH))
        opens_us.append(_us(opens - EPOCH))
        closes_us.append(_us(closes - EPOCH))
    return starts, opens_us, closes_us


def _us(delta: timedelta) -> float:
    # Whole microseconds, the resolution of the plan's clock (exact in a float for 285 years).
    return float(delta // MICROSECOND)
