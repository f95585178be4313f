"""Routing: the Router protocol, Valhalla adapters, HERE Flexible Polyline, map matching."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from voltroute.routing.errors import NoRouteError, PositionOffNetworkError, RoutingError
from voltroute.routing.flexpolyline import decode_polyline, encode_shape
from voltroute.routing.route import Edge, Maneuver, RouteLeg, ShapePoint, TravelCost, TruckProfile
from voltroute.routing.router import Router
from voltroute.routing.valhalla_config import with_service_limits

if TYPE_CHECKING:
    from voltroute.routing.embedded import EmbeddedValhallaRouter
    from voltroute.routing.http import HttpValhallaRouter

__all__ = [
    "Edge",
    "EmbeddedValhallaRouter",
    "HttpValhallaRouter",
    "Maneuver",
    "NoRouteError",
    "PositionOffNetworkError",
    "RouteLeg",
    "Router",
    "RoutingError",
    "ShapePoint",
    "TravelCost",
    "TruckProfile",
    "decode_polyline",
    "encode_shape",
    "with_service_limits",
]

# The adapters pull in the Valhalla engine and httpx; planner code that only needs the types
# should not pay for them, so they load on first use.
_LAZY = {
    "EmbeddedValhallaRouter": "voltroute.routing.embedded",
    "HttpValhallaRouter": "voltroute.routing.http",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
