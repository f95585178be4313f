"""State of charge along a leg: where it is lowest and where it first drops below a floor."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from voltroute.domain import LatLon
from voltroute.routing.route import RouteLeg


@dataclass(frozen=True, slots=True)
class SocTrace:
    """SoC after each edge of a leg, unclamped below (to measure a deficit), capped above."""

    soc_after_edge: tuple[float, ...]
    soc_end: float
    lowest_soc: float


def trace_soc(
    soc_start: float, edge_energy_kwh: Sequence[float], usable_kwh: float, soc_max: float
) -> SocTrace:
    """Simulate the battery over the edges; recuperation cannot lift SoC above soc_max."""
    soc = soc_start
    lowest = soc
    after: list[float] = []
    for energy_kwh in edge_energy_kwh:
        soc = min(soc_max, soc - energy_kwh / usable_kwh)
        lowest = min(lowest, soc)
        after.append(soc)
    return SocTrace(tuple(after), soc, lowest)


@dataclass(frozen=True, slots=True)
class FloorCrossing:
    """The first point of a leg where SoC falls below a floor."""

    distance_m: float  # from the start of the leg
    position: LatLon


def first_crossing(
    route: RouteLeg, soc_start: float, trace: SocTrace, floor: float
) -> FloorCrossing | None:
    """Where SoC first drops below floor, interpolated inside the edge; None if it never does."""
    before = soc_start
    travelled_m = 0.0
    for edge, after in zip(route.edges, trace.soc_after_edge, strict=True):
        if after < floor <= before or (after < floor and before < floor):
            share = (
                1.0 if before == after else min(1.0, max(0.0, (before - floor) / (before - after)))
            )
            return FloorCrossing(
                travelled_m + share * edge.length_m,
                _point_on_edge(route, edge.begin_shape_index, edge.end_shape_index, share),
            )
        travelled_m += edge.length_m
        before = after
    return None


def _point_on_edge(route: RouteLeg, begin: int, end: int, share: float) -> LatLon:
    # The shape points of an edge are close together: picking the nearest by index is precise to
    # a few metres, which is all a "battery empty here" message needs.
    if not route.shape:
        return LatLon(0.0, 0.0)
    index = min(len(route.shape) - 1, max(0, round(begin + share * (end - begin))))
    point = route.shape[index]
    return LatLon(point.lat, point.lon)
