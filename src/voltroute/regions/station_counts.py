"""A region's station registry, seeded and counted into its manifest (`stations_<source>`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from voltroute.regions.region import MANIFEST_FILE, RegionManifest
from voltroute.stations import ImportFormat, ImportResult, StationRegistry
from voltroute.stations.sources import seed_region_stations

COUNT_PREFIX = "stations_"


def record_station_counts(region_dir: Path) -> RegionManifest | None:
    """Write the registry's station counts per source (and scenario, total) into the manifest.

    The registry changes after the build (imports), so the counts are rewritten after each one;
    keys of sources no longer present become 0 rather than disappearing. None when the
    directory holds no manifest (a bare registry).
    """
    path = Path(region_dir) / MANIFEST_FILE
    if not path.is_file():
        return None
    manifest = RegionManifest.read(path)
    counts = {k: v for k, v in manifest.counts.items() if not k.startswith(COUNT_PREFIX)}
    counts.update(
        {
            COUNT_PREFIX + key: value
            for key, value in StationRegistry.in_region(region_dir).counts().items()
        }
    )
    updated = replace(manifest, counts=counts)
    updated.write(path)
    return updated


def seed_and_count_stations(
    region_dir: Path, region_name: str, files: Sequence[tuple[Path, ImportFormat]] = ()
) -> list[ImportResult]:
    """seed_region_stations, then the station counts recorded in the manifest."""
    results = seed_region_stations(region_dir, region_name, files)
    record_station_counts(region_dir)
    return results
