"""A drawn map: motorway "A 1", a Landesstrasse and a residential street; only the A 1 is tolled."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from tests.gurka import GurkaMap, build_map

from voltroute.domain import LatLon
from voltroute.routing import EmbeddedValhallaRouter, RouteLeg, TruckProfile
from voltroute.tolls import EuroClass, TollVehicle, section_tolls

pytestmark = pytest.mark.integration

# 100 m per cell: A 1 from A to C is 1200 m, the L 3000 from C to D 200 m, the street D-E 600 m.
TOLL_MAP = """
    A-----B-----C
                |
                D-----E
"""
GRID_M = 100
DIESEL = TollVehicle(40_000, 5, emission_free=False, euro_class=EuroClass.VI, co2_class=1)
TRUCK = TruckProfile(gross_mass_kg=40_000, axle_count=5)


@pytest.fixture(scope="module")
def toll_map(tmp_path_factory: pytest.TempPathFactory) -> GurkaMap:
    # The default origin (50.0 N, 10.0 E) lies in Bavaria, so the edges are in Germany.
    return build_map(
        TOLL_MAP,
        grid_m=GRID_M,
        ways={
            "ABC": {"highway": "motorway", "ref": "A 1", "oneway": "yes"},
            "CD": {"highway": "secondary", "ref": "L 3000"},
            "DE": {"highway": "residential"},
        },
        workdir=tmp_path_factory.mktemp("tolls"),
    )


@pytest.fixture(scope="module")
def leg(toll_map: GurkaMap) -> Iterator[RouteLeg]:
    config = toll_map.region.valhalla_config()
    config["loki"]["service_defaults"]["minimum_reachability"] = 0  # a drawn map is an island
    router = EmbeddedValhallaRouter(config)
    yield router.route(LatLon(*toll_map.node("A")), LatLon(*toll_map.node("E")), TRUCK)
    router.close()


def test_the_route_drives_the_whole_drawing(leg: RouteLeg) -> None:
    assert leg.length_m == pytest.approx(2_000, abs=2)


def test_tolled_km_are_exactly_the_a_1(leg: RouteLeg) -> None:
    (toll,) = section_tolls(0, leg, DIESEL, date(2026, 9, 1)).systems

    assert toll.country_code == "DE"
    assert toll.tolled_m == pytest.approx(12 * GRID_M, abs=1)
    assert toll.distance_m == pytest.approx(20 * GRID_M, abs=2)
    assert toll.cost_cents == 42  # 1.2 km x 0.348 EUR/km = 0.4176 EUR
