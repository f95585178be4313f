"""frvcpy instances as `PlanningProblem`s, and frvcpy's own answer for the same route.

frvcpy (PyPI `frvcpy` 0.1.1, Apache-2.0) is Froger et al.'s exact labelling algorithm for the
Fixed-Route Vehicle Charging Problem: an electric vehicle drives a fixed sequence of stops and
may insert charging stations between them; frvcpy finds the least duration (driving, service,
charging). Its package ships Montoya et al.'s E-VRP-NL instance `tc0c40s8cf0` (as VRP-REP XML and
as frvcpy's JSON) with 133 reference routes and their optimal durations, which makes it a referee
for our optimizer written by someone else.

The mapping, per frvcpy instance (its JSON format: time and energy matrices, service
("process") times, stations by charging type, the types' piecewise-linear charging functions),
a route (node ids, depot first and last) and a start energy:

- Units: E-VRP-NL times are hours and energies Wh (the translator keeps the XML's units).
- One `PlannedLegInput` per pair of consecutive stops, with a single route edge carrying the
  matrix's time and energy. Lengths are not in frvcpy's model: a leg is as long as its time at
  Montoya's 40 km/h, which places the detour junctions and nothing else.
- Every station of the instance is a `CandidateStation` on every leg. For a leg a -> b and a
  station c the detour leaves the leg at the share f = t(a,c) / (t(a,c) + t(c,b)) of its length,
  so that driving there, to the station, back and on to b takes exactly t(a,c) + t(c,b) and
  uses exactly e(a,c) + e(c,b), and the SoC on arrival at the station is the start SoC minus
  e(a,c), as in frvcpy. Both halves of the detour are >= 0 whenever the triangle inequality
  holds (frvcpy assumes it). Energy uses the same share, which is exact because E-VRP-NL energy
  is proportional to time; an instance where it is not, is refused.
- Service: frvcpy adds the process time of the node it arrives at; ours is the leg's
  `service_time_s`. The origin's process time is never counted by frvcpy: no departure service.
- Battery: the usable capacity is max_q, start SoC q_init / max_q (full unless given), reserve 0,
  end level 0, soc_max 1 (frvcpy may run the battery to 0 and end empty).
- Charging: frvcpy's charging function (charge over time, piecewise linear) is a piecewise
  constant power over SoC. Each station carries its type's function as its power curve
  (`StationPowerCurve`, each step written as a 1e-6 SoC ramp towards the lower power), its power
  is its type's highest; the vehicle's curve is the upper envelope of all types' powers (the
  same ramps), so min(vehicle curve, station curve) is the station type's own function and every
  station charges as in frvcpy (a ramp charges 1e-6 of the battery a little faster: at most
  0.02 s a session, at the slowest type's last step). No plugging overhead, charging efficiency
  1, no minimum session.
- Driver rules at their most permissive: a team (breaks in the moving truck, 18 h of driving
  between 9-hour rests within 30 h) without the 2002/15 working-time rules. A route of frvcpy
  (at most t_max, 10 h in E-VRP-NL) never meets any of them: no plan of ours stops for a break
  or a rest.
- No arrival windows, no opening hours, no dwell charging at customers.

Where the two models differ (each makes the other's plan unavailable or differently priced):

- Station to station: frvcpy may drive from one station directly to another between two stops
  (a chain, `multi_insert`); our corridor model only leaves the leg to one station and comes back
  to the same junction. Several stations between two stops are separate detours, each priced
  stop -> station -> next stop against stop -> next stop, so a chain of frvcpy's becomes two or
  more longer detours: ours can be worse.
- SoC targets: frvcpy charges any amount; ours charges to a grid SoC (OptimizerSettings.soc_step),
  to soc_max or for one of a few session lengths. Each charging stop of ours may charge up to
  one grid step more than needed, so a plan with several stops may lose several steps.
- Reserve: frvcpy requires at each stop enough energy to reach the nearest station (for the
  depot, whose charger is a station, 0); ours has one reserve (0 here). Ours can be better.
- Duration limit: frvcpy drops plans longer than t_max; ours has no such limit. Ours can be
  better (or drivable where frvcpy finds no plan).
- A station's repeat: frvcpy visits a station twice between two stops only after a faster one;
  ours may take two detours to the same station on one leg.
"""

from __future__ import annotations

import contextlib
import io
import json
import math
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from functools import cache
from importlib.resources import files
from itertools import pairwise
from pathlib import Path
from typing import Any

from frvcpy.solver import Solver
from frvcpy.translator import translate
from tests.referee.evrpnl import write_instance

