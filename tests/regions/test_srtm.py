"""SRTM tiles: names, reading, upsampling to Valhalla's 3601x3601 and writing."""

from __future__ import annotations

import zipfile
from pathlib import Path

import numpy as np
import pytest
from numpy.typing import NDArray

from voltroute.regions import HgtError
from voltroute.regions.srtm import (
    HGT_VOID,
    SRTM1_SIZE,
    SRTM3_SIZE,
    hgt_tile_of_file,
    read_hgt,
    tile_name,
    tile_origin,
    tiles_for_bbox,
    upsample_to_srtm1,
    write_hgt,
)


def _ramp_grid(side: int) -> NDArray[np.int16]:
    """Heights that rise 1 m per sample eastwards and 2 m per sample southwards."""
    rows = np.arange(side, dtype=np.int16)[:, None]
    cols = np.arange(side, dtype=np.int16)[None, :]
    return (100 + cols + 2 * rows).astype(np.int16)


@pytest.mark.parametrize(
    ("lat", "lon", "name"),
    [(49, 8, "N49E008"), (0, 0, "N00E000"), (-34, -71, "S34W071"), (51, -1, "N51W001")],
)
def test_tile_names_round_trip_through_their_south_west_corner(
    lat: int, lon: int, name: str
) -> None:
    assert tile_name(lat, lon) == name
    assert tile_origin(name) == (lat, lon)


def test_a_bbox_across_a_degree_line_needs_both_tiles() -> None:
    assert tiles_for_bbox(49.97, 11.46, 50.06, 11.61) == ["N49E011", "N50E011"]
    assert tiles_for_bbox(49.3, 7.7, 49.5, 9.1) == ["N49E007", "N49E008", "N49E009"]


def test_file_names_reveal_their_tile_case_insensitively() -> None:
    assert hgt_tile_of_file(Path("n49e011.HGT.zip")) == "N49E011"
    assert hgt_tile_of_file(Path("N49E011.hgt")) == "N49E011"
    assert hgt_tile_of_file(Path("N49E011.tif")) is None


def test_upsampling_keeps_every_source_sample_exact() -> None:
    source = np.random.default_rng(7).integers(0, 3000, (SRTM3_SIZE, SRTM3_SIZE), dtype=np.int16)

    result = upsample_to_srtm1(source)

    assert result.shape == (SRTM1_SIZE, SRTM1_SIZE)
    assert result[0, 0] == source[0, 0]
    assert result[-1, -1] == source[-1, -1]
    assert result[0, -1] == source[0, -1]
    assert result[-1, 0] == source[-1, 0]
    np.testing.assert_array_equal(result[::3, ::3], source)


def test_upsampling_is_bilinear_between_source_samples() -> None:
    source = np.zeros((SRTM3_SIZE, SRTM3_SIZE), dtype=np.int16)
    source[0:2, 0:2] = [[0, 300], [600, 900]]

    result = upsample_to_srtm1(source)

    # One third of the way east and two thirds south of the top-left sample.
    expected = (0 * 2 / 3 + 300 / 3) / 3 + (600 * 2 / 3 + 900 / 3) * 2 / 3
    assert result[2, 1] == round(expected)
    assert result[0, 1] == 100
    assert result[1, 0] == 200


def test_a_linear_ramp_stays_a_linear_ramp() -> None:
    result = upsample_to_srtm1(_ramp_grid(SRTM3_SIZE))

    rows = np.arange(0, SRTM1_SIZE, 37)[:, None]  # a sample of rows keeps the test quick
    cols = np.arange(SRTM1_SIZE)[None, :]
    np.testing.assert_allclose(result[rows, cols], 100 + cols / 3 + 2 * rows / 3, atol=0.5)


def test_voids_stay_void_and_do_not_drag_neighbours_down() -> None:
    source = np.full((SRTM3_SIZE, SRTM3_SIZE), 500, dtype=np.int16)
    source[10, 10] = HGT_VOID

    result = upsample_to_srtm1(source)

    assert result[30, 30] == HGT_VOID
    assert result[29, 30] == 500
    assert result.min() == HGT_VOID
    assert result[result != HGT_VOID].min() == 500


def test_a_3601_tile_passes_through_unchanged() -> None:
    source = _ramp_grid(SRTM1_SIZE)
    np.testing.assert_array_equal(upsample_to_srtm1(source), source)


def test_hgt_and_zipped_hgt_read_as_big_endian_int16(tmp_path: Path) -> None:
    source = _ramp_grid(SRTM3_SIZE)
    plain = tmp_path / "N49E011.hgt"
    plain.write_bytes(source.astype(">i2").tobytes())
    zipped = tmp_path / "N50E011.hgt.zip"
    with zipfile.ZipFile(zipped, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.write(plain, "N50E011.hgt")

    np.testing.assert_array_equal(read_hgt(plain), source)
    np.testing.assert_array_equal(read_hgt(zipped), source)


def test_a_truncated_hgt_is_reported_with_its_size(tmp_path: Path) -> None:
    truncated = tmp_path / "N49E011.hgt"
    truncated.write_bytes(_ramp_grid(SRTM3_SIZE).astype(">i2").tobytes()[:-1000])

    with pytest.raises(HgtError, match=r"N49E011\.hgt: 2883802 bytes is not a square SRTM grid"):
        read_hgt(truncated)


def test_a_corrupt_zip_is_reported_as_corrupt(tmp_path: Path) -> None:
    corrupt = tmp_path / "N49E011.hgt.zip"
    corrupt.write_bytes(b"PK\x03\x04 this is not really a zip archive")

    with pytest.raises(HgtError, match="corrupt or truncated zip"):
        read_hgt(corrupt)


def test_a_zip_cut_short_is_reported_as_corrupt(tmp_path: Path, shared_data: Path) -> None:
    original = (shared_data / "dem" / "srtm3" / "N49E011.hgt.zip").read_bytes()
    cut = tmp_path / "N49E011.hgt.zip"
    cut.write_bytes(original[: len(original) // 2])

    with pytest.raises(HgtError, match="corrupt or truncated zip"):
        read_hgt(cut)


def test_tiles_are_written_where_valhalla_looks_for_them(tmp_path: Path) -> None:
    grid = _ramp_grid(SRTM1_SIZE)

    path = write_hgt(grid, tmp_path, "N49E008")

    assert path == tmp_path / "N49" / "N49E008.hgt"
    assert path.stat().st_size == SRTM1_SIZE * SRTM1_SIZE * 2
    assert int.from_bytes(path.read_bytes()[:2], "big", signed=True) == grid[0, 0]


def test_only_3601_tiles_can_be_written(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="3601x3601"):
        write_hgt(_ramp_grid(SRTM3_SIZE), tmp_path, "N49E008")
