"""Drawn maps of the shapes that broke legs: every leg's edges add up to it and cover its shape.

A route computed by Valhalla and walked again edge by edge (trace_attributes) does not always
come back point for point: routes that start or end on a node or mid-edge, loops over the same
edge, u-turns, zero-length and very short edges. The router ties the edges to its own shape by
construction, so each of these legs is whole: edges in order, contiguous from the first shape
point to the last, their lengths and times adding up to the leg's.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterator

import pytest
from tests.gurka import GurkaMap, build_map, grid_positions

from voltroute.domain import EARTH_RADIUS_M, LatLon
from voltroute.routing import EmbeddedValhallaRouter, RouteLeg, TruckProfile
from voltroute.routing.leg_check import leg_problems

pytestmark = pytest.mark.integration

# 100 m per cell. A-B is a two-way street; the loop B C D G F E B is one-way, clockwise; Z sits
# on top of F (a zero-length edge F-Z) and Y one metre east of C (a very short edge C-Y).
MAP = """
    A-----B-----C-Y---D
          |           |
          E-----F-Z---G
"""
GRID_M = 100
TRUCK = TruckProfile(gross_mass_kg=40_000)
ONE_WAY = {"highway": "residential", "oneway": "yes"}


@pytest.fixture(scope="module")
def drawn(tmp_path_factory: pytest.TempPathFactory) -> GurkaMap:
    cells = grid_positions(MAP, GRID_M, (50.0, 10.0))
    f_lat, f_lon = cells["F"]
    c_lat, c_lon = cells["C"]
    metre_lon = math.degrees(1.0 / (EARTH_RADIUS_M * math.cos(math.radians(c_lat))))
    return build_map(
        MAP,
        grid_m=GRID_M,
        ways={
            "AB": {"highway": "residential"},
            "BC": ONE_WAY,
            "CY": ONE_WAY,
            "YD": ONE_WAY,
            "DG": ONE_WAY,
            "GZ": ONE_WAY,
            "ZF": ONE_WAY,
            "FE": ONE_WAY,
            "EB": ONE_WAY,
        },
        places={"Z": (f_lat, f_lon), "Y": (c_lat, c_lon + metre_lon)},
        workdir=tmp_path_factory.mktemp("legs"),
    )


@pytest.fixture(scope="module")
def router(drawn: GurkaMap) -> Iterator[EmbeddedValhallaRouter]:
    router = drawn.router()
    yield router
    router.close()


def _leg(
    router: EmbeddedValhallaRouter, start: tuple[float, float], stop: tuple[float, float]
) -> RouteLeg:
    leg = router.route(LatLon(*start), LatLon(*stop), TRUCK)
    assert leg_problems(leg) == []
    return leg


def _names(leg: RouteLeg) -> list[str]:
    names: list[str] = []
    for edge in leg.edges:
        name = "/".join(edge.names)
        if not names or names[-1] != name:
            names.append(name)
    return names


def test_a_leg_from_node_to_node_is_whole(drawn: GurkaMap, router: EmbeddedValhallaRouter) -> None:
    leg = _leg(router, drawn.node("A"), drawn.node("D"))
    assert leg.length_m == pytest.approx(18 * GRID_M, abs=5)
    assert _names(leg) == ["AB", "BC", "CY", "YD"]


def test_a_leg_from_mid_edge_to_mid_edge_is_whole(
    drawn: GurkaMap, router: EmbeddedValhallaRouter
) -> None:
    leg = _leg(router, drawn.between("A", "B", 0.3), drawn.between("Y", "D", 0.5))
    assert leg.length_m == pytest.approx((4.2 + 6 + 3) * GRID_M, abs=5)
    assert _names(leg)[0] == "AB"
    assert _names(leg)[-1] == "YD"


def test_a_loop_that_starts_and_ends_on_the_same_edge_is_whole(
    drawn: GurkaMap, router: EmbeddedValhallaRouter
) -> None:
    # The stop lies behind the start on the one-way B-C: the truck drives the whole loop.
    leg = _leg(router, drawn.between("B", "C", 0.7), drawn.between("B", "C", 0.3))
    assert _names(leg) == ["BC", "CY", "YD", "DG", "GZ", "ZF", "FE", "EB", "BC"]
    assert leg.length_m == pytest.approx((1.8 + 6 + 2 + 6 + 6 + 2 + 1.8) * GRID_M, abs=5)


def test_a_leg_over_a_zero_length_edge_is_whole(
    drawn: GurkaMap, router: EmbeddedValhallaRouter
) -> None:
    leg = _leg(router, drawn.node("G"), drawn.node("E"))
    assert leg.length_m == pytest.approx(12 * GRID_M, abs=3)
    assert all(edge.end_shape_index > edge.begin_shape_index for edge in leg.edges)


def test_a_leg_ending_on_a_very_short_edge_is_whole(
    drawn: GurkaMap, router: EmbeddedValhallaRouter
) -> None:
    leg = _leg(router, drawn.node("B"), drawn.node("Y"))
    assert leg.length_m == pytest.approx(6 * GRID_M + 1, abs=3)


def test_a_polyline_with_a_u_turn_is_matched_whole(
    drawn: GurkaMap, router: EmbeddedValhallaRouter
) -> None:
    # A client's trace down the two-way dead end A-B to A and back: a u-turn at A.
    points = [drawn.between("B", "A", s) for s in (0.0, 0.25, 0.5, 0.75, 1.0)]
    points += [drawn.between("A", "B", s) for s in (0.25, 0.5, 0.75, 0.9)]
    leg = router.match([LatLon(*p) for p in points], TRUCK)
    assert leg_problems(leg) == []
    assert leg.length_m == pytest.approx(2 * 6 * GRID_M - 0.1 * 6 * GRID_M, abs=40)


@pytest.mark.parametrize(("start", "stop"), list(itertools.permutations("ABCDEFGYZ", 2)))
def test_every_pair_of_nodes_routes_whole(
    drawn: GurkaMap, router: EmbeddedValhallaRouter, start: str, stop: str
) -> None:
    _leg(router, drawn.node(start), drawn.node(stop))
