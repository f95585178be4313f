"""Tenants' own stations in the job database: idempotent imports, tenant scope, the migration."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, inspect, select, text
from sqlalchemy.orm import Session, sessionmaker

from voltroute.db.database import create_db_engine, migrate
from voltroute.db.models import TenantStation
from voltroute.domain import StationPowerCurve
from voltroute.stations import ImportFileError, ParsedStations, StationSource
from voltroute.tenancy.tenant_stations import (
    TenantStationLimitError,
    TenantStationStore,
    TenantUploadFormat,
    parse_tenant_upload,
)
from voltroute.tenancy.tenants import Principal

IMPORTED_AT = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)
LATER = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)


def overlay(*records: dict[str, object]) -> bytes:
    document = {"format": "voltroute-station-overlay", "version": 1, "records": list(records)}
    return json.dumps(document).encode()


def depot(
    record_id: str, lat: float = 49.42, lon: float = 8.64, **fields: object
) -> dict[str, object]:
    return {"id": record_id, "name": f"Depot {record_id}", "lat": lat, "lon": lon,
            "ccs_kw": 400, "ccs_count": 2, **fields}  # fmt: skip


def parsed(raw: bytes, when: datetime = IMPORTED_AT) -> ParsedStations:
    return parse_tenant_upload(raw, TenantUploadFormat.OVERLAY, False, when)


@pytest.fixture
def stations(sessions: sessionmaker[Session]) -> TenantStationStore:
    return TenantStationStore(sessions)


def test_an_overlay_file_becomes_the_tenants_own_stations(
    stations: TenantStationStore, acme: Principal
) -> None:
    result = stations.import_stations(
        acme.tenant_id, parsed(overlay(depot("nord"))), "d", "overlay"
    )
    assert (result.added, result.updated, result.removed, result.unchanged) == (1, 0, 0, 0)
    [station] = stations.stations(acme.tenant_id)
    assert station.station_id == "tenant:nord"
    assert station.source is StationSource.TENANT
    assert station.tenant_id == acme.tenant_id
    assert station.extra["imported_as"] == "overlay"


def test_reimporting_the_same_file_changes_nothing(
    stations: TenantStationStore, acme: Principal
) -> None:
    raw = overlay(depot("nord"), depot("sued", 49.38))
    stations.import_stations(acme.tenant_id, parsed(raw), "d", "overlay")
    again = stations.import_stations(acme.tenant_id, parsed(raw, LATER), "d", "overlay")
    assert (again.added, again.updated, again.removed, again.unchanged) == (0, 0, 0, 2)
    # An unchanged station keeps the date it was first imported.
    assert {s.imported_at for s in stations.stations(acme.tenant_id)} == {IMPORTED_AT}


def test_a_station_s_power_curve_is_kept_and_a_changed_curve_is_an_update(
    stations: TenantStationStore, acme: Principal, sessions: sessionmaker[Session]
) -> None:
    curve = [[0.0, 400.0], [0.85, 400.0], [1.0, 60.0]]
    raw = overlay(depot("nord", power_curve=curve))
    stations.import_stations(acme.tenant_id, parsed(raw), "d", "overlay")
    [station] = stations.stations(acme.tenant_id)
    assert station.power_curve == StationPowerCurve(((0.0, 400.0), (0.85, 400.0), (1.0, 60.0)))
    again = stations.import_stations(acme.tenant_id, parsed(raw, LATER), "d", "overlay")
    assert (again.unchanged, again.updated) == (1, 0)
    slower = overlay(depot("nord", power_curve=[[0.0, 60.0]]))
    changed = stations.import_stations(acme.tenant_id, parsed(slower, LATER), "d", "overlay")
    assert (changed.unchanged, changed.updated) == (0, 1)
    # A row stored before stations had curves reads as a flat cap.
    with sessions.begin() as session:
        row = session.scalars(select(TenantStation)).one()
        row.data = {k: v for k, v in row.data.items() if k != "power_curve"}
    old = stations.get(acme.tenant_id, "tenant:nord")
    assert old is not None
    assert old.power_curve is None


def test_an_import_replaces_only_the_stations_of_its_source_key(
    stations: TenantStationStore, acme: Principal
) -> None:
    stations.import_stations(
        acme.tenant_id, parsed(overlay(depot("nord"), depot("sued", 49.38))), "depots", "overlay"
    )
    stations.import_stations(acme.tenant_id, parsed(overlay(depot("hub"))), "hubs", "overlay")
    changed = overlay(depot("nord", ccs_kw=600))
    result = stations.import_stations(acme.tenant_id, parsed(changed, LATER), "depots", "overlay")
    assert (result.added, result.updated, result.removed, result.unchanged) == (0, 1, 1, 0)
    held = {s.station_id: s for s in stations.stations(acme.tenant_id)}
    assert set(held) == {"tenant:nord", "tenant:hub"}
    assert held["tenant:nord"].max_power_kw == 600


def test_tenants_never_see_each_others_stations(
    stations: TenantStationStore, acme: Principal, globex: Principal
) -> None:
    stations.import_stations(acme.tenant_id, parsed(overlay(depot("same"))), "d", "overlay")
    stations.import_stations(
        globex.tenant_id, parsed(overlay(depot("same", 49.38))), "d", "overlay"
    )
    assert stations.get(acme.tenant_id, "tenant:same").position.lat == 49.42  # type: ignore[union-attr]
    assert stations.get(globex.tenant_id, "tenant:same").position.lat == 49.38  # type: ignore[union-attr]
    assert stations.in_bbox(acme.tenant_id, 49.3, 8.5, 49.4, 8.7) == []
    assert stations.delete(globex.tenant_id, "tenant:same")
    assert not stations.delete(globex.tenant_id, "tenant:same")
    assert stations.get(acme.tenant_id, "tenant:same") is not None
    catalogue = stations.catalogue(acme.tenant_id)
    assert catalogue is not None
    assert list(catalogue.by_id) == ["tenant:same"]
    assert stations.catalogue(globex.tenant_id) is None


def test_bad_records_are_rejected_with_reasons_and_the_rest_imported() -> None:
    raw = overlay(
        depot("ok"),
        depot("far-north", lat=95.0),
        depot("bad-hours", opening_hours="Mo-Fr 25:00-26:00"),
        {"id": "no-site", "lat": 49.4, "lon": 8.6},
        depot("merge", station_id="bnetza:1"),
        "not a record",  # type: ignore[arg-type]
    )
    result = parsed(raw)
    assert [s.station_id for s in result.stations] == ["tenant:ok"]
    reasons = {row.row: row.reason for row in result.rejected}
    assert "out of range" in reasons["far-north"]
    assert "opening hours" in reasons["bad-hours"]
    assert "lacks name, position or charge points" in reasons["no-site"]
    assert "station_id is not supported" in reasons["merge"]
    assert "not an object" in reasons["record 5"]


def test_csv_overlays_are_read_like_json_ones() -> None:
    raw = (
        b"id,name,lat,lon,ccs_kw,ccs_count,truck_access,opening_hours\n"
        b"nord,Depot Nord,49.42,8.64,400,2,TT,Mo-Fr 06:00-20:00\n"
        b"bad,Depot Bad,49.42,8.64,400,2,XL,\n"
    )
    result = parse_tenant_upload(raw, TenantUploadFormat.OVERLAY, True, IMPORTED_AT)
    assert [s.station_id for s in result.stations] == ["tenant:nord"]
    assert result.stations[0].opening_hours == "Mo-Fr 06:00-20:00"
    assert [r.row for r in result.rejected] == ["bad"]
    assert "truck_access 'XL'" in result.rejected[0].reason


@pytest.mark.parametrize(
    ("raw", "file_format", "is_csv", "message"),
    [
        (b"\xff\xfe", TenantUploadFormat.OVERLAY, False, "not UTF-8"),
        (b"{not json", TenantUploadFormat.OVERLAY, False, "not JSON"),
        (b'{"records": []}', TenantUploadFormat.OVERLAY, False, "not an overlay document"),
        (b'{"a": 1}', TenantUploadFormat.OCPI, False, "OCPI Locations"),
        (b"id,lat\n1,2\n", TenantUploadFormat.OCPI, True, "overlay format only"),
        (b"name,lat\nx,2\n", TenantUploadFormat.OVERLAY, True, "'id' column"),
    ],
)
def test_an_unusable_file_is_refused_as_a_whole(
    raw: bytes, file_format: TenantUploadFormat, is_csv: bool, message: str
) -> None:
    with pytest.raises(ImportFileError, match=message):
        parse_tenant_upload(raw, file_format, is_csv, IMPORTED_AT)


def test_an_import_beyond_the_limit_is_refused_whole(
    sessions: sessionmaker[Session], acme: Principal
) -> None:
    small = TenantStationStore(sessions, max_stations=1)
    with pytest.raises(TenantStationLimitError, match="at most 1"):
        small.import_stations(
            acme.tenant_id, parsed(overlay(depot("a"), depot("b", 49.4))), "d", "overlay"
        )
    assert small.stations(acme.tenant_id) == []  # nothing half-imported


def test_migration_0003_creates_tenant_stations_on_a_fresh_database(tmp_path: Path) -> None:
    engine: Engine = create_db_engine(f"sqlite:///{tmp_path / 'fresh.sqlite'}")
    try:
        migrate(engine)
        columns = {c["name"] for c in inspect(engine).get_columns("tenant_stations")}
        assert {"tenant_id", "station_id", "source_key", "lat", "lon", "data"} <= columns
        indexes = {i["name"]: i for i in inspect(engine).get_indexes("tenant_stations")}
        assert indexes["ix_tenant_stations_tenant_station"]["unique"]
        with engine.connect() as connection:
            revisions = connection.execute(text("SELECT version_num FROM alembic_version")).all()
        assert len(revisions) == 1
    finally:
        engine.dispose()


def test_ocpi_locations_of_the_wrong_shape_are_rejected_not_crashed_on() -> None:
    connector = {"standard": "IEC_62196_T2_COMBO", "power_type": "DC", "max_electric_power": 1.5e5}
    good = {"country_code": "DE", "party_id": "X", "id": "GOOD",
            "coordinates": {"latitude": "49.4", "longitude": "8.6"},
            "evses": [{"uid": "1", "connectors": [connector]}]}  # fmt: skip
    raw = json.dumps(
        [
            good,
            {**good, "id": "NUMBER-NAME", "name": 5},
            {**good, "id": "EVSE-TEXT", "evses": ["x"]},
            {**good, "id": "NO-WEEKDAY", "opening_times": {"regular_hours": [{}]}},
        ]
    ).encode()
    result = parse_tenant_upload(raw, TenantUploadFormat.OCPI, False, IMPORTED_AT)
    assert [s.station_id for s in result.stations] == ["ocpi:DE*X*GOOD"]
    reasons = sorted(r.reason for r in result.rejected)
    assert len(reasons) == 3
    assert "invalid field name: Input should be a valid string" in reasons
    assert any("malformed location" in r for r in reasons)
