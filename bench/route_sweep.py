"""Route seeded random pairs of road nodes over a whole region, as the planner routes them.

Half of the pairs sit exactly on nodes of truck-usable ways of the region's source extract (a
depot at a junction, a position taken from OSM), half are moved up to --offset-m off them. Each
leg that routes is followed by a station detour from one of its own shape points (exactly on
the road, as the corridor search starts them) to a node nearby and back. Every outcome is
counted: ok, no route (with its cause), off the network, and engine failure, which includes a
leg whose edges do not add up to it. Exits 1 on any engine failure.

    .venv/bin/python bench/route_sweep.py heidelberg denmark --pairs 2000 --seed 15 --baseline

A region is a file name in ../shared/data/osm (built once into .cache/regions) or a built
region directory. --baseline also routes every leg the way the planner did before (route, then
an edge walk that had to return the route's shape point for point) on the same pairs, and prints
its outcomes and the ratio of ms per leg.
"""

from __future__ import annotations

import argparse
import math
import os
import random
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from voltroute.domain import EARTH_RADIUS_M, LatLon
from voltroute.regions import Region, ensure_region
from voltroute.regions.road_nodes import truck_road_nodes
from voltroute.routing import (
    NoRouteError,
    PositionOffNetworkError,
    RouteLeg,
    RoutingError,
    TruckProfile,
)
from voltroute.routing import valhalla_json as vj
from voltroute.routing.edge_alignment import EdgeSpan
from voltroute.routing.embedded import EmbeddedValhallaRouter
from voltroute.routing.errors import ValhallaEngineError
from voltroute.routing.leg_check import leg_problems

REPO = Path(__file__).resolve().parent.parent
SHARED_DATA = Path(os.environ.get("VOLTROUTE_SHARED_DATA", REPO.parent / "shared" / "data"))
REGION_CACHE = Path(os.environ.get("VOLTROUTE_TEST_REGION_CACHE", REPO / ".cache" / "regions"))
TRUCK = TruckProfile(gross_mass_kg=40_000)
DETOUR_RADIUS_M = 3_000.0  # stations the corridor search finds lie a few km off the route
_CELL_DEG = 0.05

Route = Callable[[LatLon, LatLon], RouteLeg]


@dataclass
class SweepResult:
    """Outcomes per kind, and the routing time of the legs that routed."""

    outcomes: Counter[str] = field(default_factory=Counter)
    ok_seconds: float = 0.0
    ok_legs: int = 0
    failures: list[str] = field(default_factory=list)
    pair_seconds: dict[int, float] = field(default_factory=dict)  # routed pairs, by index
    last_seconds: float = 0.0

    @property
    def engine_failures(self) -> int:
        return sum(n for kind, n in self.outcomes.items() if kind.startswith("engine failure"))

    @property
    def ms_per_leg(self) -> float:
        return 1000.0 * self.ok_seconds / self.ok_legs if self.ok_legs else math.nan


@dataclass(frozen=True)
class Pair:
    start: LatLon
    stop: LatLon
    on_nodes: bool


def region_for(name_or_dir: str) -> Region:
    """A built region: a directory as it is, or a shared extract built once into the cache."""
    path = Path(name_or_dir)
    if path.is_dir():
        return Region.load(path)
    source = SHARED_DATA / "osm" / f"{name_or_dir}.osm.pbf"
    elevation = [SHARED_DATA / "dem" / "srtm3"] if name_or_dir == "north-bayreuth" else []
    return ensure_region(source, REGION_CACHE / name_or_dir, elevation_sources=elevation)


def extract_of(region: Region) -> Path:
    """The region's OSM source file (by name in the shared data when its path is elsewhere)."""
    osm = next(s for s in region.manifest.sources if s.kind == "osm")
    path = Path(osm.path)
    return path if path.is_file() else SHARED_DATA / "osm" / path.name


def draw_pairs(
    nodes: Sequence[tuple[float, float]], count: int, seed: int, offset_m: float
) -> list[Pair]:
    """Seeded pairs: even ones exactly on nodes, odd ones moved up to offset_m off them."""
    rng = random.Random(seed)
    pairs = []
    for i in range(count):
        a, b = rng.choice(nodes), rng.choice(nodes)
        on_nodes = i % 2 == 0
        if not on_nodes:
            a, b = _moved(a, rng, offset_m), _moved(b, rng, offset_m)
        pairs.append(Pair(LatLon(*a), LatLon(*b), on_nodes))
    return pairs


