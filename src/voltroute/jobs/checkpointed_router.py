"""A Router that calls a job's checkpoint before each routing call.

The pipeline checks between legs and phases; inside a phase (the corridor's matrix requests,
the detours routed edge by edge) the routing calls are where the time goes, so checking before
each one lets a cancel or the time limit stop a job within one routing call, without the
pipeline knowing.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from voltroute.domain import LatLon
from voltroute.routing import RouteLeg, Router, TravelCost, TruckProfile


class CheckpointedRouter:
    """Delegates to router; checkpoint() first, which raises to stop the job."""

    def __init__(self, router: Router, checkpoint: Callable[[], None]) -> None:
        self._router = router
        self._checkpoint = checkpoint

    def route(self, start: LatLon, stop: LatLon, truck: TruckProfile) -> RouteLeg:
        """Fastest legal truck route from start to stop."""
        self._checkpoint()
        return self._router.route(start, stop, truck)

    def match(self, shape: Sequence[LatLon], truck: TruckProfile) -> RouteLeg:
        """Map-match a given geometry onto the network."""
        self._checkpoint()
        return self._router.match(shape, truck)

    def matrix(
        self, sources: Sequence[LatLon], targets: Sequence[LatLon], truck: TruckProfile
    ) -> list[list[TravelCost | None]]:
        """Truck time and distance from each source to each target (None: no path)."""
        self._checkpoint()
        return self._router.matrix(sources, targets, truck)

    def heights(self, points: Sequence[LatLon]) -> list[float | None]:
        """Elevation at each point (None where the region has none)."""
        self._checkpoint()
        return self._router.heights(points)
