"""Errors raised while building a region."""

from __future__ import annotations

from pathlib import Path


class RegionBuildError(RuntimeError):
    """A region could not be built: bad input data or a failing Valhalla tool."""


class RegionOutdatedError(RegionBuildError):
    """A directory holds a region built from other inputs, and replacing it was not asked for."""

    def __init__(self, region_dir: Path, reason: str) -> None:
        super().__init__(f"{region_dir} holds a region built from other inputs: {reason}")
        self.region_dir = region_dir
        self.reason = reason


class HgtError(ValueError):
    """An elevation tile file that is truncated, corrupt or not a square SRTM grid."""