def sweep(
    route: Route,
    pairs: Sequence[Pair],
    nodes: Sequence[tuple[float, float]],
    seed: int,
    detours: bool = True,
) -> SweepResult:
    """Route every pair (and a detour from each routed leg); count outcomes and time."""
    rng = random.Random(seed + 1)
    grid = _grid(nodes)
    result = SweepResult()
    for index, pair in enumerate(pairs):
        kind = "on nodes" if pair.on_nodes else "off nodes"
        leg = _route_one(route, pair.start, pair.stop, f"leg {kind}", result)
        if leg is not None:
            result.pair_seconds[index] = result.last_seconds
        if leg is None or not detours:
            continue
        lat, lon, _ = _vertex(leg, rng)
        station = _nearby(grid, lat, lon, rng)
        if station is None:
            continue
        route_point = LatLon(lat, lon)
        _route_one(route, route_point, LatLon(*station), "detour to station", result)
        _route_one(route, LatLon(*station), route_point, "detour back", result)
    return result


def _route_one(
    route: Route, start: LatLon, stop: LatLon, kind: str, result: SweepResult
) -> RouteLeg | None:
    began = time.perf_counter()
    try:
        leg = route(start, stop)
    except PositionOffNetworkError:
        result.outcomes[f"off network ({kind})"] += 1
        return None
    except NoRouteError as error:
        result.outcomes[f"no route: {getattr(error, 'cause', 'unknown')} ({kind})"] += 1
        return None
    except RoutingError as error:
        result.outcomes[f"engine failure ({kind})"] += 1
        result.failures.append(f"{_pos(start)} -> {_pos(stop)}: {error}")
        return None
    elapsed = time.perf_counter() - began
    problems = leg_problems(leg)
    if problems:
        result.outcomes[f"engine failure: inconsistent leg ({kind})"] += 1
        result.failures.append(f"{_pos(start)} -> {_pos(stop)}: {'; '.join(problems)}")
        return None
    result.outcomes[f"ok ({kind})"] += 1
    result.ok_seconds += elapsed
    result.ok_legs += 1
    result.last_seconds = elapsed
    return leg


def legacy_route(call: Callable[[str, vj.Json], Any], truck: TruckProfile) -> Route:
    """The design before: route, height, then an edge walk that must return the same shape."""

    def route(start: LatLon, stop: LatLon) -> RouteLeg:
        try:
            answer = call("route", vj.route_request([start, stop], truck))
        except ValhallaEngineError as exc:
            if exc.code == 171:
                raise PositionOffNetworkError(str(exc)) from exc
            if exc.code in (170, 441, 442):
                raise NoRouteError(str(exc)) from exc
            raise RoutingError(str(exc)) from exc
        leg = vj.first_leg(answer)
        encoded6 = str(leg["shape"])
        points = vj.decode_polyline6(encoded6)
        try:
            trace = call("trace_attributes", vj.trace_attributes_request(encoded6, truck))
            heights = vj.parse_heights(call("height", vj.height_request(encoded6)), len(points))
        except ValhallaEngineError as exc:
            raise RoutingError(f"routing engine failed to describe the route: {exc}") from exc
        traced = vj.trace_points(trace)
        if len(traced) != len(points):
            raise RoutingError(
                f"edge walk changed the route geometry ({len(traced)} points instead of "
                f"{len(points)})"
            )
        length_m, duration_s = vj.leg_length_m(leg), vj.leg_duration_s(leg)
        edges = vj.traced_edges(trace, duration_s)
        spans = [
            EdgeSpan(i, e.begin_trace_index, e.end_trace_index, e.length_m, e.duration_s)
            for i, e in enumerate(edges)
        ]
        shape = vj.build_shape(points, heights)
        maneuvers = vj.parse_maneuvers(leg)
        return RouteLeg(
            shape=shape,
            edges=vj.parse_edges(trace, heights, spans),
            maneuvers=maneuvers,
            length_m=length_m,
            duration_s=duration_s,
        )

    return route


def _moved(p: tuple[float, float], rng: random.Random, offset_m: float) -> tuple[float, float]:
    distance_m = rng.uniform(0.0, offset_m)
    bearing = rng.uniform(0.0, 2 * math.pi)
    dlat = math.degrees(distance_m * math.cos(bearing) / EARTH_RADIUS_M)
    dlon = math.degrees(
        distance_m * math.sin(bearing) / (EARTH_RADIUS_M * math.cos(math.radians(p[0])))
    )
    return p[0] + dlat, p[1] + dlon


