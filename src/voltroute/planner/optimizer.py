"""The optimizer: least total tour time over charging stops, SoC targets, breaks and rests.

Model. Route points in tour order: the start, every candidate station's junction with the route
(ordered by leg and distance) and every leg end (the request's stops). A label is a partial plan
standing at a route point: time, SoC, driver counters (driver_rules), missed windows and the
tie-breakers (waiting, stops, charged energy). Labels move to the next route point along the road
(SoC exact, see corridor); at a station a label may also leave for the station and charge to any SoC
of the grid {k * soc_step} up to soc_max (plus soc_max itself, the SoC that finishes the tour
without charging again, and the SoC that a min_charge_duration session, a break or a daily rest
reaches), and come back; at a request stop it waits for the window,
is served, dwell-charges, and may stay for a break, a rest or more charge (to a grid SoC); before a
service that is work, the wait for a window (at the stop, or standing near it for the next one) may
be stretched into a break, a split break's first part, a part of a break of 2002/15 or a rest the
tour still needs (the wait is spent anyway). Breaks and rests that fall between stops are taken at
the exact point where a limit runs out (taking them earlier on the same stretch is never better),
and where a break falls due the daily rest may be taken instead while the tour still needs one; a
stop is only stretched into a break or a rest while the rest of the tour still needs one
(remaining). A label is dropped when another at the same point is no worse for the rest of the tour
(dominance: SoC counted up to what finishes the tour, counters only while they still matter, a
rest's while the driving, the services and the charging its SoC still needs can bring one due, a
break taken on the spot).

Chains. Where the problem has hops (PlanningProblem.station_hops: a drive from one station
straight to another of the same leg whose junction comes later), a label that charged at a
station may leave by a hop instead of coming back, and is searched on where the hop ends: it
charges there too, or passes that station by and takes its way back to the route (a shorter way
back than its own). A hop that would save driving on the route between the two junctions is
left out (the bounds count that route as the least there is), and so is one that saves nothing
on coming back and going out again. The labels that leave a station are compared there, and
bounded where their hops end. The first pass goes without chains; where a tour is too small
for one, a search without chains on the default grid bounds the search with them.

Exactness. Within this model (departure SoCs of charging sessions on the grid; idle waiting only for
windows and closed stations: for the window of the arrival's day, or, standing near the stop
(stretched as above), for the next one when that has closed: for less than a daily rest, or as
the daily rest where the tour after the stop must have one anyway; a roadside rest uses a
remaining 10-hour day) the search is exhaustive up to dominance, so its arrival is optimal
when no route point reaches label_limit (set it to 0 for a proof). Against continuous SoC targets
the gap is at most, per charging stop, the time to charge one grid step at that stop; the
refinement takes most of it back.

Refinement. A grid overshoots: a stop charges up to a step more than reaches the next stop, which
at a slow charger costs minutes. The plan found is therefore searched again over its own
stations (few), with targets off the grid instead of the grid's (reach_targets, station_grid):
at each station the SoC the plan leaves it at, and the SoCs that reach each later station's bay
(by the route, or by a hop), or a later stop that charges, at the reserve (besides the SoC that
finishes the tour and those of breaks and rests, as always). A search without the grid's targets
is small. The refined plan is taken where it is earlier; searches over the plan's stations from
then on (Departure) keep those targets. Exhaustiveness and the stated lower bound speak of the
grid (the search before it), the bound at most the plan's arrival.

Label limit. Where more than label_limit labels at a route point survive dominance, it keeps
label_limit of them, taken in turns from two rankings: the earliest arrival a label can still reach
(its arrival lower bound, see Bound: it sees a window that can no longer be met today and the
breaks or a rest falling due), and its time less what its SoC and its unused driving time are worth
(which values a break already taken); the fullest label stays too. At a station whose front
(the labels at its junction) already fills the limit, and where the station batch groups its
arrivals (driver_step_s > 0), a session shorter than the first free time that counts for the
driver (a break's first part, a part of a break of 2002/15, a break) is made only as a top-up,
from an arrival that cannot reach the next chance to charge without one (a station, with its
way in, or a stop that charges; every arrival at the last station). The others could go on,
where such a session rarely pays off and only crowds the limit's places; they count as dropped,
with the bound of their arrival. Sessions to the SoC that finishes the tour, and to the times
that count, stay.

Bound. On tours with many route points a coarse, narrow first pass (PREPASS: no sessions shorter
than the free time that counts for the driver, short_sessions) finds a plan quickly;
the search proper then drops every label whose arrival lower bound (driving, services, the larger
of the charging its SoC still needs and the free time its driving ahead needs: a daily rest when
one is still due, else the breaks of its 4.5-hour stretches; and the waits that meeting every
window ahead forces, see remaining) is later than that plan's. No label of a better plan is lost,
so the cut is exact; it frees the label limit for labels that can still win; such labels are not
even made, nor the sessions of an arrival at a station that none of them could beat the plan from.
A proof (label_limit 0) always has a first pass, whatever the tour's size (unless
prepass_above_points says otherwise). With or without a plan, a label short of energy with no
charging ahead (no station, no stop that charges) is dead where it stands: a tour that cannot be
driven runs dry there, not after every schedule of the stops beyond.

Finer grids. A soc_step finer than the default first searches the default grid, and that plan
is the bound of the finer search: the finer grid only adds targets, the label limit spends
itself on labels that can still beat the default's plan, and the answer is never later than
the default grid's: where windows delay the drive-off, the default grid's plan is delayed too,
and the shorter tour is taken.

Memory. A search stops when it has made max_labels labels, those cut at once by the bound
included (cut short: it neither found nor proved anything); the plan is then the best of the
bounded searches (the first pass, the default grid, or a label-limited search made for the
purpose), and says it is not proven. The core keeps only the labels its prunes keep; the others
of a route point are overwritten at the next.

Departure: the search runs from the earliest drive-off; with windows, the drive-off is then
delayed as far as the arrival stays the same (bisection on re-runs with the stations of the plan
found), which removes waiting.

Where it runs: each search runs in the compiled core (cpp/search.cpp through search_core); this
module keeps the Python model around it: route points, stretches, the first pass, the bound,
the departure. The tests hold the proof: an exhaustive oracle on small instances
(tests/planner/oracle.py) and an independent plan validator (tests/planner/validator.py).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from functools import lru_cache
from operator import attrgetter
from typing import NamedTuple

from voltroute.planner.labels import Label, StopStep
from voltroute.planner.leg_profile import LegProfile
from voltroute.planner.problem import CandidateStation, PlanningProblem
from voltroute.planner.search_core import (
    FoundPlan,
    Layout,
    RouteLayout,
    StationKey,
    TourBasis,
    TourLayout,
    lay_out_tour,
    tour_basis,
)
from voltroute.vehicles.vehicle import Connector

SOC_STEP_DEFAULT = 0.02
MIN_SOC_STEP = 0.001
MAX_SOC_STEP = 0.1
DRIVER_STEP_DEFAULT_S = 300.0
MAX_DRIVER_STEP_S = 1800.0
LABEL_LIMIT_DEFAULT = 100
DEPARTURE_BISECTIONS = 8
ARRIVAL_TOL_S = 1e-3
PREPASS_ABOVE_POINTS_DEFAULT = 40
# Labels made, dropped ones included: at most about 0.9 GB of labels and steps (~300 bytes a
# label), though cpp/search.cpp keeps only those its prunes keep (on the bench a fifth); a
# production search makes a few hundred thousand.
MAX_LABELS_DEFAULT = 4_000_000


@dataclass(frozen=True, slots=True)
class OptimizerSettings:
    """Search resolution; values outside the bounds are rejected.

    soc_step: the charging-target grid, min 0.001, default 0.02 (2 %), max 0.1.
    driver_step_s: bucket of driver counters within which the faster label wins
    (the core's station batch, cpp/search.cpp), min 0 (exact), default 300 s, max 1800 s.
    """

    soc_step: float = SOC_STEP_DEFAULT
    driver_step_s: float = DRIVER_STEP_DEFAULT_S
    # Safety net, not part of the model: at most this many labels per route point (0: no limit);
    # beyond it the labels of least estimated tour time are kept (Search::prune in cpp/search.cpp)
    # and optimality is not proven.
    label_limit: int = LABEL_LIMIT_DEFAULT
    # Tours with more route points than this first get a plan from a coarse, narrow search
    # (PREPASS); the search proper then drops every label that cannot beat it, an exact cut
    # (Bound). 0: always; None: PREPASS_ABOVE_POINTS_DEFAULT, and always for a proof
    # (label_limit 0), whose memory and time the bound keeps in check.
    prepass_above_points: int | None = None
    # Memory: a search that would make more labels than this stops; the plan is then the best
    # the bounded searches found, and says it is not proven (0: no limit).
    max_labels: int = MAX_LABELS_DEFAULT
    # Chains of stations by the problem's hops (PlanningProblem.station_hops). The first pass
    # goes without: its plan only bounds the search proper, and chains multiply its labels.
    station_chains: bool = True
    # Charging sessions shorter than the shortest free time that counts for the driver (a
    # break's first part, a part of a break of 2002/15, a break), as top-ups (Label limit). The
    # first pass goes without: they crowd its ten places a point, and it still charges to the
    # SoC that finishes the tour.
    short_sessions: bool = True
    # Search the plan found again over its own stations with reach_targets (Refinement).
    refine: bool = True
    # For searches over a plan's stations (Refinement): also charge to the SoCs that reach
    # each later station, or stop that charges, at the reserve; and at stations to the grid's
    # SoCs, or only to the plan's own and those.
    reach_targets: bool = False
    station_grid: bool = True

    @property
    def on_default_grid(self) -> OptimizerSettings | None:
        """These settings on the default SoC grid where theirs is finer (Finer grids), else
        None."""
        if self.soc_step < SOC_STEP_DEFAULT - 1e-12:
            return replace(self, soc_step=SOC_STEP_DEFAULT)
        return None

    @property
    def first_pass_above_points(self) -> int:
        """Tours with more route points than this get the first pass."""
        if self.prepass_above_points is not None:
            return self.prepass_above_points
        return 0 if self.label_limit == 0 else PREPASS_ABOVE_POINTS_DEFAULT

    def __post_init__(self) -> None:
        if not MIN_SOC_STEP <= self.soc_step <= MAX_SOC_STEP:
            raise ValueError(f"soc_step must be within {MIN_SOC_STEP}..{MAX_SOC_STEP}")
        if not 0.0 <= self.driver_step_s <= MAX_DRIVER_STEP_S:
            raise ValueError(f"driver_step_s must be within 0..{MAX_DRIVER_STEP_S}")
        if self.label_limit < 0:
            raise ValueError("label_limit must be >= 0")
        if self.prepass_above_points is not None and self.prepass_above_points < 0:
            raise ValueError("prepass_above_points must be >= 0")
        if self.max_labels < 0:
            raise ValueError("max_labels must be >= 0")


EXACT = OptimizerSettings(driver_step_s=0.0, label_limit=0)
# Ten labels a point: with five, the first pass can miss a window by a day where the search then
# finds a plan a day earlier, and its loose bound cuts little (bench/optimizer.py's slowest tour).
PREPASS = OptimizerSettings(
    soc_step=0.1, driver_step_s=900.0, label_limit=10, station_chains=False, short_sessions=False
)


@dataclass(frozen=True, slots=True)
class Bound:
    """A plan already found: its missed windows and its arrival (search seconds)."""

    missed: int
    arrival_s: float


class Dropped:
    """What the label limit dropped, at best: the fewest missed windows and, with those, the
    earliest arrival lower bound. Nothing dropped: the search was exhaustive."""

    def __init__(self) -> None:
        self.missed = math.inf
        self.arrival_s = math.inf

    @property
    def anything(self) -> bool:
        """Whether the limit dropped any label."""
        return self.missed < math.inf

    def unknown(self) -> None:
        """A search stopped short: any plan might have been better."""
        self.missed, self.arrival_s = -math.inf, -math.inf

    def merge(self, missed: float, arrival_s: float) -> None:
        """Count dropped labels known by their fewest missed windows and earliest bound."""
        if missed < self.missed:
            self.missed, self.arrival_s = missed, arrival_s
        elif missed == self.missed:
            self.arrival_s = min(self.arrival_s, arrival_s)


class RoutePoint(NamedTuple):
    """A point of the tour where labels are compared (a tuple: hundreds are made per tour)."""

    leg: int
    distance_m: float
    station: CandidateStation | None  # None: the end of the leg (a request stop) or the start


@dataclass(frozen=True, slots=True)
class Reach:
    """How far the best partial plan got when no plan exists."""

    leg: int
    distance_m: float  # along the leg, where the SoC would hit the reserve
    missing_kwh: float  # to reach the next point with a charger or the destination


@dataclass(frozen=True, slots=True)
class Solution:
    """The best label at the destination and where the search ran."""

    drive_off: datetime
    best: Label | None
    reach: Reach | None
    profiles: tuple[LegProfile, ...]
    # Whether the label limit dropped nothing, and the earliest arrival (seconds from the
    # earliest drive-off) that any plan driving off then could reach, counting what the limit
    # dropped (None: unknown, as dropped partial plans might have met more windows). A later
    # drive-off (departure bisection) keeps or improves the arrival.
    exhaustive: bool = True
    arrival_lower_bound_s: float | None = None


def usable_stations(problem: PlanningProblem) -> list[CandidateStation]:
    """Stations that can deliver power to this vehicle, on a leg of the tour."""
    inlet_kw = {c: problem.vehicle.inlet_max_kw(c) for c in Connector}
    legs = len(problem.legs)
    return [
        s
        for s in problem.stations
        if 0 <= s.leg_index < legs
        and s.power_kw > 0
        and inlet_kw[s.connector] > 0
        and math.isfinite(s.detour_to_s + s.detour_from_s + s.detour_to_kwh + s.detour_from_kwh)
    ]


def soc_grid(problem: PlanningProblem, step: float) -> list[float]:
    """Charging targets: multiples of step above the reserve, and soc_max."""
    return list(soc_grid_between(problem.soc_reserve, problem.soc_max, step))


@lru_cache(maxsize=64)
def soc_grid_between(soc_reserve: float, soc_max: float, step: float) -> tuple[float, ...]:
    """soc_grid of these battery limits, kept: every plan with the same limits and step asks
    for the same grid (round() to ten digits takes half a microsecond a target)."""
    grid = []
    k = math.floor(soc_reserve / step) + 1
    while k * step < soc_max - 1e-12:
        grid.append(round(k * step, 10))
        k += 1
    grid.append(soc_max)
    return tuple(grid)


def route_points(
    problem: PlanningProblem, profiles: list[LegProfile], stations: list[CandidateStation]
) -> list[RoutePoint]:
    """Start, station junctions and leg ends in tour order."""
    points = [_point(RoutePoint, (0, 0.0, None))]
    by_leg: dict[int, list[CandidateStation]] = {}
    for station in stations:
        by_leg.setdefault(station.leg_index, []).append(station)
    for leg_index, profile in enumerate(profiles):
        on_leg = sorted(by_leg.get(leg_index, []), key=_ALONG_LEG)
        length_m = profile.length_m
        points += [
            _point(RoutePoint, (leg_index, min(length_m, max(0.0, s.distance_along_leg_m)), s))
            for s in on_leg
        ]
        points.append(_point(RoutePoint, (leg_index, length_m, None)))
    return points


_ALONG_LEG = attrgetter("distance_along_leg_m", "station_id")
# A route point from its fields in order (the class's own __new__ takes them one by one, at
# twice the cost; a tour has hundreds).
_point = tuple.__new__


@dataclass
class SearchSpace:
    """A tour's route points and the stretches between them, searched from any drive-off; the
    searches share the tour's layout for the compiled core, and one layout per drive-off. The
    spaces over a plan's stations (over_plan) share the problem's basis."""

    problem: PlanningProblem
    profiles: list[LegProfile]
    points: list[RoutePoint]
    basis: TourBasis
    tour: TourLayout
    layouts: dict[datetime, Layout] = field(default_factory=dict)

    @classmethod
    def over(
        cls,
        problem: PlanningProblem,
        profiles: list[LegProfile],
        stations: list[CandidateStation],
        basis: TourBasis | None = None,
    ) -> SearchSpace:
        """The route points of these stations."""
        points = route_points(problem, profiles, stations)
        basis = basis or tour_basis(problem, profiles)
        return cls(problem, profiles, points, basis, lay_out_tour(problem, basis, points))

    def over_plan(self, plan: FoundPlan, settings: OptimizerSettings) -> SearchSpace:
        """The same tour over the stations a plan stops at (or passes by on a hop), once each
        (a station that is a candidate on two legs is two); off the grid (station_grid) they
        charge to the SoCs the plan leaves them at."""
        stations: dict[StationKey, CandidateStation] = {}
        targets: dict[StationKey, list[float]] = {}
        for station, soc in plan.station_stops():
            key = (station.leg_index, station.station_id)
            stations[key] = station
            targets.setdefault(key, []).append(soc)
        points = route_points(self.problem, self.profiles, list(stations.values()))
        off_grid = None if settings.station_grid else targets
        tour = lay_out_tour(self.problem, self.basis, points, off_grid)
        return SearchSpace(self.problem, self.profiles, points, self.basis, tour)

    def search(
        self,
        drive_off: datetime,
        settings: OptimizerSettings,
        bound: Bound | None = None,
        dropped: Dropped | None = None,
    ) -> tuple[FoundPlan | None, Reach | None]:
        """One search from drive_off (bound: cut what cannot beat it; dropped: count what
        the label limit drops)."""
        problem = self.problem
        if problem.soc_start < problem.soc_reserve - 1e-12:
            capacity = problem.vehicle.battery_usable_kwh
            return None, Reach(0, 0.0, (problem.soc_reserve - problem.soc_start) * capacity)
        layout = self.layouts.get(drive_off)
        if layout is None:
            layout = self.layouts[drive_off] = Layout(problem, drive_off, self.tour)
        grid = self.basis.grids.get(settings.soc_step)
        if grid is None:
            grid = self.basis.grids[settings.soc_step] = soc_grid(problem, settings.soc_step)
        outcome = layout.run(
            grid,
            settings.driver_step_s,
            settings.label_limit,
            None if bound is None else (bound.missed, bound.arrival_s),
            dropped is not None,
            settings.max_labels,
            settings.station_chains,
            settings.short_sessions,
            settings.reach_targets,
            settings.station_grid,
        )
        if outcome.cut_short:
            if dropped is not None:
                dropped.unknown()
            return None, None
        if dropped is not None and outcome.dropped_any:
            dropped.merge(outcome.dropped_missed, outcome.dropped_arrival_s)
        if outcome.dry is None:
            return outcome.best, None
        index, arrived, soc = outcome.dry
        return None, _reach(
            problem, self.profiles, self.points, self.tour.route, index, soc, arrived
        )


def _arrival_key(label: Label) -> tuple[int, float, float, int, float]:
    # A plan's key as the core compares plans (Search::end_s): the destination's label has left
    # the stop; the objective is the arrival there, counted from when its window lets the truck
    # in (waiting at the end is removed by a later start).
    step = label.step
    end = step.arrival_s + step.waiting_s if isinstance(step, StopStep) else label.time_s
    return (label.missed, end, label.waited_s, label.stops, label.charged_kwh)


def _reach(
    problem: PlanningProblem,
    profiles: list[LegProfile],
    points: list[RoutePoint],
    route: RouteLayout,
    at_index: int,
    soc: float,
    arrived: bool,
) -> Reach:
    """Where the fullest label (soc) of the last point reached runs down to the reserve, and
    the energy it lacks to reach the next charging chance (or the destination's end level)."""
    capacity = problem.vehicle.battery_usable_kwh
    last = len(points) - 1
    budget_kwh = (soc - problem.soc_reserve) * capacity
    at = points[at_index]
    if arrived:
        # Reached the destination, but below the end level.
        missing = (problem.min_soc_end - soc) * capacity
        return Reach(at.leg, at.distance_m, max(0.0, missing))
    leg, from_m, spent_kwh = at.leg, at.distance_m, 0.0
    # The battery would last: the search ran dry for the driver rules (no lawful schedule).
    reach = Reach(len(profiles) - 1, profiles[-1].length_m, 0.0)
    while leg < len(profiles):
        profile = profiles[leg]
        base = profile.energy_at(from_m)
        for i in range(1, len(profile.cum_m)):
            if profile.cum_m[i] <= from_m:
                continue
            lo_m = max(from_m, profile.cum_m[i - 1])
            lo_kwh = spent_kwh + profile.energy_at(lo_m) - base
            hi_kwh = spent_kwh + profile.cum_kwh[i] - base
            if hi_kwh > budget_kwh:
                share = (budget_kwh - lo_kwh) / (hi_kwh - lo_kwh) if hi_kwh > lo_kwh else 0.0
                distance = lo_m + max(0.0, min(1.0, share)) * (profile.cum_m[i] - lo_m)
                reach = Reach(leg, distance, 0.0)
                break
        else:
            spent_kwh += profile.cum_kwh[-1] - base
            leg, from_m = leg + 1, 0.0
            continue
        break
    need_kwh = run_kwh = 0.0
    index = at_index
    for index in range(at_index + 1, len(points)):
        stretch = route.point(index)  # holds the stretch from the point before
        need_kwh = max(need_kwh, run_kwh + stretch.max_prefix_kwh)
        run_kwh += stretch.energy_kwh
        point = points[index]
        if point.station is not None or problem.legs[point.leg].dwell_power_kw > 0:
            break  # a station, or a request stop that charges
    missing = need_kwh - budget_kwh
    if index == last:
        missing = max(missing, run_kwh - (soc - problem.min_soc_end) * capacity)
    return Reach(reach.leg, reach.distance_m, max(0.0, missing))


def optimize(problem: PlanningProblem, settings: OptimizerSettings | None = None) -> Solution:
    """The plan of least total time as a chain of labels (Solution.best), or where it fails."""
    settings = settings or OptimizerSettings()
    profiles = [LegProfile(leg) for leg in problem.legs]
    space = SearchSpace.over(problem, profiles, usable_stations(problem))
    earliest = problem.earliest_departure + timedelta(seconds=problem.departure_service_s)
    incumbent, on_default_grid = _bounding_plan(space, earliest, settings)
    dropped = Dropped()
    best, reach = space.search(earliest, settings, _bound_of(incumbent), dropped)
    if dropped.missed == -math.inf and best is None and incumbent is None:
        # Stopped short with nothing found: a label-limited search for a plan (not a proof).
        limited = replace(settings, label_limit=LABEL_LIMIT_DEFAULT, max_labels=0)
        incumbent, reach = space.search(earliest, limited, None, Dropped())
    if incumbent is not None and (best is None or _beats(incumbent, best)):
        best, reach = incumbent, None
    lower_s = _arrival_lower_bound_s(best, dropped)
    best, settings = _refined(space, earliest, settings, best)
    if best is not None and lower_s is not None:
        lower_s = min(lower_s, best.arrival_s)
    drive_off, best = _departure(space, earliest, settings, best)
    on_default = settings.on_default_grid
    if on_default is not None and on_default_grid is not None and best is not None:
        # Finer grids: never a longer tour than the default grid's, with its own departure (the
        # drive-off a bisection finds depends on the plan it starts from).
        default_plan, on_default = _refined(space, earliest, on_default, incumbent)
        default_off, default_plan = _departure(space, earliest, on_default, default_plan)
        if default_plan is not None and _beats(default_plan, best):
            drive_off, best = default_off, default_plan
    return Solution(
        drive_off,
        None if best is None else best.label(),
        reach,
        tuple(profiles),
        not dropped.anything,
        lower_s,
    )


def _refined(
    space: SearchSpace, drive_off: datetime, settings: OptimizerSettings, plan: FoundPlan | None
) -> tuple[FoundPlan | None, OptimizerSettings]:
    """The plan searched again over its own stations with reach targets (Refinement), where
    that is earlier, and the settings searches over its stations take from here on (with
    reach targets where they made it)."""
    if plan is None or not settings.refine or not plan.station_stops():
        return plan, settings
    reaching = replace(settings, reach_targets=True, station_grid=False)
    found, _ = space.over_plan(plan, reaching).search(drive_off, reaching, _bound_of(plan))
    if found is not None and _beats(found, plan):
        return found, reaching
    return plan, settings


def _bounding_plan(
    space: SearchSpace, drive_off: datetime, settings: OptimizerSettings
) -> tuple[FoundPlan | None, FoundPlan | None]:
    """A plan found first to bound the search with (Bound, Chains, Finer grids): the first pass
    on large tours and for a proof, else the plan without chains where there are hops, then the
    default grid's plan where the grid is finer; and the default grid's plan itself (None where
    the grid is the default)."""
    plan = on_default_grid = None
    if len(space.points) > settings.first_pass_above_points:
        plan, _ = space.search(drive_off, PREPASS)
    if settings.station_chains and space.tour.hops and plan is None:
        # Without a first pass, the plan without chains bounds the search with them (chains win
        # minutes): it costs far fewer labels than chains searched unbounded. After a first
        # pass it costs more than it saves (bench/frvcpy.py: 0.73x the time, the same plans).
        plain = replace(settings.on_default_grid or settings, station_chains=False)
        without, _ = space.search(drive_off, plain, _bound_of(plan))
        if without is not None and (plan is None or _beats(without, plan)):
            plan = without
    on_default = settings.on_default_grid
    if on_default is not None:
        on_default_grid, _ = space.search(drive_off, on_default, _bound_of(plan))
        # As the default grid itself takes it (optimize): the first pass's plan only where it is
        # strictly earlier; a tie would delay the drive-off from another plan.
        if on_default_grid is not None and (plan is None or not _beats(plan, on_default_grid)):
            plan = on_default_grid
    return plan, on_default_grid


def _departure(
    space: SearchSpace, earliest: datetime, settings: OptimizerSettings, best: FoundPlan | None
) -> tuple[datetime, FoundPlan | None]:
    """The drive-off and the plan from it: the earliest, or later where the plan waits for a
    window (its arrival_s then counts from the later drive-off)."""
    if best is None or best.waited_s <= 0 or not any(leg.window for leg in space.problem.legs):
        return earliest, best
    return _latest_drive_off(space, earliest, settings, best)


def _latest_drive_off(
    space: SearchSpace, earliest: datetime, settings: OptimizerSettings, best: FoundPlan
) -> tuple[datetime, FoundPlan]:
    """Delays the drive-off while the arrival (a clock time) stays: waiting disappears
    (Departure); the drive-off and the plan found from it."""
    target = earliest + timedelta(seconds=best.arrival_s)
    # Later drive-offs are tried with the stations of the plan found (its route points only):
    # the question is whether that plan, or one like it, still arrives in time.
    space = space.over_plan(best, settings)
    on_default = settings.on_default_grid
    drive_off = earliest
    lo, hi = 0.0, best.waited_s
    delay = hi
    for _ in range(DEPARTURE_BISECTIONS):
        candidate = earliest + timedelta(seconds=delay)
        # Only plans that arrive by the target count: the rest can be cut on the way.
        by_target = Bound(best.missed, (target - candidate).total_seconds())
        found, _ = space.search(candidate, settings, by_target)
        if on_default is not None and (
            found is None or not _same_or_better(found, best, candidate, target)
        ):
            # As the default grid would delay it (Finer grids: never a later tour).
            found, _ = space.search(candidate, on_default, by_target)
        if found is not None and _same_or_better(found, best, candidate, target):
            lo, drive_off, best = delay, candidate, found
        else:
            hi = delay
        if hi - lo < 1.0:
            break
        delay = (lo + hi) / 2
    return drive_off, best


def _bound_of(plan: FoundPlan | None) -> Bound | None:
    return None if plan is None else Bound(plan.missed, plan.arrival_s)


def _arrival_lower_bound_s(best: FoundPlan | None, dropped: Dropped) -> float | None:
    """No plan arrives earlier (from the earliest drive-off), given what the limit dropped."""
    if best is None:
        return None
    missed, end_s = best.missed, best.arrival_s
    if dropped.missed > missed:
        return end_s
    if dropped.missed == missed:
        return min(end_s, dropped.arrival_s)
    return None


def _beats(incumbent: FoundPlan, best: FoundPlan) -> bool:
    # Fewer missed windows, then an earlier arrival (from each plan's own drive-off) beyond
    # rounding: the exact search returns the incumbent's plan (or an equal one) up to rounding.
    return (incumbent.missed, incumbent.arrival_s) < (best.missed, best.arrival_s - ARRIVAL_TOL_S)


def _same_or_better(
    found: FoundPlan, best: FoundPlan, drive_off: datetime, target: datetime
) -> bool:
    arrival = drive_off + timedelta(seconds=found.arrival_s)
    return found.missed <= best.missed and arrival <= target + timedelta(seconds=1e-6)
