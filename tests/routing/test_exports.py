"""The routing package's public names are exactly its __all__, and all of them resolve."""

from __future__ import annotations

import subprocess
import sys

import voltroute.routing as routing

PUBLIC = {
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
}


def test_all_lists_the_public_names() -> None:
    assert set(routing.__all__) == PUBLIC


def test_every_public_name_resolves() -> None:
    for name in routing.__all__:
        assert getattr(routing, name) is not None


def test_importing_the_types_does_not_load_the_engine_or_httpx() -> None:
    code = "import sys, voltroute.routing; print('valhalla' in sys.modules, 'httpx' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]