def _grid(nodes: Sequence[tuple[float, float]]) -> dict[tuple[int, int], list[tuple[float, float]]]:
    grid: dict[tuple[int, int], list[tuple[float, float]]] = {}
    for lat, lon in nodes:
        grid.setdefault((int(lat // _CELL_DEG), int(lon // _CELL_DEG)), []).append((lat, lon))
    return grid


def _nearby(
    grid: dict[tuple[int, int], list[tuple[float, float]]],
    lat: float,
    lon: float,
    rng: random.Random,
) -> tuple[float, float] | None:
    row, col = int(lat // _CELL_DEG), int(lon // _CELL_DEG)
    near = [
        p
        for dr in (-1, 0, 1)
        for dc in (-1, 0, 1)
        for p in grid.get((row + dr, col + dc), ())
        if _flat_m(p, lat, lon) <= DETOUR_RADIUS_M
    ]
    return rng.choice(near) if near else None


def _flat_m(p: tuple[float, float], lat: float, lon: float) -> float:
    dy = math.radians(p[0] - lat) * EARTH_RADIUS_M
    dx = math.radians(p[1] - lon) * EARTH_RADIUS_M * math.cos(math.radians(lat))
    return math.hypot(dx, dy)


def _vertex(leg: RouteLeg, rng: random.Random) -> tuple[float, float, float]:
    point = leg.shape[rng.randrange(len(leg.shape))]
    return point.lat, point.lon, point.elevation_m


def _pos(p: LatLon) -> str:
    return f"({p.lat:.7f}, {p.lon:.7f})"


@dataclass
class Paired:
    """Both designs on the same legs, timed back to back (alternating which goes first), so
    that a machine whose speed drifts slows both alike."""

    outcomes: Counter[str] = field(default_factory=Counter)
    legacy_outcomes: Counter[str] = field(default_factory=Counter)
    current_s: float = 0.0
    legacy_s: float = 0.0
    both: int = 0


def paired(current: Route, legacy: Route, pairs: Sequence[Pair]) -> Paired:
    """Route every pair both ways; time the legs both designs return (consistent or not)."""
    out = Paired()
    for index, pair in enumerate(pairs):
        runs = [(current, out.outcomes), (legacy, out.legacy_outcomes)]
        if index % 2:
            runs.reverse()
        seconds: list[float | None] = []
        for route, outcomes in runs:
            began = time.perf_counter()
            try:
                leg = route(pair.start, pair.stop)
            except PositionOffNetworkError:
                outcomes["off network"] += 1
                seconds.append(None)
                continue
            except NoRouteError:
                outcomes["no route"] += 1
                seconds.append(None)
                continue
            except RoutingError as error:
                outcomes[f"engine failure: {str(error).split('(')[0].strip()}"] += 1
                seconds.append(None)
                continue
            elapsed = time.perf_counter() - began
            outcomes["ok" if not leg_problems(leg) else "engine failure: edges do not add up"] += 1
            seconds.append(elapsed)
        first, second = seconds
        if first is not None and second is not None:
            current_s, legacy_s = (second, first) if index % 2 else (first, second)
            out.current_s += current_s
            out.legacy_s += legacy_s
            out.both += 1
    return out


def _print_paired(result: Paired) -> None:
    print("  legs only, current and baseline (edge walk must return the route's shape) paired:")
    for label, outcomes in (("current", result.outcomes), ("baseline", result.legacy_outcomes)):
        summary = ", ".join(f"{n} {kind}" for kind, n in sorted(outcomes.items()))
        print(f"    {label}: {summary}")
    if result.both:
        current_ms = 1000 * result.current_s / result.both
        legacy_ms = 1000 * result.legacy_s / result.both
        print(
            f"    on the {result.both} legs both return: {current_ms:.1f} vs {legacy_ms:.1f} ms "
            f"per leg, current / baseline {result.current_s / result.legacy_s:.2f}"
        )


def _print(label: str, result: SweepResult) -> None:
    total = sum(result.outcomes.values())
    print(f"  {label}: {total} legs, {result.ms_per_leg:.1f} ms per routed leg")
    for kind, n in sorted(result.outcomes.items()):
        print(f"    {n:6d}  {kind}")
    for failure in result.failures[:10]:
        print(f"    failure: {failure}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("regions", nargs="+", help="shared extract names or region directories")
    parser.add_argument("--pairs", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=15)
    parser.add_argument("--offset-m", type=float, default=50.0)
    parser.add_argument("--no-detours", action="store_true", help="legs only")
    parser.add_argument("--baseline", action="store_true", help="also route the old way")
    args = parser.parse_args(argv)
    failed = False
    for name in args.regions:
        region = region_for(name)
        nodes = truck_road_nodes(extract_of(region))
        pairs = draw_pairs(nodes, args.pairs, args.seed, args.offset_m)
        router = EmbeddedValhallaRouter(region.valhalla_config_path())
        print(f"{region.name}: {len(pairs)} pairs, seed {args.seed}, {len(nodes)} road nodes")

        def current(a: LatLon, b: LatLon, router: EmbeddedValhallaRouter = router) -> RouteLeg:
            return router.route(a, b, TRUCK)

        result = sweep(current, pairs, nodes, args.seed, detours=not args.no_detours)
        _print("current", result)
        if args.baseline:
            call = router._call  # the bench times the old design on the same engine
            _print_paired(paired(current, legacy_route(call, TRUCK), pairs))
        router.close()
        failed = failed or result.engine_failures > 0
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
