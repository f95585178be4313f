"""Tenants' own charging stations (depot chargers) in the job database; only their plans see them.

An import carries a source key: it makes the tenant's stations of that key exactly the imported
ones (ids new to the tenant added, changed ones updated, ids the key no longer lists removed),
and an unchanged station keeps its import date, so importing the same file twice changes
nothing. Station ids are unique per tenant; a tenant station with the id of a region station
(e.g. the same OCPI location) replaces that station in the tenant's searches and plans.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from enum import StrEnum

from pydantic import ValidationError
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from voltroute import bounds
from voltroute.db.models import TenantStation, utcnow
from voltroute.db.session_store import SessionStore
from voltroute.stations import (
    ImportFileError,
    ImportResult,
    ParsedStations,
    RejectedRow,
    Station,
    StationCatalogue,
    StationSource,
    station_from_json,
    station_to_json,
)
from voltroute.stations.ocpi import parse_ocpi
from voltroute.stations.overlay import (
    ParsedOverlay,
    apply_overlays,
    parse_overlay_csv,
    parse_overlay_document,
)
from voltroute.stations.registry import fingerprint
from voltroute.strict_json import strict_loads
from voltroute.tenancy.tenant_rows import TenantKeyedRows

MAX_TENANT_STATIONS = 10_000  # depots and contracted sites, not a country's register
TENANT_ID_PREFIX = "tenant:"  # ids of sites a tenant's overlay file describes
_IMPORT_ATTEMPTS = 3  # a concurrent import of the same tenant may take an id first; then redo
_BY_STATION_ID = TenantKeyedRows(TenantStation, TenantStation.tenant_id, TenantStation.station_id)


class TenantUploadFormat(StrEnum):
    """What POST /stations/import accepts."""

    OVERLAY = "overlay"  # the project's overlay format, JSON or CSV (docs/stations-overlay.md)
    OCPI = "ocpi"  # OCPI 2.2.1 Locations, JSON


class TenantStationLimitError(RuntimeError):
    """The import would leave the tenant with more stations than the store allows."""


def parse_tenant_upload(
    raw: bytes, file_format: TenantUploadFormat, is_csv: bool, imported_at: datetime
) -> ParsedStations:
    """An uploaded file -> stations; ImportFileError when the file as a whole is unusable."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportFileError(f"the file is not UTF-8 text: {error}") from None
    if is_csv:
        if file_format is not TenantUploadFormat.OVERLAY:
            raise ImportFileError("CSV is accepted for the overlay format only; OCPI is JSON")
        _check_line_lengths(text)
        return _storable(_standalone(parse_overlay_csv(text), imported_at))
    try:
        document = strict_loads(text)
    except ValueError as error:  # JSONDecodeError: NaN and Infinity are refused too
        raise ImportFileError(f"the file is not JSON: {error}") from None
    if file_format is TenantUploadFormat.OCPI:
        return _storable(parse_ocpi(document, imported_at))
    return _storable(_standalone(parse_overlay_document(document), imported_at))


def _check_line_lengths(text: str) -> None:
    """ImportFileError naming the first line longer than MAX_CSV_LINE_CHARS (header included)."""
    for number, line in enumerate(text.splitlines(), start=1):
        if len(line) > bounds.MAX_CSV_LINE_CHARS:
            what = "the header line" if number == 1 else f"line {number}"
            raise ImportFileError(
                f"{what} has {len(line)} characters; a CSV line has at most "
                f"{bounds.MAX_CSV_LINE_CHARS}"
            )


def _storable(parsed: ParsedStations) -> ParsedStations:
    """Stations that survive the JSON round trip of storage; the others rejected with reasons.

    Importers keep what a file gives (a number as a name, say); the stored form is validated
    when it is read back, so such a station must be refused now rather than break reads later.
    """
    kept, rejected = [], list(parsed.rejected)
    for station in parsed.stations:
        try:
            with warnings.catch_warnings():  # pydantic warns while dumping the wrong type
                warnings.simplefilter("ignore")
                station_from_json(station_to_json(station))
        except ValidationError as error:
            reason = "; ".join(
                f"{'.'.join(str(part) for part in e['loc'])}: {e['msg']}" for e in error.errors()
            )
            rejected.append(RejectedRow(station.station_id, f"invalid field {reason}"))
        else:
            kept.append(station)
    return ParsedStations(tuple(kept), tuple(rejected), parsed.rows_read)


def _standalone(parsed: ParsedOverlay, imported_at: datetime) -> ParsedStations:
    """Overlay records as sites of their own: a tenant's file cannot edit the region's stations."""
    rejected = list(parsed.rejected)
    own = []
    for record in parsed.records:
        if record.station_id is not None:
            rejected.append(
                RejectedRow(
                    record.record_id,
                    "station_id is not supported in a tenant import (it would edit a region "
                    "station); describe the site with name, lat, lon and charge points",
                )
            )
        else:
            own.append(record)
    # Against no stations, every record either describes a site or is rejected with its reason.
    stations, unmatched = apply_overlays([], own, imported_at)
    return ParsedStations(
        tuple(
            replace(s, station_id=TENANT_ID_PREFIX + s.station_id.removeprefix("overlay:"))
            for s in stations
        ),
        tuple(rejected + unmatched),
        parsed.rows_read,
    )


