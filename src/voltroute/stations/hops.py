"""Drives between nearby stations of one leg, for station chains: charge at A, drive to B.

`nearby_pairs` picks the pairs worth asking for (bounds in `voltroute.bounds`); `HopCalculator`
asks the engine's matrix for their time and distance, a few pairs per request like the detour
estimates (`detour.py`), and the height difference of the two stations for the energy. Like
`detour.py` this imports no routing: any `MatrixRouter` will do. Results are cached per
(station, station, truck) in a DetourCache, so the plans of a day share them.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import Any, Final

from voltroute import bounds
from voltroute.domain import LatLon, haversine_m
from voltroute.stations.detour import DetourCache, MatrixRouter

# One matrix request covers pairs whose stations lie this close together (sources x targets,
# and every station within the span of the cluster's first): the engine searches from each
# station until it has reached every target of the request, so small local requests are
# cheaper than few large ones. On the Berlin tour (157 candidates) 12 x 12 cells took a median
# 91 ms in 7 requests, 24 x 24 132 ms in 4; the span keeps a sparse region's requests local.
HOP_MATRIX_MAX_CELLS: Final = 144
HOP_CLUSTER_SPAN_M: Final = 10_000.0


@dataclass(frozen=True, slots=True)
class HopEnd:
    """A station of one leg where a hop may start or end, and where its detour leaves the route."""

    station_id: str
    position: LatLon
    distance_along_leg_m: float
    group_id: int | None = None  # one site (group_stations): its stations are no chain


@dataclass(frozen=True, slots=True)
class StationDrive:
    """From ends[from_index] straight to ends[to_index], as the engine's matrix has it."""

    from_index: int
    to_index: int
    length_m: float
    duration_s: float
    rise_m: float  # the second station's height above the first's (0 where unknown)


def nearby_pairs(ends: Sequence[HopEnd]) -> list[tuple[int, int]]:
    """Pairs (i, j), i before j in route order, near each other by the bounds.

    Route order is (distance_along_leg_m, station id), the optimizer's order of route points;
    each station keeps its HOP_MAX_PARTNERS nearest followers (straight line).
    """
    order = sorted(
        range(len(ends)),
        key=lambda i: (ends[i].distance_along_leg_m, ends[i].station_id),
    )
    pairs: list[tuple[int, int]] = []
    for rank, i in enumerate(order):
        a = ends[i]
        followers: list[tuple[float, int, int]] = []
        for later, j in enumerate(order[rank + 1 :]):
            b = ends[j]
            if b.distance_along_leg_m - a.distance_along_leg_m > bounds.HOP_MAX_ALONG_LEG_M:
                break
            if a.group_id is not None and a.group_id == b.group_id:
                continue
            straight_m = haversine_m(a.position, b.position)
            if straight_m <= bounds.HOP_MAX_STRAIGHT_M:
                followers.append((straight_m, later, j))
        pairs.extend((i, j) for _, _, j in sorted(followers)[: bounds.HOP_MAX_PARTNERS])
    return pairs


class HopCalculator[Truck: Hashable]:
    """Station -> station drives from the engine's matrix, remembered in a DetourCache."""

    def __init__(
        self,
        matrix_router: MatrixRouter[Truck],
        failures: tuple[type[Exception], ...] = (),
        cache: DetourCache | None = None,
    ) -> None:
        self.matrix_router = matrix_router
        self.failures = failures
        self._cache = cache if cache is not None else DetourCache()
        self.matrices = 0

    def drives(self, ends: Sequence[HopEnd], truck: Truck) -> list[StationDrive]:
        """The drives between the nearby pairs of one leg's stations that the engine can route.

        One matrix request per cluster of pairs (HOP_MATRIX_MAX_CELLS), one heights request;
        a routing failure leaves the pairs not yet asked without a drive.
        """
        pairs = nearby_pairs(ends)
        out: dict[tuple[int, int], tuple[float, float, float] | None] = {}
        todo: list[tuple[int, int]] = []
        for i, j in pairs:
            found, known = self._cache.get(_key(ends[i], ends[j], truck))
            if found:
                out[i, j] = known
            else:
                todo.append((i, j))
        try:
            rises = self._rises_m(ends, todo) if todo else {}
            for cluster in _clusters(ends, todo):
                for pair, cost in zip(cluster, self._estimate(ends, cluster, truck), strict=True):
                    drive = None if cost is None else (cost[0], cost[1], rises[pair])
                    out[pair] = drive
                    i, j = pair
                    self._cache.put(_key(ends[i], ends[j], truck), drive)
        except self.failures:
            pass  # hops are a refinement: the plan goes on with the chains found so far
        return [
            StationDrive(i, j, *drive) for (i, j) in pairs if (drive := out.get((i, j))) is not None
        ]

    def _estimate(
        self, ends: Sequence[HopEnd], cluster: Sequence[tuple[int, int]], truck: Truck
    ) -> list[tuple[float, float] | None]:
        sources = _unique([ends[i].position for i, _ in cluster])
        targets = _unique([ends[j].position for _, j in cluster])
        matrix = self.matrix_router.matrix(sources, targets, truck)
        self.matrices += 1
        costs: list[tuple[float, float] | None] = []
        for i, j in cluster:
            cost = matrix[sources.index(ends[i].position)][targets.index(ends[j].position)]
            if cost is None or not (
                math.isfinite(cost.length_m) and math.isfinite(cost.duration_s)
            ):
                costs.append(None)
            else:
                costs.append((cost.length_m, cost.duration_s))
        return costs

    def _rises_m(
        self, ends: Sequence[HopEnd], pairs: Sequence[tuple[int, int]]
    ) -> dict[tuple[int, int], float]:
        used = sorted({k for pair in pairs for k in pair})
        heights = dict(
            zip(used, self.matrix_router.heights([ends[k].position for k in used]), strict=True)
        )
        rises: dict[tuple[int, int], float] = {}
        for i, j in pairs:
            low, high = heights[i], heights[j]
            # Half-known elevation would invent a climb; level is the honest default.
            rises[i, j] = high - low if low is not None and high is not None else 0.0
        return rises


def _clusters(
    ends: Sequence[HopEnd], pairs: Sequence[tuple[int, int]]
) -> list[list[tuple[int, int]]]:
    """Consecutive pairs (route order of their first station) while sources x targets fit and
    every station lies within HOP_CLUSTER_SPAN_M of the cluster's first."""
    clusters: list[list[tuple[int, int]]] = []
    sources: set[int] = set()
    targets: set[int] = set()
    for i, j in pairs:
        if (
            clusters
            and len(sources | {i}) * len(targets | {j}) <= HOP_MATRIX_MAX_CELLS
            and haversine_m(ends[clusters[-1][0][0]].position, ends[j].position)
            <= HOP_CLUSTER_SPAN_M
        ):
            clusters[-1].append((i, j))
            sources.add(i)
            targets.add(j)
            continue
        clusters.append([(i, j)])
        sources, targets = {i}, {j}
    return clusters


def _key(a: HopEnd, b: HopEnd, truck: Hashable) -> tuple[Any, ...]:
    return ("hop", a.station_id, a.position, b.station_id, b.position, truck)


def _unique(points: Sequence[LatLon]) -> list[LatLon]:
    return list(dict.fromkeys(points))
