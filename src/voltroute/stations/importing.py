"""What every importer returns: the stations it read and the rows it rejected, with reasons."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from voltroute.domain import LatLon
from voltroute.stations.model import Station


class RowError(ValueError):
    """One input row cannot become a station; the message says why (shown to the user)."""


class ImportFileError(ValueError):
    """The whole file is unusable (not CSV/JSON, no header): nothing can be imported from it."""


@dataclass(frozen=True, slots=True)
class RejectedRow:
    """An input row left out of the import: where it was and why."""

    row: str  # line number, array index or OSM id, as the format counts
    reason: str


@dataclass(frozen=True, slots=True)
class ParsedStations:
    """An importer's output before it reaches the registry."""

    stations: tuple[Station, ...]
    rejected: tuple[RejectedRow, ...] = ()
    rows_read: int = 0


@dataclass(frozen=True, slots=True)
class ImportResult:
    """What an import changed in the registry for one source key."""

    source_key: str
    added: int
    updated: int
    removed: int
    unchanged: int
    rejected: tuple[RejectedRow, ...] = field(default=())
    rows_read: int = 0

    def summary(self) -> str:
        """One line for a CLI or a log."""
        return (
            f"{self.source_key}: {self.rows_read} rows, {self.added} added, {self.updated} "
            f"updated, {self.removed} removed, {self.unchanged} unchanged, "
            f"{len(self.rejected)} rejected"
        )


def checked_position(lat: float, lon: float) -> LatLon:
    """A position, or RowError when it is not a finite WGS84 coordinate (or the 0,0 placeholder)."""
    if not (math.isfinite(lat) and math.isfinite(lon)):
        raise RowError(f"coordinate is not a number: lat={lat}, lon={lon}")
    if not (-90.0 <= lat <= 90.0 and -180.0 <= lon <= 180.0):
        raise RowError(f"coordinate out of range: lat={lat}, lon={lon}")
    # Null Island is what a missing coordinate turns into in many exports.
    if lat == 0.0 and lon == 0.0:
        raise RowError("coordinate is 0,0 (missing position)")
    return LatLon(lat, lon)