from voltroute.domain import LatLon, StationPowerCurve
from voltroute.planner import (
    CandidateStation,
    Plan,
    PlannedLegInput,
    PlanningProblem,
    StationHop,
)
from voltroute.planner.driver_rules import DriverRules
from voltroute.planner.optimizer import soc_grid, usable_stations
from voltroute.routing.route import Edge, Maneuver, RouteLeg, ShapePoint
from voltroute.tachograph import RuleOptions
from voltroute.vehicles import DEFAULT_VEHICLE_ID, Catalogue, ChargingCurve, Connector, Vehicle
from voltroute.vehicles.charging import ChargeProfile

Instance = dict[str, Any]
"""An instance in frvcpy's JSON format (what `frvcpy.translator.translate` returns)."""

INSTANCE_TIME_S = 3600.0  # E-VRP-NL times are hours
INSTANCE_ENERGY_KWH = 0.001  # and its energies Wh
ASSUMED_SPEED_KPH = 40.0  # Montoya's speed_factor: only for lengths, never time or energy
CURVE_STEP_SOC = 1e-6  # the width of the ramp that writes a power step as a curve
TRIANGLE_TOLERANCE = 1e-9  # relative: rounding in the matrices, not a broken triangle
DEPARTURE = datetime(2026, 3, 10, 6, 0, tzinfo=UTC)  # a Tuesday: no week ends on the way
ORIGIN = LatLon(52.0, 5.0)
DEG_LON_PER_M = 1.0 / 68_600.0  # about right at 52 N; the positions only have to differ
TIME_ZONE = "UTC"

# A team without working-time rules: the laxest rules the optimizer knows (RuleOptions bounds
# every limit by the law's, so a single driver's 4.5 h of driving before a break would bind).
PERMISSIVE_RULES = DriverRules(law=RuleOptions(team_driving=True, working_time=False))

_DATA = files("frvcpy").joinpath("test", "data")  # not frvcpy.test: it imports pkg_resources
REFERENCE_NAME = "tc0c40s8cf0"


@dataclass(frozen=True, slots=True)
class ReferenceRoute:
    """One of frvcpy's reference routes: node ids (depot first and last), its optimum."""

    name: str
    route: tuple[int, ...]
    duration_s: float

    @property
    def number(self) -> int:
        """The route's number in its name (route_tc0c40s8cf0_23: 23)."""
        return int(self.name.rsplit("_", 1)[1])


@dataclass(frozen=True, slots=True)
class FrvcpyPlan:
    """frvcpy's answer: the duration (inf: no plan) and the stops, each (node, energy charged
    in instance units, or None at a customer or the depot)."""

    duration_s: float
    stops: tuple[tuple[int, float | None], ...]

    @property
    def chains(self) -> list[tuple[int, ...]]:
        """Runs of two or more stations driven one after another between two stops."""
        runs: list[tuple[int, ...]] = []
        run: list[int] = []
        for node, charged in (*self.stops, (-1, None)):
            if charged is not None:
                run.append(node)
                continue
            if len(run) > 1:
                runs.append(tuple(run))
            run = []
        return runs

    def describe(self, instance: Instance) -> str:
        """The stops, stations with their type and the energy charged (kWh)."""
        types = {cs["node_id"]: cs["cs_type"] for cs in instance["css"]}
        return " ".join(
            str(node)
            if charged is None
            else f"[cs {node} type {types[node]} +{charged * INSTANCE_ENERGY_KWH:.2f} kWh]"
            for node, charged in self.stops
        )


def reference_instance() -> Instance:
    """Montoya's tc0c40s8cf0 as frvcpy ships it translated: 40 customers (0.5 h service),
    8 stations and the depot's charger (3 types), 16 kWh."""
    loaded: Instance = json.loads(_DATA.joinpath("frvcpy-instance.json").read_text())
    return loaded


def reference_routes() -> list[ReferenceRoute]:
    """frvcpy's 133 routes of tc0c40s8cf0 with their optimal durations, in route number order."""
    raw: dict[str, dict[str, Any]] = json.loads(_DATA.joinpath("testdata.json").read_text())
    routes = [
        ReferenceRoute(name, tuple(entry["route"]), entry["obj"] * INSTANCE_TIME_S)
        for name, entry in raw.items()
    ]
    return sorted(routes, key=lambda r: r.number)


def translate_evrpnl(xml_path: Path) -> Instance:
    """An E-VRP-NL (VRP-REP XML) instance in frvcpy's format, by frvcpy's own translator (the
    depot gets a charger of the fastest type, as in the shipped instance)."""
    with contextlib.redirect_stdout(io.StringIO()):  # it reports every step on stdout
        translated: Instance = translate(str(xml_path))
    return translated


