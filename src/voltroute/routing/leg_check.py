"""What every routed leg promises its users: edges that add up to it and cover its shape."""

from __future__ import annotations

import math
from typing import Final

from voltroute.routing.route import RouteLeg

LENGTH_TOLERANCE_M: Final = 1.0
DURATION_TOLERANCE_S: Final = 1.0


def leg_problems(leg: RouteLeg) -> list[str]:
    """Each way the leg breaks its promise; empty when its edges describe it exactly.

    The edges are in order and contiguous, the first begins at the shape's first point and the
    last ends at its last, so an energy profile over the edges covers the whole shape; their
    lengths and times add up to the leg's within a metre and a second.
    """
    problems: list[str] = []
    last_index = len(leg.shape) - 1
    if last_index < 1:
        return [f"the shape has {len(leg.shape)} point(s)"]
    if not leg.edges:
        return ["the leg has no edges"]
    expected_begin = 0
    for i, edge in enumerate(leg.edges):
        if edge.begin_shape_index != expected_begin:
            problems.append(
                f"edge {i} begins at shape point {edge.begin_shape_index}, "
                f"expected {expected_begin}"
            )
        if edge.end_shape_index <= edge.begin_shape_index:
            problems.append(
                f"edge {i} spans no shape ({edge.begin_shape_index}-{edge.end_shape_index})"
            )
        if not (math.isfinite(edge.length_m) and edge.length_m >= 0):
            problems.append(f"edge {i} has length {edge.length_m}")
        if not (math.isfinite(edge.duration_s) and edge.duration_s >= 0):
            problems.append(f"edge {i} has duration {edge.duration_s}")
        expected_begin = edge.end_shape_index
    if leg.edges[-1].end_shape_index != last_index:
        problems.append(
            f"the last edge ends at shape point {leg.edges[-1].end_shape_index} of {last_index}"
        )
    length_m = sum(e.length_m for e in leg.edges)
    if abs(length_m - leg.length_m) > LENGTH_TOLERANCE_M:
        problems.append(f"the edges add up to {length_m:.1f} m, the leg is {leg.length_m:.1f} m")
    duration_s = sum(e.duration_s for e in leg.edges)
    if abs(duration_s - leg.duration_s) > DURATION_TOLERANCE_S:
        problems.append(
            f"the edges add up to {duration_s:.1f} s, the leg takes {leg.duration_s:.1f} s"
        )
    return problems
