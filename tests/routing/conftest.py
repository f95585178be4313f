"""Fixtures for the routing tests: the Heidelberg region's Valhalla engine and a 40 t truck."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from voltroute.domain import LatLon
from voltroute.regions import Region
from voltroute.routing import EmbeddedValhallaRouter, RouteLeg, TruckProfile

# On the A 656 eastbound at its western end (Mannheim) and on the A 5 southbound near Walldorf;
# the fastest truck route between them is motorway only: A 656, the Heidelberg interchange, A 5.
A656_WEST = LatLon(49.4437, 8.5869)
A5_SOUTH = LatLon(49.3700, 8.6324)
NORTH_SEA = LatLon(54.5, 5.0)
# Bismarckstraße (B 37/B 38) in Mannheim: on a road, but the clipped extract leaves it on a
# fragment that no truck route reaches from the motorways.
MANNHEIM_FRAGMENT = LatLon(49.48, 8.47)


@pytest.fixture(scope="session")
def truck() -> TruckProfile:
    """A 40 t five-axle tractor-trailer."""
    return TruckProfile(gross_mass_kg=40_000, axle_count=5, axle_load_kg=10_000)


@pytest.fixture(scope="session")
def hd_config_path(heidelberg_region: Region) -> Path:
    return heidelberg_region.valhalla_config_path()


@pytest.fixture(scope="session")
def hd_config(heidelberg_region: Region) -> dict[str, Any]:
    return heidelberg_region.valhalla_config()


@pytest.fixture(scope="session")
def embedded_router(hd_config_path: Path) -> Iterator[EmbeddedValhallaRouter]:
    router = EmbeddedValhallaRouter(hd_config_path)
    yield router
    router.close()


@pytest.fixture(scope="session")
def motorway_leg(embedded_router: EmbeddedValhallaRouter, truck: TruckProfile) -> RouteLeg:
    """A656 west end to A5 south: about 10 km of motorway."""
    return embedded_router.route(A656_WEST, A5_SOUTH, truck)
