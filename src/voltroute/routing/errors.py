"""Routing failures, each with a message fit to show a user."""

from __future__ import annotations

from voltroute.domain import LatLon


class RoutingError(Exception):
    """The routing engine could not answer (engine down, bad request, timeout)."""


class PositionOffNetworkError(RoutingError):
    """A position is too far from any road the truck may use (sea, outside the region).

    `position` is the offending position when the engine could tell which one it was.
    """

    def __init__(self, message: str, position: LatLon | None = None) -> None:
        super().__init__(message)
        self.position = position


class NoRouteError(RoutingError):
    """Both ends are on the network but no legal truck path joins them."""
