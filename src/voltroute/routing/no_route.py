"""Why no truck route exists: a restriction that blocks every path, or parts not connected.

Valhalla only says "no path". The cause is found by asking again with one rule relaxed at a
time (the truck's weight, height, length and width, access tags such as hgv=no, one-way
streets, turn restrictions): the rule whose relaxation finds a path is the one that blocks it,
and the place is where the truck's reach ends along that path. When no relaxation helps, the
two points lie on parts of the network that are not connected; Valhalla's own expansion of the
failed search shows which side was cut off and how close the other side comes.
"""

from __future__ import annotations

import copy
import itertools
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

from voltroute.domain import LatLon, haversine_deg_m
from voltroute.routing import valhalla_json as vj
from voltroute.routing.errors import RoutingError, ValhallaEngineError
from voltroute.routing.route import Maneuver, TruckProfile

Call = Callable[[str, vj.Json], Any]

# Dimensions a relaxed probe gives the truck: a small van passes every truck limit.
_SMALL_WEIGHT_T: Final = 3.5
_SMALL_HEIGHT_M: Final = 2.0
_SMALL_LENGTH_M: Final = 5.0
_SMALL_WIDTH_M: Final = 1.9
# Probes along a relaxed path to find where the truck's reach ends (binary search: 2^14 points).
_MAX_REACH_PROBES: Final = 14
_FORWARD, _REVERSE = 0, 1
UNCONNECTED_REGIONS: Final = 170  # valhalla/exceptions.h: locations in unconnected regions
_TIER: Final = {
    "weight": 0,
    "height": 0,
    "length_width": 0,
    "hazmat": 0,
    "access": 1,
    "oneway": 2,
    "turn": 3,
}


@dataclass(frozen=True, slots=True)
class Relaxation:
    """One rule a probe lifts, and how the cause reads when lifting it finds a path."""

    key: str
    reads: str
    costing: Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class NoRouteCause:
    """What keeps the truck from the stop, in words, with the place where it binds."""

    kind: str  # "restriction", "unconnected" or "unknown"
    message: str
    position: LatLon | None = None


def relaxations(truck: TruckProfile) -> tuple[Relaxation, ...]:
    """The rules a probe lifts one at a time, in the order they are reported."""
    weight_t = truck.gross_mass_kg / 1000.0
    found = [
        Relaxation(
            "weight",
            f"a weight limit (maxweight or maxaxleload) below this truck's {weight_t:.1f} t",
            {"weight": _SMALL_WEIGHT_T, "axle_load": _SMALL_WEIGHT_T / 2},
        ),
        Relaxation(
            "height",
            f"a height limit (maxheight) below this truck's {truck.height_m:.2f} m",
            {"height": _SMALL_HEIGHT_M},
        ),
        Relaxation(
            "length_width",
            f"a length or width limit below this truck's {truck.length_m:.1f} m x "
            f"{truck.width_m:.2f} m",
            {"length": _SMALL_LENGTH_M, "width": _SMALL_WIDTH_M},
        ),
        Relaxation(
            "access",
            "roads closed to trucks (hgv=no, access=destination or delivery, a motor-vehicle ban)",
            {"ignore_access": True},
        ),
        Relaxation(
            "oneway",
            "one-way roads: the point can only be reached against the direction of travel "
            "(often where the region's extract cuts a dual carriageway)",
            {"ignore_oneways": True},
        ),
        Relaxation("turn", "turn restrictions", {"ignore_restrictions": True}),
    ]
    if truck.hazmat:
        found.insert(3, Relaxation("hazmat", "roads closed to dangerous goods", {"hazmat": False}))
    return tuple(found)


def explain_no_route(call: Call, start: LatLon, stop: LatLon, truck: TruckProfile) -> NoRouteCause:
    """The cause of a failed truck route from start to stop (asks the engine again, a few times).

    Never raises for the engine's sake: a probe that fails to answer leaves the cause unknown.
    """
    try:
        return _explain(call, start, stop, truck)
    except ValhallaEngineError as error:
        if error.code == UNCONNECTED_REGIONS:
            # Valhalla's connectivity map already knows: no search runs, so none can be shown.
            return NoRouteCause(
                "unconnected",
                "the start and the stop lie on parts of the road network that are not connected "
                "at all (an island without a ferry in the data, or a region cut apart where its "
                "extract is clipped)",
                stop,
            )
        return NoRouteCause("unknown", "the routing engine found no path for this truck")
    except (RoutingError, KeyError, TypeError, ValueError, IndexError):
        return NoRouteCause("unknown", "the routing engine found no path for this truck")


def _explain(call: Call, start: LatLon, stop: LatLon, truck: TruckProfile) -> NoRouteCause:
    request = vj.route_request([start, stop], truck)
    # The most specific rules first: lifting every turn restriction or one-way opens so many
    # paths that it would hide a weight limit on the only bridge.
    for tier in _tiers(relaxations(truck)):
        binding = []
        relaxed_answer: vj.Json | None = None
        for relaxation in tier:
            answer = _route_or_none(call, _relaxed(request, relaxation.costing))
            if answer is not None:
                binding.append(relaxation)
                relaxed_answer = relaxed_answer or answer
        if relaxed_answer is not None:
            reads = " or ".join(r.reads for r in binding)
            return _restriction(call, relaxed_answer, start, truck, reads)
    everything: dict[str, Any] = {}
    for relaxation in relaxations(truck):
        everything.update(relaxation.costing)
    relaxed_answer = _route_or_none(call, _relaxed(request, everything))
    if relaxed_answer is None:
        return _unconnected(call, request, start, stop)
    reads = "a combination of " + "; ".join(r.reads for r in relaxations(truck))
    return _restriction(call, relaxed_answer, start, truck, reads)


