"""The real detour to a station: drive from the route point to the station and back.

Two ways to know it: `estimate_many` asks the engine's matrix for the time and distance of
many detours at once (a few requests per tour, stations clustered along the route), with the
height difference between route point and station for the energy; `detour` routes one both
ways in full, with every edge, for the stations a plan actually uses.

The stations package does not import routing (design.md); any object with the Router's
`route(start, stop, truck)` (a result with `length_m` and `duration_s`), `matrix(sources,
targets, truck)` and `heights(points)` will do. Results are cached per (station, route point,
truck), across plans when the caller keeps a DetourCache; energy is left to the caller, who
has the vehicle model (the routed legs, or the rise, are returned for that).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from threading import Lock
from typing import Any, Final, Protocol

from voltroute.domain import LatLon, haversine_m
from voltroute.stations.model import Station

_POINT_DECIMALS = 5  # about 1 m: route points this close share a cached detour
DETOUR_CACHE_ENTRIES_DEFAULT = 20_000
# A matrix request covers stations whose route points lie this close together: the engine's
# searches then stay local (a detour is a few km) instead of spanning the whole tour.
CLUSTER_MAX_STATIONS: Final = 24
CLUSTER_SPAN_M: Final = 15_000.0


class DetourCache:
    """Routed detours kept across plans, least recently used dropped first; thread-safe.

    Keyed by station id and position, route point and truck, so a moved station is rerouted.
    """

    def __init__(self, max_entries: int = DETOUR_CACHE_ENTRIES_DEFAULT) -> None:
        if max_entries < 1:
            raise ValueError("max_entries must be >= 1")
        self.max_entries = max_entries
        self._entries: OrderedDict[tuple[Any, ...], Any] = OrderedDict()
        self._lock = Lock()

    def get(self, key: tuple[Any, ...]) -> tuple[bool, Any]:
        """(found, value)."""
        with self._lock:
            if key not in self._entries:
                return False, None
            self._entries.move_to_end(key)
            return True, self._entries[key]

    def put(self, key: tuple[Any, ...], value: Any) -> None:
        with self._lock:
            self._entries[key] = value
            self._entries.move_to_end(key)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)

    def __len__(self) -> int:
        return len(self._entries)


class RoutedLegLike(Protocol):
    @property
    def length_m(self) -> float: ...

    @property
    def duration_s(self) -> float: ...


class LegRouter[Truck, Leg: RoutedLegLike](Protocol):
    def route(self, start: LatLon, stop: LatLon, truck: Truck) -> Leg: ...


class MatrixRouter[Truck](Protocol):
    def matrix(
        self, sources: Sequence[LatLon], targets: Sequence[LatLon], truck: Truck
    ) -> Sequence[Sequence[RoutedLegLike | None]]: ...

    def heights(self, points: Sequence[LatLon]) -> Sequence[float | None]: ...


@dataclass(frozen=True, slots=True)
class DetourRequest[Truck]:
    """A detour wanted: from the route point to the station and back, for this truck."""

    station: Station
    route_point: LatLon
    truck: Truck


@dataclass(frozen=True, slots=True)
class Detour[Leg]:
    """Route point -> station (`to`) and station -> route point (`back`).

    A routed detour carries both legs with their edges; an estimated one (from the matrix) has
    none, and `rise_m` (station above route point) stands in for the grades on the way.
    """

    to_station: Leg | None
    back: Leg | None
    to_m: float
    to_s: float
    back_m: float
    back_s: float
    rise_m: float = 0.0

    @property
    def routed(self) -> bool:
        """True when both legs were routed edge by edge."""
        return self.to_station is not None and self.back is not None

    @property
    def distance_m(self) -> float:
        return self.to_m + self.back_m

    @property
    def duration_s(self) -> float:
        return self.to_s + self.back_s


class DetourCalculator[Truck, Leg: RoutedLegLike]:
    """Routes detours and remembers them; a routing failure is cached as None too."""

    def __init__(
        self,
        router: LegRouter[Truck, Leg],
        failures: tuple[type[Exception], ...] = (),
        cache: DetourCache | None = None,
    ) -> None:
        self.router = router
        self.failures = failures
        self._cache = cache if cache is not None else DetourCache()
        self.routed = 0
        self.estimated = 0

    def detour(self, station: Station, route_point: LatLon, truck: Truck) -> Detour[Leg] | None:
        """The routed detour, or None when the station cannot be reached from that route point."""
        key = _key("routed", station, route_point, truck)
        found, detour = self._cache.get(key)
        if not found:
            detour = self._route(station.position, route_point, truck)
            self._cache.put(key, detour)
        return detour  # type: ignore[no-any-return]

    def estimate_many(
        self, matrix_router: MatrixRouter[Truck], requests: Sequence[DetourRequest[Truck]]
    ) -> list[Detour[Leg] | None]:
        """Each detour from the engine's matrix (a routed one where already known); None
        where the station cannot be reached. Requests in route order keep the clusters local."""
        out: list[Detour[Leg] | None] = [None] * len(requests)
        todo: list[int] = []
        for i, r in enumerate(requests):
            found, known = self._cache.get(_key("routed", r.station, r.route_point, r.truck))
            if not found:
                found, known = self._cache.get(_key("estimated", r.station, r.route_point, r.truck))
            if found:
                out[i] = known
            else:
                todo.append(i)
        if not todo:
            return out
        try:
            rises = dict(
                zip(todo, _rises_m(matrix_router, [requests[i] for i in todo]), strict=True)
            )
            for cluster in _clusters(requests, todo):
                estimated = self._estimate(matrix_router, [requests[i] for i in cluster])
                for i, detour in zip(cluster, estimated, strict=True):
                    if detour is not None:
                        detour = _with_rise(detour, rises[i])
                    out[i] = detour
                    r = requests[i]
                    self._cache.put(_key("estimated", r.station, r.route_point, r.truck), detour)
        except self.failures:
            return out
        finally:
            self.estimated += len(todo)
        return out

    def _estimate(
        self, matrix_router: MatrixRouter[Truck], cluster: Sequence[DetourRequest[Truck]]
    ) -> list[Detour[Leg] | None]:
        points = _unique([r.route_point for r in cluster])
        stations = _unique([r.station.position for r in cluster])
        truck = cluster[0].truck
        there = matrix_router.matrix(points, stations, truck)
        back = matrix_router.matrix(stations, points, truck)
        detours: list[Detour[Leg] | None] = []
        for r in cluster:
            p, s = points.index(r.route_point), stations.index(r.station.position)
            to_cost, back_cost = there[p][s], back[s][p]
            if to_cost is None or back_cost is None:
                detours.append(None)
                continue
            detours.append(
                Detour(
                    None,
                    None,
                    to_cost.length_m,
                    to_cost.duration_s,
                    back_cost.length_m,
                    back_cost.duration_s,
                )
            )
        return detours

    def _route(self, station: LatLon, route_point: LatLon, truck: Truck) -> Detour[Leg] | None:
        try:
            to_station = self.router.route(route_point, station, truck)
            back = self.router.route(station, route_point, truck)
        except self.failures:
            return None
        finally:
            self.routed += 1
        return Detour(
            to_station,
            back,
            to_station.length_m,
            to_station.duration_s,
            back.length_m,
            back.duration_s,
        )


def _rises_m[Truck](
    matrix_router: MatrixRouter[Truck], requests: Sequence[DetourRequest[Truck]]
) -> list[float]:
    points = [r.route_point for r in requests] + [r.station.position for r in requests]
    heights = list(matrix_router.heights(points))
    half = len(requests)
    # Half-known elevation would invent a climb; level is the honest default.
    return [
        high - low if low is not None and high is not None else 0.0
        for low, high in zip(heights[:half], heights[half:], strict=True)
    ]


def _key(kind: str, station: Station, route_point: LatLon, truck: Hashable) -> tuple[Any, ...]:
    return (
        kind,
        station.station_id,
        station.position,
        round(route_point.lat, _POINT_DECIMALS),
        round(route_point.lon, _POINT_DECIMALS),
        truck,
    )


def _clusters[Truck](
    requests: Sequence[DetourRequest[Truck]], todo: Sequence[int]
) -> list[list[int]]:
    clusters: list[list[int]] = []
    for i in todo:
        r = requests[i]
        if clusters:
            current = clusters[-1]
            first = requests[current[0]]
            if (
                len(current) < CLUSTER_MAX_STATIONS
                and first.truck == r.truck
                and haversine_m(first.route_point, r.route_point) <= CLUSTER_SPAN_M
            ):
                current.append(i)
                continue
        clusters.append([i])
    return clusters


def _unique(points: Sequence[LatLon]) -> list[LatLon]:
    return list(dict.fromkeys(points))


def _with_rise[Leg](detour: Detour[Leg], rise_m: float) -> Detour[Leg]:
    return Detour(
        detour.to_station,
        detour.back,
        detour.to_m,
        detour.to_s,
        detour.back_m,
        detour.back_s,
        rise_m,
    )
