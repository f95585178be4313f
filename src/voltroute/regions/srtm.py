"""SRTM .hgt tiles: names, reading (.hgt, .hgt.zip), bilinear upsampling to 3601x3601, writing.

Valhalla's elevation reader (skadi) accepts only 3601x3601 tiles, so SRTM3 (1201x1201) is
upsampled before it goes into a region.
"""

from __future__ import annotations

import math
import re
import zipfile
import zlib
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from voltroute.regions.errors import HgtError
from voltroute.regions.region import elevation_tile_path

HGT_VOID = -32768
SRTM1_SIZE = 3601
SRTM3_SIZE = 1201
_SIZES = (SRTM3_SIZE, SRTM1_SIZE)
_TILE_NAME = re.compile(r"^([NS])(\d{2})([EW])(\d{3})$", re.IGNORECASE)
_HGT_FILE = re.compile(r"^([NS]\d{2}[EW]\d{3})\.hgt(\.zip)?$", re.IGNORECASE)


def tile_name(lat_deg: int, lon_deg: int) -> str:
    """The name of the tile whose south-west corner is (lat_deg, lon_deg), e.g. N49E008."""
    ns = "N" if lat_deg >= 0 else "S"
    ew = "E" if lon_deg >= 0 else "W"
    return f"{ns}{abs(lat_deg):02d}{ew}{abs(lon_deg):03d}"


def tile_origin(name: str) -> tuple[int, int]:
    """The south-west corner (lat, lon) in whole degrees of a tile named like N49E008."""
    match = _TILE_NAME.match(name)
    if not match:
        raise ValueError(f"not an SRTM tile name: {name!r} (expected like N49E008)")
    ns, lat, ew, lon = match.groups()
    return (
        int(lat) * (1 if ns.upper() == "N" else -1),
        int(lon) * (1 if ew.upper() == "E" else -1),
    )


def tiles_for_bbox(min_lat: float, min_lon: float, max_lat: float, max_lon: float) -> list[str]:
    """Names of all 1-degree tiles that a bbox touches, south-west first."""
    return [
        tile_name(lat, lon)
        for lat in range(math.floor(min_lat), math.floor(max_lat) + 1)
        for lon in range(math.floor(min_lon), math.floor(max_lon) + 1)
    ]


def hgt_tile_of_file(path: Path) -> str | None:
    """The tile a file holds judging by its name (N49E011.hgt, N49E011.hgt.zip), else None."""
    match = _HGT_FILE.match(path.name)
    return match.group(1).upper() if match else None


def read_hgt(path: Path) -> NDArray[np.int16]:
    """Read a square .hgt or .hgt.zip (1201 or 3601 samples a side, int16 big-endian)."""
    try:
        if path.name.lower().endswith(".zip"):
            with zipfile.ZipFile(path) as archive:
                members = [m for m in archive.namelist() if m.lower().endswith(".hgt")]
                if len(members) != 1:
                    raise HgtError(f"{path}: expected exactly one .hgt inside, found {members}")
                data = archive.read(members[0])
        else:
            data = path.read_bytes()
    except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
        raise HgtError(f"{path}: corrupt or truncated zip archive ({exc})") from exc
    side = math.isqrt(len(data) // 2)
    if side not in _SIZES or side * side * 2 != len(data):
        expected = " or ".join(f"{n * n * 2} ({n}x{n})" for n in _SIZES)
        raise HgtError(
            f"{path}: {len(data)} bytes is not a square SRTM grid of 16-bit samples; "
            f"expected {expected} bytes (truncated or not an .hgt file?)"
        )
    return np.frombuffer(data, dtype=">i2").reshape(side, side).astype(np.int16)


def upsample_to_srtm1(grid: NDArray[np.int16]) -> NDArray[np.int16]:
    """Bilinear resample of a square tile to 3601x3601; corners stay exact, voids stay void."""
    side = grid.shape[0]
    if grid.ndim != 2 or grid.shape[1] != side or side < 2:
        raise ValueError(f"expected a square grid, got shape {grid.shape}")
    if side == SRTM1_SIZE:
        return grid.copy()
    # Multiply before dividing so that positions landing on source samples are exact.
    positions = np.arange(SRTM1_SIZE, dtype=np.float64) * (side - 1) / (SRTM1_SIZE - 1)
    heights, valid = resample_bilinear(
        grid.astype(np.float32), grid != HGT_VOID, positions, positions
    )
    return to_hgt_samples(heights, valid)


def resample_bilinear(
    values: NDArray[np.float32],
    valid: NDArray[np.bool_],
    row_positions: NDArray[np.float64],
    col_positions: NDArray[np.float64],
) -> tuple[NDArray[np.float32], NDArray[np.bool_]]:
    """Bilinear samples at fractional (row, col) positions; invalid cells get no weight.

    Where some of the four neighbours are invalid the rest are re-weighted; where all are, the
    result is invalid. Done separably (rows, then columns), which is exactly bilinear.
    """
    if valid.all():
        heights = _lerp_cols(_lerp_rows(values, row_positions), col_positions)
        return heights, np.ones(heights.shape, dtype=np.bool_)
    mask = valid.astype(np.float32)
    weighted = np.where(valid, values, np.float32(0)).astype(np.float32)
    numerator = _lerp_cols(_lerp_rows(weighted, row_positions), col_positions)
    denominator = _lerp_cols(_lerp_rows(mask, row_positions), col_positions)
    ok = denominator > 1e-6
    heights = np.divide(numerator, denominator, out=np.zeros_like(numerator), where=ok)
    return heights, ok


def to_hgt_samples(heights: NDArray[np.float32], valid: NDArray[np.bool_]) -> NDArray[np.int16]:
    """Round metres to int16 samples, writing the void value where nothing is known."""
    rounded = np.clip(np.rint(heights), HGT_VOID + 1, np.iinfo(np.int16).max).astype(np.int16)
    return np.where(valid, rounded, np.int16(HGT_VOID)).astype(np.int16)


def write_hgt(grid: NDArray[np.int16], elevation_dir: Path, tile: str) -> Path:
    """Write a 3601x3601 tile where Valhalla expects it (<dir>/N49/N49E008.hgt)."""
    if grid.shape != (SRTM1_SIZE, SRTM1_SIZE):
        raise ValueError(f"Valhalla needs 3601x3601 tiles, got {grid.shape} for {tile}")
    path = elevation_tile_path(elevation_dir, tile)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(grid.astype(">i2").tobytes())
    return path


def _lerp_rows(grid: NDArray[np.float32], positions: NDArray[np.float64]) -> NDArray[np.float32]:
    lower = np.clip(np.floor(positions).astype(np.intp), 0, grid.shape[0] - 2)
    frac = (positions - lower).astype(np.float32)[:, None]
    result: NDArray[np.float32] = grid[lower] * (1 - frac) + grid[lower + 1] * frac
    return result


def _lerp_cols(grid: NDArray[np.float32], positions: NDArray[np.float64]) -> NDArray[np.float32]:
    lower = np.clip(np.floor(positions).astype(np.intp), 0, grid.shape[1] - 2)
    frac = (positions - lower).astype(np.float32)[None, :]
    result: NDArray[np.float32] = grid[:, lower] * (1 - frac) + grid[:, lower + 1] * frac
    return result
