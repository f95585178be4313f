"""The real detour to a station: drive from the route point to the station and back, routed.

The stations package does not import routing (design.md); any object with the Router's
`route(start, stop, truck)` method whose result has `length_m` and `duration_s` will do.
Results are cached per (station, route point, truck), across plans when the caller keeps a
DetourCache; energy is left to the caller, who
has the vehicle model (the routed legs are returned for that).
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from threading import Lock
from typing import Any, Protocol

from voltroute.domain import LatLon
from voltroute.stations.model import Station

_POINT_DECIMALS = 5  # about 1 m: route points this close share a cached detour
DETOUR_CACHE_ENTRIES_DEFAULT = 20_000


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


@dataclass(frozen=True, slots=True)
class Detour[Leg]:
    """Route point -> station (`to`) and station -> route point (`back`)."""

    to_station: Leg
    back: Leg
    to_m: float
    to_s: float
    back_m: float
    back_s: float

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

    def detour(self, station: Station, route_point: LatLon, truck: Truck) -> Detour[Leg] | None:
        """The detour, or None when the station cannot be reached from that route point."""
        key = (
            station.station_id,
            station.position,
            round(route_point.lat, _POINT_DECIMALS),
            round(route_point.lon, _POINT_DECIMALS),
            truck,
        )
        found, detour = self._cache.get(key)
        if not found:
            detour = self._route(station.position, route_point, truck)
            self._cache.put(key, detour)
        return detour  # type: ignore[no-any-return]

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
