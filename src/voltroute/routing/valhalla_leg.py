"""One leg from Valhalla: route (or map-match), then per-edge attributes and elevation.

The adapters differ only in how a request reaches Valhalla (`ValhallaCall`); everything else,
including how Valhalla's error codes become our exceptions, lives here once.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Final

from voltroute.domain import LatLon, haversine_m
from voltroute.routing import valhalla_json as vj
from voltroute.routing.edge_alignment import AlignmentError, EdgeSpan, align_edges
from voltroute.routing.errors import (
    NoRouteError,
    PositionOffNetworkError,
    RoutingError,
    ValhallaEngineError,
)
from voltroute.routing.leg_check import leg_problems
from voltroute.routing.no_route import explain_no_route
from voltroute.routing.route import RouteLeg, TravelCost, TruckProfile

# Valhalla error codes (valhalla/exceptions.h) that are statements about the input, not failures.
NO_EDGES_NEAR: Final = 171
_NO_PATH_CODES: Final = frozenset({170, 441, 442})  # unconnected, unreachable, no path
_NO_MATCH_CODES: Final = frozenset({172, 443, 444})  # breakage, exact/map match failed

# Map matching wants a trace, not a drawing: meili breaks a trace at gaps over its breakage
# distance (2 km by default) and slows down on points much denser than the road geometry.
MATCH_MIN_SPACING_M: Final = 20.0
MATCH_MAX_SPACING_M: Final = 500.0

# How the route's edges are described, in order of preference: the exact walk, then the matcher.
ATTRIBUTE_SHAPE_MATCHES: Final = ("edge_walk", "map_snap")


# Sends one request to a Valhalla action and returns the parsed JSON answer: an object for every
# action but `locate`, which answers a list. Raises ValhallaEngineError when Valhalla rejects the
# request, RoutingError when it cannot be reached.
ValhallaCall = Callable[[str, vj.Json], Any]


def route_leg(call: ValhallaCall, start: LatLon, stop: LatLon, truck: TruckProfile) -> RouteLeg:
    """Fastest truck route from start to stop, with edges, elevation and manoeuvres."""
    try:
        response = call("route", vj.route_request([start, stop], truck))
    except ValhallaEngineError as exc:
        raise _route_error(call, exc, start, stop, truck) from exc
    return _complete_leg(call, response, truck)


def match_leg(call: ValhallaCall, shape: Sequence[LatLon], truck: TruckProfile) -> RouteLeg:
    """Map-match a geometry (e.g. a client's polyline) onto truck roads, same detail as a route."""
    if len(shape) < 2:
        raise RoutingError(f"a polyline needs at least 2 points to be followed, got {len(shape)}")
    trace = prepare_match_shape(shape)
    try:
        response = call("trace_route", vj.trace_route_request(trace, truck))
    except ValhallaEngineError as exc:
        raise _match_error(exc, shape) from exc
    return _complete_leg(call, response, truck)


def travel_costs(
    call: ValhallaCall, sources: Sequence[LatLon], targets: Sequence[LatLon], truck: TruckProfile
) -> list[list[TravelCost | None]]:
    """Truck time and distance from each source to each target, in one matrix request."""
    if not sources or not targets:
        return [[None] * len(targets) for _ in sources]
    try:
        answer = call("sources_to_targets", vj.matrix_request(sources, targets, truck))
        return vj.parse_matrix(answer, len(sources), len(targets))
    except ValhallaEngineError as exc:
        if exc.code == NO_EDGES_NEAR or exc.code in _NO_PATH_CODES:
            return [[None] * len(targets) for _ in sources]
        raise RoutingError(f"the routing engine failed on a matrix: {exc}") from exc
    except (KeyError, TypeError, ValueError, IndexError) as exc:
        raise RoutingError(f"unexpected matrix answer from the routing engine: {exc!r}") from exc


def point_heights(call: ValhallaCall, points: Sequence[LatLon]) -> list[float | None]:
    """Elevation in metres at each point; None where the region has no elevation data."""
    if not points:
        return []
    try:
        return vj.parse_heights(call("height", vj.heights_request(points)), len(points))
    except ValhallaEngineError as exc:
        raise RoutingError(f"the routing engine failed to give heights: {exc}") from exc
    except (KeyError, TypeError, ValueError) as exc:
        raise RoutingError(f"unexpected answer from the routing engine: {exc!r}") from exc


def prepare_match_shape(shape: Sequence[LatLon]) -> list[LatLon]:
    """Thin points closer than MATCH_MIN_SPACING_M and fill gaps wider than MATCH_MAX_SPACING_M."""
    out = [shape[0]]
    for i, point in enumerate(shape[1:], start=1):
        gap_m = haversine_m(out[-1], point)
        if gap_m < MATCH_MIN_SPACING_M and i < len(shape) - 1:
            continue
        steps = int(gap_m // MATCH_MAX_SPACING_M)
        prev = out[-1]
        for k in range(1, steps + 1):
            f = k / (steps + 1)
            out.append(
                LatLon(prev.lat + f * (point.lat - prev.lat), prev.lon + f * (point.lon - prev.lon))
            )
        out.append(point)
    return out


def _complete_leg(call: ValhallaCall, response: vj.Json, truck: TruckProfile) -> RouteLeg:
    try:
        leg = vj.first_leg(response)
        encoded6 = str(leg["shape"])
        points = vj.decode_polyline6(encoded6)
        maneuvers = vj.parse_maneuvers(leg)
        length_m, duration_s = vj.leg_length_m(leg), vj.leg_duration_s(leg)
    except (KeyError, TypeError, ValueError, IndexError) as exc:
        raise RoutingError(f"unexpected answer from the routing engine: {exc!r}") from exc
    if len(points) < 2:
        raise RoutingError(f"the routing engine drew the leg with {len(points)} point(s)")
    try:
        heights = vj.parse_heights(call("height", vj.height_request(encoded6)), len(points))
    except ValhallaEngineError as exc:
        raise RoutingError(f"routing engine failed to give the route's heights: {exc}") from exc
    except (KeyError, TypeError, ValueError) as exc:
        raise RoutingError(f"unexpected answer from the routing engine: {exc!r}") from exc
    trace, spans = _attribute_edges(call, encoded6, points, length_m, duration_s, truck)
    shape = vj.build_shape(points, heights)
    routed = RouteLeg(
        shape=shape,
        edges=vj.parse_edges(trace, heights, spans),
        maneuvers=maneuvers,
        length_m=length_m,
        duration_s=duration_s,
    )
    problems = leg_problems(routed)
    if problems:  # a broken leg would plan silently wrong energy: fail loudly instead
        raise RoutingError("the routed leg is inconsistent: " + "; ".join(problems))
    return routed


def _attribute_edges(
    call: ValhallaCall,
    encoded6: str,
    points: Sequence[tuple[float, float]],
    length_m: float,
    duration_s: float,
    truck: TruckProfile,
) -> tuple[vj.Json, list[EdgeSpan]]:
    """The route's edges with their attributes, placed on the route's own shape.

    The edge walk follows the route's edges exactly and is tried first; where it fails (Valhalla
    cannot always re-walk its own shapes) the matcher traces the shape instead. Either answer is
    tied to our shape by distance along it, never by point indices (see edge_alignment).
    """
    failures: list[str] = []
    for shape_match in ATTRIBUTE_SHAPE_MATCHES:
        request = vj.trace_attributes_request(encoded6, truck, shape_match)
        try:
            trace = call("trace_attributes", request)
            spans = align_edges(
                points,
                vj.trace_points(trace),
                vj.traced_edges(trace, duration_s),
                length_m,
                duration_s,
            )
        except ValhallaEngineError as exc:
            failures.append(f"{shape_match}: Valhalla error {exc.code}: {exc.message}")
            continue
        except (AlignmentError, KeyError, TypeError, ValueError, IndexError) as exc:
            failures.append(f"{shape_match}: {exc}")
            continue
        return trace, spans
    raise RoutingError(
        "the routing engine could not describe the route's roads edge by edge ("
        + "; ".join(failures)
        + ")"
    )


def _describe(p: LatLon) -> str:
    return f"({p.lat:.5f}, {p.lon:.5f})"


def _route_error(
    call: ValhallaCall, exc: ValhallaEngineError, start: LatLon, stop: LatLon, truck: TruckProfile
) -> RoutingError:
    if exc.code == NO_EDGES_NEAR:
        off = [
            (role, p)
            for role, p in (("start", start), ("stop", stop))
            if _off_network(call, p, truck)
        ]
        if not off:  # the probe disagrees with the router: name both ends rather than guess
            off = [("start", start), ("stop", stop)]
        which = " and ".join(f"{role} position {_describe(p)}" for role, p in off)
        verb = "are" if len(off) > 1 else "is"
        return PositionOffNetworkError(
            f"{which} {verb} not near any road a truck may use (sea, outside the loaded region "
            "or a road closed to trucks)",
            position=off[0][1],
        )
    if exc.code in _NO_PATH_CODES:
        cause = explain_no_route(call, start, stop, truck)
        return NoRouteError(
            f"no legal truck route from {_describe(start)} to {_describe(stop)}: {cause.message}",
            cause=cause.kind,
            position=cause.position,
        )
    return RoutingError(
        f"routing from {_describe(start)} to {_describe(stop)} failed: Valhalla error "
        f"{exc.code}: {exc.message}"
    )


def _off_network(call: ValhallaCall, position: LatLon, truck: TruckProfile) -> bool:
    try:
        located = call("locate", vj.locate_request(position, truck))
    except (ValhallaEngineError, RoutingError):
        return True
    return not any(loc.get("edges") for loc in located) if isinstance(located, list) else False


def _match_error(exc: ValhallaEngineError, shape: Sequence[LatLon]) -> RoutingError:
    span = f"from {_describe(shape[0])} to {_describe(shape[-1])}"
    if exc.code == NO_EDGES_NEAR:
        return PositionOffNetworkError(
            f"the polyline {span} is not near any road a truck may use", position=shape[0]
        )
    if exc.code in _NO_MATCH_CODES or exc.code in _NO_PATH_CODES:
        return NoRouteError(
            f"the polyline {span} cannot be followed on truck roads ({exc.message})"
        )
    return RoutingError(
        f"matching the polyline {span} failed: Valhalla error {exc.code}: {exc.message}"
    )
