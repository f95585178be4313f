"""One entry point for every import format: parse a file, write it into a registry."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from enum import StrEnum
from importlib import resources
from pathlib import Path

from voltroute.stations.bnetza import read_bnetza
from voltroute.stations.importing import ImportResult, ParsedStations
from voltroute.stations.ocpi import read_ocpi
from voltroute.stations.osm_chargers import read_osm
from voltroute.stations.overlay import read_overlay
from voltroute.stations.registry import StationRegistry


class ImportFormat(StrEnum):
    BNETZA = "bnetza"
    OCPI = "ocpi"
    OSM = "osm"
    OVERLAY = "overlay"


def default_source_key(path: Path, file_format: ImportFormat) -> str:
    """`<format>:<file name without suffixes>`: re-importing the same file replaces its stations."""
    return f"{file_format.value}:{path.name.split('.')[0]}"


def parse_file(path: Path, file_format: ImportFormat, imported_at: datetime) -> ParsedStations:
    """Parse a station file of one of the base formats (not overlays)."""
    readers = {
        ImportFormat.BNETZA: read_bnetza,
        ImportFormat.OCPI: read_ocpi,
        ImportFormat.OSM: read_osm,
    }
    if file_format not in readers:
        raise ValueError(f"{file_format} files are overlays: use import_file")
    return readers[file_format](path, imported_at)


def import_file(
    registry: StationRegistry,
    path: Path,
    file_format: ImportFormat,
    source_key: str | None = None,
    imported_at: datetime | None = None,
) -> ImportResult:
    """Import a file into the registry; ImportFileError when the file as a whole is unusable."""
    key = source_key or default_source_key(path, file_format)
    if file_format is ImportFormat.OVERLAY:
        return registry.import_overlay(read_overlay(path), key)
    return registry.import_stations(
        parse_file(path, file_format, imported_at or datetime.now(UTC)), key
    )


def scenario_overlay(region_name: str) -> Path | None:
    """The shipped scenario overlay of a demo region (e.g. heidelberg), if there is one."""
    path = Path(
        str(resources.files("voltroute.stations") / "data" / f"{region_name}_scenario.json")
    )
    return path if path.is_file() else None


def seed_region_stations(
    region_dir: Path, region_name: str, files: Sequence[tuple[Path, ImportFormat]] = ()
) -> list[ImportResult]:
    """Import a region's shipped scenario overlay (if any) and the given files; idempotent."""
    registry = StationRegistry.in_region(region_dir)
    results = []
    scenario = scenario_overlay(region_name)
    if scenario is not None:
        results.append(import_file(registry, scenario, ImportFormat.OVERLAY))
    results += [import_file(registry, path, file_format) for path, file_format in files]
    return results
