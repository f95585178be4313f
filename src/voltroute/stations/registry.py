"""Where a region's stations live: stations.sqlite in the region directory.

Each import replaces the stations of one source key (e.g. `bnetza:berlin`): ids new to it are
added, changed ones updated, ids it no longer lists removed; an unchanged station keeps its
import date, so importing the same file twice changes nothing. Overlay records are kept apart
and merged on at load time, so re-importing a base source never loses them.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import closing, contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter

from voltroute.stations.importing import ImportResult, ParsedStations, RejectedRow
from voltroute.stations.model import Station, StationSource
from voltroute.stations.overlay import OverlayRecord, ParsedOverlay, apply_overlays

STATIONS_FILE = "stations.sqlite"
_STATION = TypeAdapter(Station)
_RECORD = TypeAdapter(OverlayRecord)
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_SCHEMA = """
CREATE TABLE IF NOT EXISTS stations (
    station_id TEXT PRIMARY KEY, source_key TEXT NOT NULL, fingerprint TEXT NOT NULL,
    data TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS ix_stations_source ON stations (source_key);
CREATE TABLE IF NOT EXISTS overlay_records (
    record_key TEXT PRIMARY KEY, source_key TEXT NOT NULL, position INTEGER NOT NULL,
    fingerprint TEXT NOT NULL, data TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS imports (
    source_key TEXT PRIMARY KEY, imported_at TEXT NOT NULL, summary TEXT NOT NULL);
"""


def station_to_json(station: Station) -> dict[str, Any]:
    """A station as plain JSON data."""
    data: dict[str, Any] = _STATION.dump_python(station, mode="json")
    return data


def station_from_json(data: dict[str, Any]) -> Station:
    """Inverse of station_to_json (validated)."""
    return _STATION.validate_python(data)


def fingerprint(station: Station) -> str:
    """The station's content without its import date: equal fingerprints mean nothing changed."""
    return json.dumps(station_to_json(replace(station, imported_at=_EPOCH)), sort_keys=True)


@dataclass(slots=True)
class _Tally:
    """What an import did to the rows of its source key so far."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0

    def changed(self, before: str | None, now: str) -> bool:
        """Count a row by its fingerprint before (None: new) and now; whether to write it."""
        if before == now:
            self.unchanged += 1
            return False
        if before is None:
            self.added += 1
        else:
            self.updated += 1
        return True


@dataclass(frozen=True, slots=True)
class _SourceTable:
    """A table whose rows an import replaces per source key, each row with a fingerprint."""

    name: str
    key_column: str


_STATIONS_TABLE = _SourceTable("stations", "station_id")
_OVERLAY_TABLE = _SourceTable("overlay_records", "record_key")


class StationRegistry:
    """A region's station database (SQLite file)."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)

    @classmethod
    def in_region(cls, region_dir: Path) -> StationRegistry:
        return cls(Path(region_dir) / STATIONS_FILE)

    def import_stations(self, parsed: ParsedStations, source_key: str) -> ImportResult:
        """Make the registry's stations of source_key exactly the parsed ones."""

        def columns(station_id: str, print_: str, station: Station) -> tuple[object, ...]:
            return station_id, source_key, print_, json.dumps(station_to_json(station))

        rows = ((s.station_id, fingerprint(s), s) for s in parsed.stations)
        return self._replace_source(_STATIONS_TABLE, source_key, rows, columns, parsed)

    def import_overlay(self, parsed: ParsedOverlay, source_key: str) -> ImportResult:
        """Make the registry's overlay records of source_key exactly the parsed ones."""

        def columns(key: str, data: str, position: int) -> tuple[object, ...]:
            return key, source_key, position, data, data  # the record is its own fingerprint

        rows = (
            (
                f"{source_key}/{record.record_id}",
                json.dumps(_RECORD.dump_python(record, mode="json"), sort_keys=True),
                position,
            )
            for position, record in enumerate(parsed.records)
        )
        return self._replace_source(_OVERLAY_TABLE, source_key, rows, columns, parsed)

    def load(self) -> tuple[tuple[Station, ...], tuple[RejectedRow, ...]]:
        """Every station with the overlays merged on, and the overlay records that matched none."""
        if not self.path.is_file():
            return (), ()
        with self._connect() as db:
            stations = [
                station_from_json(json.loads(row[0]))
                for row in db.execute("SELECT data FROM stations ORDER BY station_id")
            ]
            records = [
                _RECORD.validate_python(json.loads(row[0]))
                for row in db.execute(
                    "SELECT data FROM overlay_records ORDER BY source_key, position"
                )
            ]
            last = db.execute("SELECT max(imported_at) FROM imports").fetchone()[0]
        when = datetime.fromisoformat(last) if last else _EPOCH
        merged, unmatched = apply_overlays(stations, records, when)
        return tuple(merged), tuple(unmatched)

    def counts(self) -> dict[str, int]:
        """Loaded stations per source (`bnetza`, ...), `scenario` sites and the `total`."""
        stations, _unmatched = self.load()
        counts = {source.value: 0 for source in StationSource if source is not StationSource.TENANT}
        for station in stations:
            counts[station.source.value] = counts.get(station.source.value, 0) + 1
        counts["scenario"] = sum(1 for s in stations if s.scenario)
        counts["total"] = len(stations)
        return counts

    def imports(self) -> list[tuple[str, str, str]]:
        """(source key, import time, summary) of every source imported so far."""
        if not self.path.is_file():
            return []
        with self._connect() as db:
            return [(r[0], r[1], r[2]) for r in db.execute("SELECT * FROM imports ORDER BY 1")]

    def _replace_source[Item](
        self,
        table: _SourceTable,
        source_key: str,
        rows: Iterable[tuple[str, str, Item]],
        columns: Callable[[str, str, Item], tuple[object, ...]],
        parsed: ParsedStations | ParsedOverlay,
    ) -> ImportResult:
        """Make table's rows of source_key exactly rows (key, fingerprint, item): the changed
        ones written with their columns, the ones no longer listed deleted."""
        with self._connect() as db:
            existing = {
                row[0]: row[1]
                for row in db.execute(
                    f"SELECT {table.key_column}, fingerprint FROM {table.name} "
                    "WHERE source_key = ?",
                    (source_key,),
                )
            }
            tally = _Tally()
            for key, print_, item in rows:
                if tally.changed(existing.pop(key, None), print_):
                    values = columns(key, print_, item)
                    marks = ", ".join("?" * len(values))
                    db.execute(f"INSERT OR REPLACE INTO {table.name} VALUES ({marks})", values)
            db.executemany(
                f"DELETE FROM {table.name} WHERE {table.key_column} = ?", [(k,) for k in existing]
            )
            return self._record_import(db, source_key, tally, len(existing), parsed)

    def _record_import(
        self,
        db: sqlite3.Connection,
        source_key: str,
        tally: _Tally,
        removed: int,
        parsed: ParsedStations | ParsedOverlay,
    ) -> ImportResult:
        """The import's result, recorded in the imports table."""
        result = ImportResult(
            source_key, tally.added, tally.updated, removed, tally.unchanged, parsed.rejected,
            parsed.rows_read,
        )  # fmt: skip
        db.execute(
            "INSERT OR REPLACE INTO imports VALUES (?, ?, ?)",
            (result.source_key, datetime.now(UTC).isoformat(), result.summary()),
        )
        return result

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with closing(sqlite3.connect(self.path, timeout=30)) as db:
            db.executescript(_SCHEMA)
            with db:  # one transaction: an import is all or nothing
                yield db


def stations_by_id(stations: Sequence[Station]) -> dict[str, Station]:
    """Index a station list by id."""
    return {s.station_id: s for s in stations}