@cache
def drawn_instance(seed: int, customers: int, stations: int) -> Instance:
    """A seeded E-VRP-NL instance (tests/referee/evrpnl.py) through frvcpy's translator."""
    with tempfile.TemporaryDirectory() as temp:
        xml = write_instance(Path(temp) / f"seed{seed}.xml", seed, customers, stations)
        return translate_evrpnl(xml)


def solve(
    instance: Instance, route: Sequence[int], q_init: float | None = None, *, multi: bool = True
) -> FrvcpyPlan:
    """frvcpy's optimum for the route (multi: stations may follow each other between stops)."""
    start = instance["max_q"] if q_init is None else q_init
    duration, stops = Solver(instance, list(route), start, multi).solve()
    return FrvcpyPlan(
        duration * INSTANCE_TIME_S,
        () if stops is None else tuple((node, charged) for node, charged in stops),
    )


def station_powers_kw(instance: Instance) -> dict[int, list[tuple[float, float, float]]]:
    """Per charging type, its power steps (soc_from, soc_to, kW), from the breakpoints."""
    max_q = instance["max_q"]
    kw_per_rate = INSTANCE_ENERGY_KWH / (INSTANCE_TIME_S / 3600.0)
    powers: dict[int, list[tuple[float, float, float]]] = {}
    for function in instance["breakpoints_by_type"]:
        times, charges = function["time"], function["charge"]
        if charges[0] != 0.0 or times[0] != 0.0:
            raise ValueError("a charging function must start at (0, 0)")
        powers[function["cs_type"]] = [
            (q0 / max_q, min(1.0, q1 / max_q), (q1 - q0) / (t1 - t0) * kw_per_rate)
            for (t0, q0), (t1, q1) in pairwise(zip(times, charges, strict=True))
        ]
    return powers


def _stepped_points(steps: Sequence[tuple[float, float]]) -> list[tuple[float, float]]:
    """(soc_from, kW) of constant pieces as curve points: each step a CURVE_STEP_SOC ramp from
    the power before it, so the power is never below the step's on either side."""
    points = [(0.0, steps[0][1])]
    for soc, kw in steps[1:]:
        points += [(soc, points[-1][1]), (soc + CURVE_STEP_SOC, kw)]
    points.append((1.0, steps[-1][1]))
    return points


def station_curves(instance: Instance) -> dict[int, StationPowerCurve]:
    """Per charging type, its charging function as a station's power curve over SoC."""
    curves = {}
    for cs_type, pieces in station_powers_kw(instance).items():
        steps: list[tuple[float, float]] = []
        for soc_from, _, kw in pieces:
            if not steps or steps[-1][1] != kw:
                steps.append((soc_from, kw))
        curves[cs_type] = StationPowerCurve(tuple(_stepped_points(steps)))
    return curves


def vehicle(instance: Instance) -> Vehicle:
    """The instance's EV: its battery, the upper envelope of its stations' charging powers."""
    steps = station_powers_kw(instance)
    cuts = sorted({0.0, 1.0} | {s for pieces in steps.values() for p in pieces for s in p[:2]})
    envelope: list[tuple[float, float]] = []  # (soc_from, kW) of each constant piece
    for lo, hi in pairwise(cuts):
        mid = (lo + hi) / 2
        kw = max(
            (p for pieces in steps.values() for a, b, p in pieces if a <= mid < b), default=0.0
        )
        if not envelope or envelope[-1][1] != kw:
            envelope.append((lo, kw))
    points = _stepped_points(envelope)
    top_kw = max(kw for _, kw in envelope)
    return replace(
        Catalogue().get(DEFAULT_VEHICLE_ID),
        vehicle_id="frvcpy-ev",
        manufacturer="frvcpy",
        model="E-VRP-NL electric vehicle",
        battery_usable_kwh=instance["max_q"] * INSTANCE_ENERGY_KWH,
        battery_gross_kwh=None,
        ccs_max_kw=top_kw,
        mcs_max_kw=0.0,
        charging_curve=ChargingCurve(tuple(points)),
        charging_efficiency=1.0,
        plug_overhead_min=0.0,
    )


