"""Random legs over every region the tests build: never an engine failure.

Seeded pairs of nodes on truck-usable roads, half exactly on the nodes and half moved up to
50 m off them, each routed leg followed by a station detour from one of its own shape points
(bench/route_sweep.py; run it with --pairs 2000 for the full figures).
"""

from __future__ import annotations

import pytest
from bench.route_sweep import TRUCK, draw_pairs, extract_of, region_for, sweep

from voltroute.domain import LatLon
from voltroute.regions.road_nodes import truck_road_nodes
from voltroute.routing import RouteLeg
from voltroute.routing.embedded import EmbeddedValhallaRouter

pytestmark = [pytest.mark.integration, pytest.mark.slow]

PAIRS = 200
SEED = 561


@pytest.mark.parametrize(
    "region_name", ["heidelberg", "north-bayreuth", "berlin-brandenburg", "rhein-neckar", "denmark"]
)
def test_random_legs_and_detours_never_fail_in_the_engine(region_name: str) -> None:
    region = region_for(region_name)
    nodes = truck_road_nodes(extract_of(region))
    pairs = draw_pairs(nodes, PAIRS, SEED, offset_m=50.0)
    router = EmbeddedValhallaRouter(region.valhalla_config_path())

    def route(a: LatLon, b: LatLon) -> RouteLeg:
        return router.route(a, b, TRUCK)

    try:
        result = sweep(route, pairs, nodes, SEED)
    finally:
        router.close()
    assert result.failures == []
    assert result.engine_failures == 0
    routed = sum(n for kind, n in result.outcomes.items() if kind.startswith("ok (leg"))
    assert routed >= PAIRS // 2, result.outcomes  # most random pairs of a region do connect
    assert sum(n for kind, n in result.outcomes.items() if kind.startswith("ok (detour")) > 0
