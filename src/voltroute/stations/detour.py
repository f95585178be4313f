"""The real detour to a station: drive from the route point to the station and back, routed.

The stations package does not import routing (design.md); any object with the Router's
`route(start, stop, truck)` method whose result has `length_m` and `duration_s` will do.
Results are cached per (station, route point, truck); energy is left to the caller, who
has the vehicle model (the routed legs are returned for that).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from voltroute.domain import LatLon
from voltroute.stations.model import Station

_POINT_DECIMALS = 5  # about 1 m: route points this close share a cached detour


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
    ) -> None:
        self.router = router
        self.failures = failures
        self._cache: dict[tuple[str, float, float, Truck], Detour[Leg] | None] = {}
        self.routed = 0

    def detour(self, station: Station, route_point: LatLon, truck: Truck) -> Detour[Leg] | None:
        """The detour, or None when the station cannot be reached from that route point."""
        key = (
            station.station_id,
            round(route_point.lat, _POINT_DECIMALS),
            round(route_point.lon, _POINT_DECIMALS),
            truck,
        )
        if key not in self._cache:
            self._cache[key] = self._route(station.position, route_point, truck)
        return self._cache[key]

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
