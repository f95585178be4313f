"""Station counts per source in a region's manifest, rewritten after every import."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from voltroute.regions import Region, RegionManifest
from voltroute.regions.region import MANIFEST_FILE
from voltroute.regions.station_counts import record_station_counts, seed_and_count_stations
from voltroute.stations import ImportFormat

pytestmark = pytest.mark.integration  # plans or serves on the real Heidelberg tiles

OCPI_LOCATIONS = Path(__file__).resolve().parents[1] / "stations/data/ocpi_locations_2_2_1.json"


def test_the_manifest_counts_the_seeded_stations_per_source(
    tmp_path: Path, heidelberg_region: Region
) -> None:
    # A copy of the manifest only: the registry is written fresh next to it.
    shutil.copy(heidelberg_region.path / MANIFEST_FILE, tmp_path / MANIFEST_FILE)
    seed_and_count_stations(tmp_path, "heidelberg", [(OCPI_LOCATIONS, ImportFormat.OCPI)])
    counts = RegionManifest.read(tmp_path / MANIFEST_FILE).counts
    ocpi = counts["stations_ocpi"]
    assert ocpi > 0
    assert counts["stations_overlay"] == 7  # the Heidelberg scenario sites
    assert counts["stations_scenario"] == 7
    assert counts["stations_bnetza"] == counts["stations_osm"] == 0
    assert counts["stations_total"] == ocpi + 7
    # The build's own counts stay.
    assert counts["graph_tiles"] == heidelberg_region.manifest.counts["graph_tiles"]


def test_a_directory_without_a_manifest_is_left_alone(tmp_path: Path) -> None:
    assert record_station_counts(tmp_path) is None
    assert not (tmp_path / MANIFEST_FILE).exists()
