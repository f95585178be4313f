from __future__ import annotations

import csv
from pathlib import Path

import pytest

from voltroute.stations import ConnectorType, ImportFileError
from voltroute.stations.bnetza import PLUG_BLOCKS, read_bnetza

from .conftest import DATA, IMPORTED_AT


def _direct_counts(path: Path) -> dict[str, int]:
    """Counts taken straight from the CSV, without the importer."""
    with path.open(encoding="utf-8-sig") as stream:
        rows = list(csv.DictReader(stream, delimiter=";"))
    rated = [float(r["Nennleistung Ladeeinrichtung [kW]"].replace(",", ".")) for r in rows]
    ccs = sum(
        plug.count("CCS")
        for r in rows
        for i in range(1, PLUG_BLOCKS + 1)
        for plug in [r[f"Steckertypen{i}"]]
    )
    return {
        "rows": len(rows),
        ">=150": sum(p >= 150 for p in rated),
        ">=300": sum(p >= 300 for p in rated),
        ">=400": sum(p >= 400 for p in rated),
        "ccs_plugs": ccs,
    }


def test_berlin_register_counts_per_power_class_equal_a_direct_count(berlin_register: Path) -> None:
    direct = _direct_counts(berlin_register)
    parsed = read_bnetza(berlin_register, IMPORTED_AT)
    rejected_ids = {r.row.split(", id ")[1] for r in parsed.rejected}
    with berlin_register.open(encoding="utf-8-sig") as stream:
        rows = list(csv.DictReader(stream, delimiter=";"))
    # Rejected rows are counted from the CSV too, so imported + rejected must equal the file.
    rejected_rated = [
        float(r["Nennleistung Ladeeinrichtung [kW]"].replace(",", "."))
        for r in rows
        if r["Ladeeinrichtungs-ID"] in rejected_ids
    ]
    assert len(rejected_rated) == len(parsed.rejected)
    rated = [s.rated_power_kw or 0.0 for s in parsed.stations]
    assert parsed.rows_read == direct["rows"] == 4528
    assert len(parsed.stations) + len(parsed.rejected) == direct["rows"]
    for threshold in (150, 300, 400):
        imported = sum(p >= threshold for p in rated)
        assert imported + sum(p >= threshold for p in rejected_rated) == direct[f">={threshold}"]
    assert (sum(p >= 150 for p in rated), sum(p >= 300 for p in rated)) == (563, 212)
    assert sum(p >= 400 for p in rated) == 29
    ccs = sum(
        cp.count
        for s in parsed.stations
        for cp in s.charge_points
        if cp.connector is ConnectorType.CCS
    )
    assert ccs == direct["ccs_plugs"] == 1210


def test_every_rejected_register_row_names_its_line_and_reason(berlin_register: Path) -> None:
    parsed = read_bnetza(berlin_register, IMPORTED_AT)
    assert len(parsed.rejected) == 14
    for rejected in parsed.rejected:
        assert rejected.row.startswith("line ")
        assert "Eingeschränkt" in rejected.reason


def test_bad_rows_are_rejected_with_reasons_and_the_import_goes_on() -> None:
    parsed = read_bnetza(DATA / "bnetza_preamble_and_bad_rows.csv", IMPORTED_AT)
    reasons = {r.row.split(",")[0]: r.reason for r in parsed.rejected}
    assert len(parsed.stations) == 1  # the first good row; the last repeats its id
    assert parsed.rows_read == 7
    assert "out of range" in reasons["line 6"]
    assert "unknown connector type 'Warp-Stecker'" in reasons["line 7"]
    assert "25:00" in reasons["line 8"]
    assert "fields" in reasons["line 9"]
    assert "Längengrad is not a number" in reasons["line 10"]
    assert "duplicate" in reasons["line 11"]


def test_register_rows_become_stations_with_address_plugs_and_hours(berlin_register: Path) -> None:
    parsed = read_bnetza(berlin_register, IMPORTED_AT)
    station = next(s for s in parsed.stations if s.opening_hours not in (None, "24/7"))
    assert station.station_id.startswith("bnetza:")
    assert station.address
    assert "Berlin" in station.address
    assert station.opening_hours_raw == "Eingeschränkt"
    assert station.charge_points


def test_a_file_without_a_register_header_is_refused_as_a_whole() -> None:
    with pytest.raises(ImportFileError, match="header"):
        read_bnetza(DATA / "bnetza_no_header.csv", IMPORTED_AT)
