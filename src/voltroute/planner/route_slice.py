"""Cutting a routed leg at distances, so that a section can end at an inserted stop."""

from __future__ import annotations

from dataclasses import replace

from voltroute.routing.route import Edge, Maneuver, RouteLeg, ShapePoint


def slice_leg(route: RouteLeg, from_m: float, to_m: float) -> RouteLeg:
    """The part of route between two distances from its start.

    Edges cut by a boundary are split in proportion to the distance (length, duration and
    elevation); the shape keeps the points of the edges it covers and gains the cut points.
    Manoeuvres that start inside the part are kept, framed by a departure and an arrival.
    """
    whole = from_m <= 1e-6 and to_m >= route.length_m - 1e-3  # float noise of summed edges
    if whole or not route.shape or not route.edges:
        return route
    total_m = sum(e.length_m for e in route.edges)
    scale = route.length_m / total_m if total_m > 0 else 1.0
    edges: list[Edge] = []
    shape: list[ShapePoint] = []
    offset = 0.0
    first_index: int | None = None
    for edge in route.edges:
        length_m = edge.length_m * scale
        a, b = max(from_m, offset), min(to_m, offset + length_m)
        if b > a or (length_m == 0 and from_m <= offset <= to_m):
            share_a = (a - offset) / length_m if length_m > 0 else 0.0
            share_b = (b - offset) / length_m if length_m > 0 else 1.0
            begin = _point(route, edge, share_a)
            end = _point(route, edge, share_b)
            inner = [
                route.shape[i]
                for i in range(edge.begin_shape_index + 1, edge.end_shape_index)
                if share_a < _share_of(edge, i) < share_b
            ]
            if first_index is None:
                first_index = edge.begin_shape_index
                shape.append(begin)
            begin_index = len(shape) - 1
            shape.extend(inner)
            shape.append(end)
            edges.append(
                replace(
                    edge,
                    length_m=edge.length_m * (share_b - share_a),
                    duration_s=edge.duration_s * (share_b - share_a),
                    elevation_start_m=begin.elevation_m,
                    elevation_end_m=end.elevation_m,
                    begin_shape_index=begin_index,
                    end_shape_index=len(shape) - 1,
                )
            )
        offset += length_m
    if not shape and route.shape:
        shape = [route.shape[-1]]
    first = first_index or 0
    last = first + len(shape) - 1
    maneuvers = tuple(
        replace(
            m,
            begin_shape_index=min(len(shape) - 1, max(0, m.begin_shape_index - first)),
            end_shape_index=min(len(shape) - 1, max(0, m.end_shape_index - first)),
        )
        for m in route.maneuvers
        if first <= m.begin_shape_index <= last
    )
    total_s = sum(e.duration_s for e in route.edges)
    duration_scale = route.duration_s / total_s if total_s > 0 else 0.0
    maneuvers = _framed(maneuvers, len(shape))
    return RouteLeg(
        shape=tuple(shape),
        edges=tuple(edges),
        maneuvers=maneuvers,
        # Whole metres, as Valhalla reports lengths (the result rounds km to three decimals).
        length_m=float(round(sum(e.length_m for e in edges) * scale)),
        duration_s=sum(e.duration_s for e in edges) * duration_scale,
    )


def _share_of(edge: Edge, index: int) -> float:
    span = edge.end_shape_index - edge.begin_shape_index
    return (index - edge.begin_shape_index) / span if span > 0 else 0.0


def _point(route: RouteLeg, edge: Edge, share: float) -> ShapePoint:
    # Between the two shape points around the share (shape points are evenly spaced by index
    # within an edge for this purpose; precise enough for a stop's position).
    span = edge.end_shape_index - edge.begin_shape_index
    at = edge.begin_shape_index + share * span
    i = min(len(route.shape) - 1, int(at))
    j = min(len(route.shape) - 1, i + 1)
    f = at - i
    p, q = route.shape[i], route.shape[j]
    return ShapePoint(
        p.lat + f * (q.lat - p.lat),
        p.lon + f * (q.lon - p.lon),
        p.elevation_m + f * (q.elevation_m - p.elevation_m),
    )


START_TYPE = 1  # Valhalla kStart
DESTINATION_TYPE = 4  # Valhalla kDestination


def _framed(maneuvers: tuple[Maneuver, ...], n_points: int) -> tuple[Maneuver, ...]:
    """Every section starts with a departure and ends with an arrival, as HERE sections do."""
    framed = list(maneuvers)
    if not framed or framed[0].begin_shape_index != 0 or framed[0].type != START_TYPE:
        framed.insert(0, Maneuver(START_TYPE, "Drive on along the route.", 0.0, 0.0, 0, 0))
    if framed[-1].type != DESTINATION_TYPE:
        last = max(0, n_points - 1)
        framed.append(Maneuver(DESTINATION_TYPE, "You have arrived.", 0.0, 0.0, last, last))
    return tuple(framed)
