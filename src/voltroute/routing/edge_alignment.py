"""Tie trace_attributes' edges to the route's own shape by distance along the shape.

Valhalla's route answer carries the geometry, length and time of a leg, and its manoeuvres
index that geometry; the per-edge attributes come from a second request (trace_attributes) that
walks or matches the same path. Valhalla does not promise that the second answer returns the
same points: a route that starts or ends on a graph node gets a repeated point, a trimmed partial
edge can be split differently, and the map-matching fallback draws its own shape. So edges are
never trusted to index our shape: each edge boundary is placed on the route's shape at the same
distance along the path, and the edges are rescaled so that they add up to the leg exactly.
"""

from __future__ import annotations

import bisect
import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from voltroute.domain import haversine_deg_m

# How far the traced path's length may stray from the route's before the two are not taken to be
# the same path: repeated points add nothing, but a matcher that cuts a corner or trims a partial
# edge at either end moves a few metres.
LENGTH_TOLERANCE_M: Final = 30.0
LENGTH_TOLERANCE_SHARE: Final = 0.01


class AlignmentError(ValueError):
    """The traced edges do not describe the route's path (another length or order)."""


@dataclass(frozen=True, slots=True)
class TracedEdge:
    """One edge as trace_attributes reports it: its span on the traced shape and its figures."""

    begin_trace_index: int
    end_trace_index: int
    length_m: float
    duration_s: float


@dataclass(frozen=True, slots=True)
class EdgeSpan:
    """Where an edge lies on the route's shape, with its share of the leg's length and time.

    `traced` is the position of the traced edge it describes; edges that shrink to no length on
    the route (a repeated point) are folded into their neighbour and have no span of their own.
    """

    traced: int
    begin_shape_index: int
    end_shape_index: int
    length_m: float
    duration_s: float


def cumulative_m(points: Sequence[tuple[float, float]]) -> list[float]:
    """Distance along a (lat, lon) polyline at each of its points, in metres."""
    out = [0.0]
    for (lat1, lon1), (lat2, lon2) in itertools.pairwise(points):
        out.append(out[-1] + haversine_deg_m(lat1, lon1, lat2, lon2))
    return out


def align_edges(
    route_points: Sequence[tuple[float, float]],
    trace_points: Sequence[tuple[float, float]],
    edges: Sequence[TracedEdge],
    leg_length_m: float,
    leg_duration_s: float,
) -> list[EdgeSpan]:
    """Place traced edges on the route's shape; their lengths and times add up to the leg's.

    The spans are in order, contiguous and cover the whole shape: the first begins at index 0,
    each begins where the one before ends, the last ends at the shape's last index.
    """
    if len(route_points) < 2:
        raise AlignmentError(f"a route shape needs 2 points, got {len(route_points)}")
    if not edges:
        raise AlignmentError("the trace has no edges")
    _check_edges(edges, len(trace_points))
    last = len(route_points) - 1
    same_points = _same_points_index(route_points, trace_points)
    if same_points is not None:
        # The walk returned our points, some of them repeated (the usual case): map by index.
        mapped = [same_points[e.end_trace_index] for e in edges[:-1]] + [last]
        return _spans(edges, mapped, leg_length_m, leg_duration_s)
    along_route = cumulative_m(route_points)
    along_trace = cumulative_m(trace_points)
    route_m, trace_m = along_route[-1], along_trace[-1]
    tolerance_m = max(LENGTH_TOLERANCE_M, LENGTH_TOLERANCE_SHARE * route_m)
    if abs(route_m - trace_m) > tolerance_m:
        raise AlignmentError(
            f"the traced path is {trace_m:.0f} m long, the route {route_m:.0f} m: not the same path"
        )
    scale = route_m / trace_m if trace_m > 0 else 0.0
    ends: list[int] = []
    floor = 0
    for edge in edges[:-1]:
        at_m = along_trace[edge.end_trace_index] * scale
        index = max(floor, _nearest_index(along_route, at_m))
        ends.append(index)
        floor = index
    ends.append(last)
    return _spans(edges, ends, leg_length_m, leg_duration_s)


def _same_points_index(
    route_points: Sequence[tuple[float, float]], trace_points: Sequence[tuple[float, float]]
) -> list[int] | None:
    # Each traced point's index on the route when the trace is the route's points with some
    # repeated; None when it is anything else.
    index: list[int] = []
    j = 0
    for i, point in enumerate(trace_points):
        if j < len(route_points) and point == route_points[j]:
            index.append(j)
            j += 1
        elif i > 0 and point == trace_points[i - 1]:
            index.append(j - 1)
        else:
            return None
    return index if j == len(route_points) else None


def _check_edges(edges: Sequence[TracedEdge], trace_count: int) -> None:
    previous_end = 0
    for i, edge in enumerate(edges):
        begin, end = edge.begin_trace_index, edge.end_trace_index
        if not 0 <= begin <= end < trace_count:
            raise AlignmentError(f"edge {i} spans shape points {begin}-{end} of {trace_count}")
        if begin != previous_end:
            raise AlignmentError(
                f"edge {i} begins at point {begin}, the edge before ended at {previous_end}"
            )
        if not (math.isfinite(edge.length_m) and math.isfinite(edge.duration_s)):
            raise AlignmentError(f"edge {i} has no finite length or time")
        previous_end = end
    if previous_end != trace_count - 1:
        raise AlignmentError(f"the edges end at point {previous_end} of {trace_count}")


def _nearest_index(along_m: Sequence[float], at_m: float) -> int:
    i = bisect.bisect_left(along_m, at_m)
    if i <= 0:
        return 0
    if i >= len(along_m):
        return len(along_m) - 1
    return i if along_m[i] - at_m < at_m - along_m[i - 1] else i - 1


def _spans(
    edges: Sequence[TracedEdge], ends: Sequence[int], leg_length_m: float, leg_duration_s: float
) -> list[EdgeSpan]:
    # An edge that shrinks to one point on the route (a repeated point at a node, a partial edge
    # trimmed away) gives its length and time to the next edge that has a span, or the last one.
    traced: list[int] = []
    begins: list[int] = []
    kept_ends: list[int] = []
    lengths: list[float] = []
    durations: list[float] = []
    pending_m, pending_s = 0.0, 0.0
    begin = 0
    for i, edge in enumerate(edges):
        pending_m += edge.length_m if edge.length_m > 0 else 0.0
        pending_s += edge.duration_s if edge.duration_s > 0 else 0.0
        end = ends[i]
        if end > begin:
            traced.append(i)
            begins.append(begin)
            kept_ends.append(end)
            lengths.append(pending_m)
            durations.append(pending_s)
            pending_m, pending_s = 0.0, 0.0
            begin = end
    if not traced:
        raise AlignmentError("no edge covers any part of the route's shape")
    lengths[-1] += pending_m
    durations[-1] += pending_s
    total_m, total_s = sum(lengths), sum(durations)
    scale_m = leg_length_m / total_m if total_m > 0 else 0.0
    scale_s = leg_duration_s / total_s if total_s > 0 else 0.0
    if total_m <= 0:
        lengths = [1.0] * len(traced)
        scale_m = leg_length_m / len(traced)
    if total_s <= 0:  # no times at all: share the leg's time as its length
        durations, scale_s = lengths, leg_duration_s / sum(lengths)
    return [
        EdgeSpan(t, b, e, m * scale_m, s * scale_s)
        for t, b, e, m, s in zip(traced, begins, kept_ends, lengths, durations, strict=True)
    ]
