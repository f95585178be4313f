"""The Router protocol: what the planner's feeders need from a routing engine."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from voltroute.domain import LatLon
from voltroute.routing.route import RouteLeg, TravelCost, TruckProfile


class Router(Protocol):
    """Routes truck legs and snaps given geometry onto the road network."""

    def route(self, start: LatLon, stop: LatLon, truck: TruckProfile) -> RouteLeg:
        """Fastest legal truck route from start to stop."""
        ...

    def match(self, shape: Sequence[LatLon], truck: TruckProfile) -> RouteLeg:
        """Map-match a given geometry onto the network (same edge attributes as route)."""
        ...

    def matrix(
        self, sources: Sequence[LatLon], targets: Sequence[LatLon], truck: TruckProfile
    ) -> list[list[TravelCost | None]]:
        """Truck time and distance from each source to each target (None: no path)."""
        ...

    def heights(self, points: Sequence[LatLon]) -> list[float | None]:
        """Elevation at each point (None where the region has none)."""
        ...
