"""Regions: building a routable region (Valhalla tiles, elevation, manifest) from raw data."""

from voltroute.regions.build import BUILDER_VERSION, BuildProgress, build_region, ensure_region
from voltroute.regions.errors import HgtError, RegionBuildError
from voltroute.regions.region import ElevationTile, Region, RegionManifest, SourceFile

__all__ = [
    "BUILDER_VERSION",
    "BuildProgress",
    "ElevationTile",
    "HgtError",
    "Region",
    "RegionBuildError",
    "RegionManifest",
    "SourceFile",
    "build_region",
    "ensure_region",
]
