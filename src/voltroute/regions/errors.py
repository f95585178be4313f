"""Errors raised while building a region."""

from __future__ import annotations


class RegionBuildError(RuntimeError):
    """A region could not be built: bad input data or a failing Valhalla tool."""


class HgtError(ValueError):
    """An elevation tile file that is truncated, corrupt or not a square SRTM grid."""