class TenantStationStore(SessionStore):
    """Import, list, read and delete a tenant's stations."""

    def __init__(
        self, sessions: sessionmaker[Session], max_stations: int = MAX_TENANT_STATIONS
    ) -> None:
        super().__init__(sessions)
        self.max_stations = max_stations

    def import_stations(
        self, tenant_id: int, parsed: ParsedStations, source_key: str, imported_as: str
    ) -> ImportResult:
        """Make the tenant's stations of source_key exactly the parsed ones."""
        owned = [_owned(s, tenant_id, imported_as) for s in parsed.stations]
        for attempt in range(_IMPORT_ATTEMPTS):
            try:
                return self._import(tenant_id, owned, parsed, source_key)
            except IntegrityError:
                if attempt == _IMPORT_ATTEMPTS - 1:
                    raise
        raise AssertionError("unreachable")

    def _import(
        self, tenant_id: int, owned: Sequence[Station], parsed: ParsedStations, source_key: str
    ) -> ImportResult:
        now = utcnow()
        with self._sessions.begin() as session:
            rows = {
                row.station_id: row
                for row in session.scalars(
                    select(TenantStation).where(TenantStation.tenant_id == tenant_id)
                )
            }
            stale = {i for i, row in rows.items() if row.source_key == source_key}
            added = updated = unchanged = 0
            for station in owned:
                stale.discard(station.station_id)
                row = rows.get(station.station_id)
                if row is None:
                    added += 1
                    session.add(
                        TenantStation(
                            tenant_id=tenant_id,
                            station_id=station.station_id,
                            source_key=source_key,
                            lat=station.position.lat,
                            lon=station.position.lon,
                            data=station_to_json(station),
                            created_at=now,
                            updated_at=now,
                        )
                    )
                    continue
                before = station_from_json(row.data)
                if fingerprint(before) == fingerprint(station) and row.source_key == source_key:
                    unchanged += 1
                    continue
                updated += 1
                row.source_key = source_key
                row.lat, row.lon = station.position.lat, station.position.lon
                row.data = station_to_json(station)
                row.updated_at = now
            for station_id in stale:
                session.delete(rows[station_id])
            total = len(rows) + added - len(stale)
            if total > self.max_stations:
                raise TenantStationLimitError(
                    f"a tenant can hold at most {self.max_stations} stations; this import "
                    f"would leave {total}"
                )
        return ImportResult(
            source_key, added, updated, len(stale), unchanged, parsed.rejected, parsed.rows_read
        )

    def stations(self, tenant_id: int) -> list[Station]:
        """The tenant's stations in id order."""
        with self._sessions() as session:
            rows = _BY_STATION_ID.in_key_order(session, tenant_id)
            return [station_from_json(row.data) for row in rows]

    def in_bbox(
        self, tenant_id: int, min_lat: float, min_lon: float, max_lat: float, max_lon: float
    ) -> list[Station]:
        """The tenant's stations inside a lat/lon box, in id order."""
        with self._sessions() as session:
            rows = session.scalars(
                select(TenantStation)
                .where(
                    TenantStation.tenant_id == tenant_id,
                    TenantStation.lat.between(min_lat, max_lat),
                    TenantStation.lon.between(min_lon, max_lon),
                )
                .order_by(TenantStation.station_id)
            )
            return [station_from_json(row.data) for row in rows]

    def count(self, tenant_id: int) -> int:
        """How many stations the tenant holds."""
        with self._sessions() as session:
            return int(
                session.scalar(select(func.count()).where(TenantStation.tenant_id == tenant_id))
                or 0
            )

    def get(self, tenant_id: int, station_id: str) -> Station | None:
        """The tenant's station, None if it has none with this id (other tenants' included)."""
        with self._sessions() as session:
            row = _BY_STATION_ID.row(session, tenant_id, station_id)
            return None if row is None else station_from_json(row.data)

    def delete(self, tenant_id: int, station_id: str) -> bool:
        """Delete the tenant's station; False if it has none with this id."""
        return _BY_STATION_ID.delete(self._sessions, tenant_id, station_id)

    def catalogue(self, tenant_id: int) -> StationCatalogue | None:
        """The tenant's stations, indexed for a corridor search; None when it has none."""
        stations = self.stations(tenant_id)
        return StationCatalogue(stations) if stations else None


def _owned(station: Station, tenant_id: int, imported_as: str) -> Station:
    return replace(
        station,
        source=StationSource.TENANT,
        tenant_id=tenant_id,
        extra={**station.extra, "imported_as": imported_as},
    )
