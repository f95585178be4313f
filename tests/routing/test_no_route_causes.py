"""A genuine "no route" says why: the limit that blocks every path and where, or the cut.

Drawn maps with one road each: a bridge with a weight limit, an underpass with a height limit,
a street closed to trucks, and a road that joins nothing. Each failed leg names its cause and
the place the truck's reach ends, never "Valhalla error N".
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from tests.gurka import GurkaMap, build_map

from voltroute.domain import LatLon, haversine_m
from voltroute.routing import EmbeddedValhallaRouter, NoRouteError, TruckProfile

pytestmark = pytest.mark.integration

MAP = """
    A-----B-----C

    J-----K-----L

    M-----N-----O

    H-----I
"""
GRID_M = 100
TRUCK = TruckProfile(gross_mass_kg=40_000, height_m=4.0)
STREET = {"highway": "residential"}


@pytest.fixture(scope="module")
def drawn(tmp_path_factory: pytest.TempPathFactory) -> GurkaMap:
    return build_map(
        MAP,
        grid_m=GRID_M,
        ways={
            "AB": STREET,
            "BC": {**STREET, "bridge": "yes", "maxweight": "7.5"},
            "JK": STREET,
            "KL": {**STREET, "hgv": "no"},
            "MN": STREET,
            "NO": {**STREET, "maxheight": "3.2"},
            "HI": STREET,
        },
        workdir=tmp_path_factory.mktemp("no-route"),
    )


@pytest.fixture(scope="module")
def router(drawn: GurkaMap) -> Iterator[EmbeddedValhallaRouter]:
    router = drawn.router()
    yield router
    router.close()


def _no_route(drawn: GurkaMap, router: EmbeddedValhallaRouter, a: str, b: str) -> NoRouteError:
    with pytest.raises(NoRouteError) as caught:
        router.route(LatLon(*drawn.node(a)), LatLon(*drawn.node(b)), TRUCK)
    assert "Valhalla error" not in str(caught.value)
    return caught.value


def _near(drawn: GurkaMap, error: NoRouteError, letter: str) -> bool:
    assert error.position is not None
    return haversine_m(error.position, LatLon(*drawn.node(letter))) < 0.2 * GRID_M


@pytest.mark.parametrize(
    ("start", "stop", "reads", "barrier"),
    [
        ("A", "C", "weight limit", "B"),
        ("J", "L", "closed to trucks", "K"),
        ("M", "O", "height limit", "N"),
    ],
)
def test_a_limit_that_blocks_every_path_is_named_with_its_place(
    drawn: GurkaMap,
    router: EmbeddedValhallaRouter,
    start: str,
    stop: str,
    reads: str,
    barrier: str,
) -> None:
    error = _no_route(drawn, router, start, stop)
    assert error.cause == "restriction"
    assert reads in str(error)
    assert "reach ends at" in str(error)
    assert _near(drawn, error, barrier)


def test_a_light_truck_passes_the_limits(drawn: GurkaMap, router: EmbeddedValhallaRouter) -> None:
    van = TruckProfile(gross_mass_kg=3_000, height_m=2.5)
    leg = router.route(LatLon(*drawn.node("A")), LatLon(*drawn.node("C")), van)
    assert leg.length_m == pytest.approx(12 * GRID_M, abs=3)


def test_parts_that_do_not_join_are_named_as_such(
    drawn: GurkaMap, router: EmbeddedValhallaRouter
) -> None:
    error = _no_route(drawn, router, "A", "I")
    assert error.cause == "unconnected"
    assert "not connected" in str(error)
    assert "nearest point reachable" in str(error)
    assert "extract may be clipped" in str(error)