def planning_problem(
    instance: Instance, route: Sequence[int], q_init: float | None = None, *, chains: bool = True
) -> PlanningProblem:
    """The route as a tour of ours: one leg per pair of stops, every station on every leg
    (chains: with a hop from each station to every other of the leg, as frvcpy's matrix has)."""
    if len(route) < 2:
        raise ValueError("a route needs at least two stops")
    time_h, energy, service_h = (
        instance["time_matrix"],
        instance["energy_matrix"],
        instance["process_times"],
    )
    top_kw = {t: max(p for _, _, p in pieces) for t, pieces in station_powers_kw(instance).items()}
    curves = station_curves(instance)
    legs: list[PlannedLegInput] = []
    stations: list[CandidateStation] = []
    hops: list[StationHop] = []
    start = ORIGIN
    for index, (a, b) in enumerate(pairwise(route)):
        leg = _leg(
            start,
            time_h[a][b] * INSTANCE_TIME_S,
            energy[a][b] * INSTANCE_ENERGY_KWH,
            service_h[b] * INSTANCE_TIME_S,
            f"node-{b}",
        )
        legs.append(leg)
        for cs in instance["css"]:
            c = cs["node_id"]
            stations.append(
                _detour(
                    index,
                    leg,
                    c,
                    (time_h[a][b], time_h[a][c], time_h[c][b]),
                    (energy[a][b], energy[a][c], energy[c][b]),
                    top_kw[cs["cs_type"]],
                    curves[cs["cs_type"]],
                )
            )
        nodes = [cs["node_id"] for cs in instance["css"]] if chains else []
        hops += [
            StationHop(
                index,
                f"cs-{c}",
                f"cs-{d}",
                time_h[c][d] * INSTANCE_TIME_S,
                energy[c][d] * INSTANCE_ENERGY_KWH,
                time_h[c][d] * INSTANCE_TIME_S * ASSUMED_SPEED_KPH / 3.6,
            )
            for c in nodes
            for d in nodes
            if c != d
        ]
        start = leg.stop
    max_q = instance["max_q"]
    return PlanningProblem(
        vehicle=vehicle(instance),
        legs=tuple(legs),
        soc_start=(max_q if q_init is None else q_init) / max_q,
        min_soc_end=0.0,
        earliest_departure=DEPARTURE,
        soc_reserve=0.0,
        stations=tuple(stations),
        driver_rules=PERMISSIVE_RULES,
        station_hops=tuple(hops),
    )


def _leg(
    start: LatLon, duration_s: float, energy_kwh: float, service_s: float, name: str
) -> PlannedLegInput:
    """A straight eastbound leg of one edge."""
    length_m = duration_s * ASSUMED_SPEED_KPH / 3.6
    stop = LatLon(start.lat, start.lon + length_m * DEG_LON_PER_M)
    edge = Edge(
        length_m=length_m,
        duration_s=duration_s,
        speed_kph=ASSUMED_SPEED_KPH,
        road_class="primary",
        elevation_start_m=0.0,
        elevation_end_m=0.0,
        names=(),
        refs=(),
        toll=False,
        way_id=1,
        country_code=None,
        begin_shape_index=0,
        end_shape_index=1,
    )
    route = RouteLeg(
        shape=(ShapePoint(start.lat, start.lon, 0.0), ShapePoint(stop.lat, stop.lon, 0.0)),
        edges=(edge,),
        maneuvers=(
            Maneuver(1, "Drive east.", length_m, duration_s, 0, 1),
            Maneuver(4, "You have arrived.", 0.0, 0.0, 1, 1),
        ),
        length_m=length_m,
        duration_s=duration_s,
    )
    return PlannedLegInput(
        section_id=name,
        start=start,
        stop=stop,
        route=route,
        edge_energy_kwh=(energy_kwh,),
        payload_kg=0.0,
        service_time_s=service_s,
        dwell_power_kw=0.0,
        window=None,
        stop_time_zone=TIME_ZONE,
    )


def _detour(
    leg_index: int,
    leg: PlannedLegInput,
    node: int,
    times_h: tuple[float, float, float],
    energies: tuple[float, float, float],
    power_kw: float,
    curve: StationPowerCurve,
) -> CandidateStation:
    """Station `node` on a leg a -> b; times and energies: (a -> b, a -> node, node -> b)."""
    ab_h, ac_h, cb_h = times_h
    share = ac_h / (ac_h + cb_h) if ac_h + cb_h > 0 else 0.0
    to_h = _non_negative(ac_h - share * ab_h, ab_h)
    from_h = _non_negative(cb_h - (1.0 - share) * ab_h, ab_h)
    ab_e, ac_e, cb_e = energies
    to_e = _non_negative(ac_e - share * ab_e, ab_e)
    from_e = _non_negative(cb_e - (1.0 - share) * ab_e, ab_e)
    return CandidateStation(
        station_id=f"cs-{node}",
        name=f"station {node}",
        position=LatLon(leg.start.lat + 0.01, leg.start.lon),
        leg_index=leg_index,
        distance_along_leg_m=share * leg.route.length_m,
        detour_to_s=to_h * INSTANCE_TIME_S,
        detour_from_s=from_h * INSTANCE_TIME_S,
        detour_to_kwh=to_e * INSTANCE_ENERGY_KWH,
        detour_from_kwh=from_e * INSTANCE_ENERGY_KWH,
        detour_m=(to_h + from_h) * INSTANCE_TIME_S * ASSUMED_SPEED_KPH / 3.6,
        power_kw=power_kw,
        connector=Connector.CCS,
        power_curve=curve,
    )


