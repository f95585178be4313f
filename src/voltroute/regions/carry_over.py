"""What a rebuild keeps: the station registry and everything else the build does not make.

A region is user data. Its tiles, elevation, Valhalla config and manifest come from the build
and a rebuild replaces them; everything else in the directory (foremost `stations.sqlite` with
every station imported into it) is copied into the new build before it takes the old one's
place, so the rebuilt region serves the same stations.
"""

from __future__ import annotations

import shutil
import sqlite3
from contextlib import closing
from pathlib import Path

from voltroute.regions.region import (
    ADMINS_FILE,
    ELEVATION_DIR,
    MANIFEST_FILE,
    TILES_FILE,
    VALHALLA_CONFIG_FILE,
    Region,
)
from voltroute.stations.registry import STATIONS_FILE, StationRegistry

BUILD_PRODUCTS = frozenset(
    {TILES_FILE, VALHALLA_CONFIG_FILE, MANIFEST_FILE, ADMINS_FILE, ELEVATION_DIR}
)
# A database copied with SQLite's backup API holds what its journal or WAL held.
_SQLITE_SIDECARS = ("-journal", "-wal", "-shm")


def kept_entries(region_dir: Path) -> list[Path]:
    """The entries of a region directory that a rebuild keeps, by name."""
    region_dir = Path(region_dir)
    if not region_dir.is_dir():
        return []
    return sorted(entry for entry in region_dir.iterdir() if _is_kept(entry.name))


def holds_only_a_registry(region_dir: Path) -> bool:
    """True for an empty directory or one holding a station registry only (imported first)."""
    return all(
        entry.name == STATIONS_FILE or entry.name.startswith(STATIONS_FILE + "-")
        for entry in Path(region_dir).iterdir()
    )


def carry_over(old_dir: Path, new_dir: Path) -> list[str]:
    """Copy what a rebuild keeps from old_dir into new_dir; the names copied."""
    copied = []
    for entry in kept_entries(old_dir):
        target = Path(new_dir) / entry.name
        if entry.is_file() and not entry.is_symlink() and entry.name.endswith(".sqlite"):
            _copy_database(entry, target)
        elif entry.is_dir() and not entry.is_symlink():
            shutil.copytree(entry, target, symlinks=True)
        else:
            shutil.copy2(entry, target, follow_symlinks=False)
        copied.append(entry.name)
    return copied


def describe_region(region: Region) -> str:
    """A region, where it lies and what it was built from: for messages before a rebuild."""
    manifest = region.manifest
    osm = next(source for source in manifest.sources if source.kind == "osm")
    tiles = manifest.counts.get("graph_tiles")
    tile_note = f", {tiles} graph tiles" if tiles is not None else ""
    return (
        f"region {manifest.name!r} at {region.path} (built {manifest.built_at} from "
        f"{osm.path}, sha256 {osm.sha256[:12]}{tile_note})"
    )


def describe_kept(region_dir: Path) -> str | None:
    """What a rebuild of region_dir keeps, in words; None when it keeps nothing."""
    parts = []
    for entry in kept_entries(region_dir):
        if entry.name == STATIONS_FILE:
            parts.append(_describe_registry(StationRegistry(entry)))
        else:
            parts.append(entry.name + ("/" if entry.is_dir() else ""))
    return "; ".join(parts) or None


def _describe_registry(registry: StationRegistry) -> str:
    counts = registry.counts()
    per_source = ", ".join(
        f"{source} {count}"
        for source, count in counts.items()
        if source not in ("total", "scenario") and count
    )
    sources = ", ".join(key for key, _, _ in registry.imports())
    return (
        f"{STATIONS_FILE} with {counts['total']} stations"
        + (f" ({per_source})" if per_source else "")
        + (f" from {sources}" if sources else "")
    )


def _is_kept(name: str) -> bool:
    if name in BUILD_PRODUCTS or name.endswith(_SQLITE_SIDECARS):
        return False
    # `.<file>.tmp-<pid>`: an atomic write that was interrupted.
    return not (name.startswith(".") and ".tmp-" in name)


def _copy_database(source: Path, target: Path) -> None:
    # The backup API copies a consistent snapshot even while another connection has it open,
    # which a file copy of a database and its journal does not.
    try:
        with (
            closing(sqlite3.connect(source, timeout=30)) as origin,
            closing(sqlite3.connect(target)) as copy,
        ):
            origin.backup(copy)
    except sqlite3.DatabaseError:
        target.unlink(missing_ok=True)
        shutil.copy2(source, target)  # not a database after all: keep its bytes as they are