def _tiers(found: Sequence[Relaxation]) -> list[list[Relaxation]]:
    tiers: dict[int, list[Relaxation]] = {}
    for relaxation in found:
        tiers.setdefault(_TIER[relaxation.key], []).append(relaxation)
    return [tiers[k] for k in sorted(tiers)]


def _restriction(
    call: Call, relaxed_answer: vj.Json, start: LatLon, truck: TruckProfile, reads: str
) -> NoRouteCause:
    leg = vj.first_leg(relaxed_answer)
    points = vj.decode_polyline6(str(leg["shape"]))
    index = _reach_end(call, start, points, truck)
    lat, lon = points[index]
    along_km = _along_m(points, index) / 1000.0
    road = _road_at(vj.parse_maneuvers(leg), index)
    where = f"{road} at {_describe(lat, lon)}" if road else _describe(lat, lon)
    return NoRouteCause(
        "restriction",
        f"every path is closed to this truck by {reads}; the truck's reach ends at {where}, "
        f"km {along_km:.1f} of the path a truck without that limit would take",
        LatLon(lat, lon),
    )


def _reach_end(
    call: Call, start: LatLon, points: Sequence[tuple[float, float]], truck: TruckProfile
) -> int:
    # The last point of the relaxed path the real truck can still reach from the start. Reach
    # along a path is not strictly monotonic (a detour may reach a later point), but the search
    # ends between a reachable point and an unreachable one: the barrier lies between them.
    lo, hi = 0, len(points) - 1
    for _ in range(_MAX_REACH_PROBES):
        if hi - lo <= 1:
            break
        mid = (lo + hi) // 2
        target = LatLon(*points[mid])
        if _route_or_none(call, vj.route_request([start, target], truck)) is not None:
            lo = mid
        else:
            hi = mid
    return lo


def _unconnected(call: Call, request: vj.Json, start: LatLon, stop: LatLon) -> NoRouteCause:
    expansion = call(
        "expansion",
        {
            **request,
            "action": "route",
            "expansion_properties": ["expansion_type"],
            "skip_opposites": True,
            "dedupe": True,
        },
    )
    forward, reverse = _expanded_edges(expansion)
    # The search gives up when one side has nothing left to expand: that side is the cut-off part.
    stop_cut_off = len(reverse) <= len(forward)
    cut_off, other = (reverse, forward) if stop_cut_off else (forward, reverse)
    cut_off_km = sum(_line_m(line) for line in cut_off) / 1000.0
    which, other_end = ("stop", "start") if stop_cut_off else ("start", "stop")
    target = stop if stop_cut_off else start
    message = (
        f"the {which} lies on a part of the road network (about {cut_off_km:.1f} km of road a "
        f"truck may use) that is not connected to the {other_end}'s"
    )
    nearest = _nearest_point(other, target)
    if nearest is not None:
        lat, lon = nearest
        gap_km = haversine_deg_m(lat, lon, target.lat, target.lon) / 1000.0
        message += (
            f"; the nearest point reachable from the {other_end} is {_describe(lat, lon)}, "
            f"{gap_km:.1f} km from the {which}"
        )
    message += (
        ". The region's extract may be clipped there, or the roads that join the two parts are "
        "missing from the map"
    )
    return NoRouteCause("unconnected", message, target)


def _expanded_edges(
    expansion: Any,
) -> tuple[list[list[list[float]]], list[list[list[float]]]]:
    # (forward, reverse) edges as [lon, lat] lines, as the GeoJSON gives them.
    sides: tuple[list[list[list[float]]], list[list[list[float]]]] = ([], [])
    features = expansion.get("features", ()) if isinstance(expansion, dict) else ()
    for feature in features:
        direction = feature["properties"].get("expansion_type")
        if direction in (_FORWARD, _REVERSE):
            sides[direction].append(feature["geometry"]["coordinates"])
    return sides


def _nearest_point(
    lines: Iterable[Sequence[Sequence[float]]], target: LatLon
) -> tuple[float, float] | None:
    # Equirectangular distances suffice to pick the nearest of many points.
    scale = math.cos(math.radians(target.lat))
    best, best_d2 = None, math.inf
    for line in lines:
        for lon, lat in line:
            dx, dy = (lon - target.lon) * scale, lat - target.lat
            d2 = dx * dx + dy * dy
            if d2 < best_d2:
                best, best_d2 = (lat, lon), d2
    return best


def _line_m(line: Sequence[Sequence[float]]) -> float:
    # [lon, lat] pairs, as the expansion's GeoJSON gives them.
    return sum(haversine_deg_m(a[1], a[0], b[1], b[0]) for a, b in itertools.pairwise(line))


def _along_m(points: Sequence[tuple[float, float]], index: int) -> float:
    return sum(
        haversine_deg_m(a[0], a[1], b[0], b[1]) for a, b in itertools.pairwise(points[: index + 1])
    )


def _road_at(maneuvers: Sequence[Maneuver], index: int) -> str:
    for m in maneuvers:
        if m.begin_shape_index <= index <= m.end_shape_index and m.street_names:
            return ", ".join(m.street_names)
    return ""


def _relaxed(request: vj.Json, costing: Mapping[str, Any]) -> vj.Json:
    relaxed = copy.deepcopy(request)
    relaxed["costing_options"]["truck"].update(costing)
    return relaxed


def _route_or_none(call: Call, request: vj.Json) -> vj.Json | None:
    try:
        answer: vj.Json = call("route", request)
    except ValhallaEngineError:
        return None
    return answer


def _describe(lat: float, lon: float) -> str:
    return f"({lat:.5f}, {lon:.5f})"