def _non_negative(value: float, scale: float) -> float:
    # A detour half below zero means the junction cannot split both time and energy exactly:
    # the matrices break the triangle inequality, or energy is not proportional to time.
    if value < -TRIANGLE_TOLERANCE * max(1.0, scale):
        raise ValueError(
            "no junction gives this station's detour exactly: the instance breaks the "
            "triangle inequality or its energy is not proportional to its time"
        )
    return max(0.0, value)


def tour_duration_s(plan: Plan, problem: PlanningProblem) -> float:
    """Our plan's duration as frvcpy counts it: from the drive-off to the end of the service
    at the last stop (inf when not drivable)."""
    if not plan.drivable:
        return math.inf
    driven_s = (plan.arrival - plan.tour_start).total_seconds()
    return driven_s + problem.legs[-1].service_time_s


def grid_step_s(problem: PlanningProblem, soc_step: float, station_id: str | None = None) -> float:
    """One SoC grid step of charging: the longest our model takes to charge from one grid
    SoC to the next at the station (or at any of the problem's stations): the most a charging
    stop of ours there can lose to a continuous SoC target."""
    targets = [problem.soc_reserve, *soc_grid(problem, soc_step)]
    profiles = {
        (s.power_kw, s.connector, s.power_curve): ChargeProfile(
            problem.vehicle, s.power_kw, s.connector, s.power_curve
        )
        for s in usable_stations(problem)
        if station_id is None or s.station_id == station_id
    }
    return max(
        profile.time_s(lo, hi) for profile in profiles.values() for lo, hi in pairwise(targets)
    )


def our_stops(plan: Plan) -> str:
    """Our plan's stops as frvcpy's are described: customers, and stations with the charge."""
    return " ".join(
        f"[{s.planned_stop.station_id} +{s.planned_stop.charged_kwh:.2f} kWh]"
        if s.planned_stop.station_id is not None
        else (s.section_id or "?").removeprefix("node-")
        for s in plan.sections
    )


def recost_s(
    instance: Instance, route_start: int, plan: Plan, q_init: float | None = None
) -> float:
    """Our plan re-costed in frvcpy's own model: its nodes in order (the route's stops and the
    stations it charges at) driven on frvcpy's matrices, each station's charge at its type's
    charging function, the arrival nodes' process times; inf where the battery would run
    below 0 or over max_q in that model."""
    time_h, energy = instance["time_matrix"], instance["energy_matrix"]
    max_q = instance["max_q"]
    types = {cs["node_id"]: cs["cs_type"] for cs in instance["css"]}
    functions = {f["cs_type"]: f for f in instance["breakpoints_by_type"]}
    tolerance_q = 1e-6 * max_q

    def time_at_h(cs_type: int, charge: float) -> float:
        f = functions[cs_type]  # time over charge: piecewise linear, charge increasing
        points = list(zip(f["charge"], f["time"], strict=True))
        for (q0, t0), (q1, t1) in pairwise(points):
            if charge <= q1:
                return float(t0 + (t1 - t0) * max(0.0, charge - q0) / (q1 - q0))
        return float(points[-1][1])

    def charge_time_h(cs_type: int, q_from: float, q_to: float) -> float:
        return time_at_h(cs_type, q_to) - time_at_h(cs_type, q_from)

    t_h, q, at = 0.0, max_q if q_init is None else q_init, route_start
    for section in plan.sections:
        stop = section.planned_stop
        if stop.station_id is not None:
            node = int(stop.station_id.removeprefix("cs-"))
        elif section.section_id is not None:
            node = int(section.section_id.removeprefix("node-"))
        else:
            continue  # a break by the road: not a node
        t_h += time_h[at][node] + instance["process_times"][node]
        q -= energy[at][node]
        if q < -tolerance_q:
            return math.inf
        if stop.station_id is not None:
            charged = stop.charged_kwh / INSTANCE_ENERGY_KWH
            if q + charged > max_q + tolerance_q:
                return math.inf
            t_h += charge_time_h(types[node], q, min(max_q, q + charged))
            q += charged
        at = node
    return t_h * INSTANCE_TIME_S
