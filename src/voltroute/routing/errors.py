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
    """Both ends are on the network but no legal truck path joins them.

    `cause` says why when the engine could tell: "restriction" (a limit or access rule blocks
    every path; `position` is where the truck's reach ends) or "unconnected" (the ends lie on
    parts of the network that do not join; `position` is the end that is cut off).
    """

    def __init__(
        self, message: str, cause: str = "unknown", position: LatLon | None = None
    ) -> None:
        super().__init__(message)
        self.cause = cause
        self.position = position


class ValhallaEngineError(Exception):
    """Valhalla answered a request with an error (code from valhalla/exceptions.h)."""

    def __init__(self, code: int | None, message: str) -> None:
        super().__init__(f"Valhalla error {code}: {message}")
        self.code = code
        self.message = message
