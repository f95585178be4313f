"""The gurka harness itself: a drawing becomes a routable map whose answers are obvious."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from tests.gurka import GurkaMap, build_map, grid_positions

from voltroute.domain import LatLon, haversine_m

# A motorway A-B-C-D with a residential loop B-E-F-C beside it.
DETOUR_MAP = """
    A-----B-----C-----D
          |     |
          E-----F
"""


def test_letters_are_placed_grid_m_apart_with_the_first_row_north() -> None:
    positions = grid_positions(DETOUR_MAP, 100, (50.0, 10.0))

    a, b, e = (LatLon(*positions[x]) for x in "ABE")
    assert positions["A"] == (50.0, 10.0)
    assert haversine_m(a, b) == pytest.approx(600, rel=1e-3)
    assert haversine_m(b, e) == pytest.approx(200, rel=1e-3)
    assert e.lat < b.lat
    assert math.isclose(e.lon, b.lon)


def test_a_letter_drawn_twice_is_rejected() -> None:
    with pytest.raises(ValueError, match="appears twice"):
        grid_positions("A--B--A", 10, (50.0, 10.0))


def test_a_way_through_a_letter_not_on_the_map_is_rejected(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=r"missing \['X'\]"):
        build_map("A--B", 10, {"ABX": {"highway": "primary"}}, workdir=tmp_path)


@pytest.fixture(scope="module")
def detour_map(tmp_path_factory: pytest.TempPathFactory) -> GurkaMap:
    return build_map(
        DETOUR_MAP,
        grid_m=100,
        ways={
            "AB": {"highway": "motorway", "oneway": "yes"},
            "BC": {"highway": "motorway", "oneway": "yes", "maxweight": "3.5"},
            "CD": {"highway": "motorway", "oneway": "yes"},
            "BEFC": {"highway": "residential"},
        },
        workdir=tmp_path_factory.mktemp("detour"),
    )


@pytest.mark.integration
def test_a_car_drives_straight_along_the_motorway(detour_map: GurkaMap) -> None:
    assert detour_map.way_names("A", "D", costing="auto") == ["AB", "BC", "CD"]


@pytest.mark.integration
def test_a_heavy_truck_leaves_the_motorway_around_a_weight_limited_bridge(
    detour_map: GurkaMap,
) -> None:
    names = detour_map.way_names(
        "A", "D", costing="truck", costing_options={"truck": {"weight": 40}}
    )

    assert names == ["AB", "BEFC", "CD"]


@pytest.mark.integration
def test_the_route_length_matches_the_drawing(detour_map: GurkaMap) -> None:
    summary = detour_map.route("A", "D", costing="auto")["trip"]["summary"]

    assert summary["length"] == pytest.approx(1.8, abs=0.01)  # 18 cells of 100 m, in km


@pytest.mark.integration
def test_the_map_region_has_no_elevation(detour_map: GurkaMap) -> None:
    assert detour_map.region.manifest.elevation_tiles == ()
    assert detour_map.region.name == "gurka"
