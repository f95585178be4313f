"""The Router methods over Valhalla's JSON actions, shared by the embedded and the HTTP adapter."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from typing import Any

from voltroute.domain import LatLon
from voltroute.routing.route import RouteLeg, TravelCost, TruckProfile
from voltroute.routing.valhalla_json import Json
from voltroute.routing.valhalla_leg import match_leg, point_heights, route_leg, travel_costs


class ValhallaRouter(ABC):
    """A Router on Valhalla; an adapter says only how a request reaches it (`_call`)."""

    def route(self, start: LatLon, stop: LatLon, truck: TruckProfile) -> RouteLeg:
        """Fastest legal truck route from start to stop."""
        return route_leg(self._call, start, stop, truck)

    def match(self, shape: Sequence[LatLon], truck: TruckProfile) -> RouteLeg:
        """Map-match a given geometry onto the network (same edge attributes as route)."""
        return match_leg(self._call, shape, truck)

    def matrix(
        self, sources: Sequence[LatLon], targets: Sequence[LatLon], truck: TruckProfile
    ) -> list[list[TravelCost | None]]:
        """Truck time and distance from each source to each target (None: no path)."""
        return travel_costs(self._call, sources, targets, truck)

    def heights(self, points: Sequence[LatLon]) -> list[float | None]:
        """Elevation at each point (None where the region has none)."""
        return point_heights(self._call, points)

    @abstractmethod
    def _call(self, action: str, request: Json) -> Any:
        """Valhalla's parsed answer to `request` (valhalla_leg.ValhallaCall)."""
