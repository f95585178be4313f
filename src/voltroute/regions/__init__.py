"""Regions: building a routable region (Valhalla tiles, elevation, manifest) from raw data."""

from voltroute.regions.build import (
    BUILDER_VERSION,
    BuildProgress,
    build_region,
    ensure_region,
    open_or_build_region,
)
from voltroute.regions.errors import HgtError, RegionBuildError, RegionOutdatedError
from voltroute.regions.region import ElevationTile, Region, RegionManifest, SourceFile
from voltroute.regions.served import ServedRegions, region_dirs_in

__all__ = [
    "BUILDER_VERSION",
    "BuildProgress",
    "ElevationTile",
    "HgtError",
    "Region",
    "RegionBuildError",
    "RegionManifest",
    "RegionOutdatedError",
    "ServedRegions",
    "SourceFile",
    "build_region",
    "ensure_region",
    "open_or_build_region",
    "region_dirs_in",
]
