"""A station may carry its own power limit over SoC (a derated or shared cabinet): the overlay
format carries it (JSON and CSV), stations keep it through the registry, the planner's candidate
gets it; the public importers leave it None, a flat cap at the charge points' power."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from tests.jobs.test_results import EACTROS, HEIDELBERG
from tests.jobs.test_results import leg as make_leg
from tests.planning.test_poi_annotations import detour
from tests.stations.conftest import DATA, IMPORTED_AT, make_station
from tests.stations.test_ocpi_osm import _write_osm

from voltroute.domain import StationPowerCurve
from voltroute.planning.station_feed import PoiSource, RoutedTour, _candidates
from voltroute.stations import StationRegistry, StationSource
from voltroute.stations.bnetza import read_bnetza
from voltroute.stations.ocpi import read_ocpi
from voltroute.stations.osm_chargers import read_osm
from voltroute.stations.overlay import apply_overlays, parse_overlay_csv, parse_overlay_document
from voltroute.stations.registry import station_from_json, station_to_json

TAPER = StationPowerCurve(((0.0, 150.0), (0.8, 150.0), (1.0, 40.0)))
SITE = {"name": "Legacy Depot", "lat": 49.40, "lon": 8.60, "ccs_kw": 150}


def overlay(*records: dict[str, Any]) -> Any:
    return parse_overlay_document({"format": "voltroute-station-overlay", "records": list(records)})


def test_a_new_site_carries_its_curve_and_one_without_none() -> None:
    parsed = overlay(
        {"id": "legacy", **SITE, "power_curve": [[0, 150], [0.8, 150], [1.0, 40]]},
        {"id": "fast", **SITE, "lat": 49.5},
    )
    assert parsed.rejected == ()
    stations, _ = apply_overlays([], parsed.records, IMPORTED_AT)
    assert [s.power_curve for s in stations] == [TAPER, None]


def test_the_csv_column_takes_soc_kw_pairs() -> None:
    parsed = parse_overlay_csv(
        "id,name,lat,lon,ccs_kw,power_curve\n"
        "legacy,Legacy Depot,49.4,8.6,150,0:150;0.8:150;1:40\n"
        "plain,Plain Depot,49.5,8.6,150,\n"
    )
    assert parsed.rejected == ()
    assert [r.power_curve for r in parsed.records] == [TAPER, None]


@pytest.mark.parametrize(
    ("curve", "reason"),
    [
        ([[0.8, 150], [0.5, 40]], "power_curve: point 1: soc 0.5 is not above point 0's 0.8 "
         "(soc must increase strictly)"),
        ([[0.5, 150], [1.5, 40]], "power_curve: point 1: soc 1.5 is outside 0..1"),
        ([[0.5, -3]], "power_curve: point 0: -3.0 kW is outside 1..5000 kW"),
        ([[0.5, 0]], "power_curve: point 0: 0.0 kW is outside 1..5000 kW"),
        ([], "power_curve: a power curve needs 1 to 32 points, got 0"),
        ([[i / 40, 100] for i in range(33)], "power_curve: a power curve needs 1 to 32 points, "
         "got 33"),
        ([[0.5, 150, 3]], "power_curve: point 0: [0.5, 150, 3] is not a [soc, kW] pair"),
        ([[0.5, "lots"]], "power_curve: point 0: 'lots' is not a number"),
        ({"soc": 0.5}, "power_curve must be a list of [soc, kW] points"),
        ("0.5:150;0.9", "power_curve: point 1: ['0.9'] is not a [soc, kW] pair"),
    ],
)  # fmt: skip
def test_a_bad_curve_rejects_its_record_naming_the_point_and_the_rule(
    curve: Any, reason: str
) -> None:
    parsed = overlay({"id": "bad", **SITE, "power_curve": curve}, {"id": "good", **SITE})
    assert [r.record_id for r in parsed.records] == ["good"]
    assert [(r.row, r.reason) for r in parsed.rejected] == [("bad", reason)]


def test_a_record_merged_onto_a_station_sets_the_curve_or_leaves_it() -> None:
    base = make_station("bnetza:1", 49.40, 8.60, source=StationSource.BNETZA)
    curved = make_station("bnetza:2", 49.45, 8.65, power_curve=TAPER)
    parsed = overlay(
        {"id": "a", "station_id": "bnetza:1", "power_curve": [[0.9, 50]]},
        {"id": "b", "station_id": "bnetza:2", "bays": 4},
    )
    stations, rejected = apply_overlays([base, curved], parsed.records, IMPORTED_AT)
    assert rejected == []
    assert [s.power_curve for s in stations] == [StationPowerCurve(((0.9, 50.0),)), TAPER]


def test_a_curve_above_the_station_s_best_charge_point_rejects_the_record() -> None:
    base = make_station("bnetza:1", 49.40, 8.60, 150.0, source=StationSource.BNETZA)
    parsed = overlay(
        {"id": "new", **SITE, "power_curve": [[0.0, 150], [0.5, 151]]},
        {"id": "merged", "station_id": "bnetza:1", "power_curve": [[0.9, 300]]},
        {"id": "raised", "station_id": "bnetza:1", "ccs_kw": 300, "power_curve": [[0.9, 300]]},
    )
    stations, rejected = apply_overlays([base], parsed.records, IMPORTED_AT)
    assert [(r.row, r.reason) for r in rejected] == [
        ("new", "power_curve: point 1: 151 kW is above the station's most powerful charge "
         "point (150 kW)"),
        ("merged", "power_curve: point 0: 300 kW is above the station's most powerful charge "
         "point (150 kW)"),
    ]  # fmt: skip
    # A record that raises the charge points' power in the same breath is consistent.
    assert [s.power_curve for s in stations] == [StationPowerCurve(((0.9, 300.0),))]


def test_the_registry_keeps_the_curve_and_reads_older_stations_as_flat(tmp_path: Path) -> None:
    data = station_to_json(make_station("overlay:legacy", 49.4, 8.6, power_curve=TAPER))
    assert station_from_json(data).power_curve == TAPER
    del data["power_curve"]
    assert station_from_json(data).power_curve is None
    registry = StationRegistry(tmp_path / "stations.sqlite")
    registry.import_overlay(overlay({"id": "legacy", **SITE, "power_curve": [[0.8, 60]]}), "o")
    stations, _ = registry.load()
    assert [s.power_curve for s in stations] == [StationPowerCurve(((0.8, 60.0),))]


def test_the_public_importers_give_no_curve(tmp_path: Path) -> None:
    pbf = tmp_path / "site.osm.pbf"
    _write_osm(pbf)
    imported = [
        *read_bnetza(DATA / "bnetza_preamble_and_bad_rows.csv", IMPORTED_AT).stations,
        *read_ocpi(DATA / "ocpi_locations_2_2_1.json", IMPORTED_AT).stations,
        *read_osm(pbf, IMPORTED_AT).stations,
    ]
    assert {s.source for s in imported} == {
        StationSource.BNETZA,
        StationSource.OCPI,
        StationSource.OSM,
    }
    assert all(s.power_curve is None for s in imported)


@pytest.mark.parametrize("curve", [TAPER, None])
def test_the_planner_s_candidate_carries_the_curve(curve: StationPowerCurve | None) -> None:
    leg = make_leg(HEIDELBERG, 10.0)
    tour = RoutedTour((leg,), (), EACTROS, datetime(2026, 5, 4, 6, 0, tzinfo=UTC))
    station = make_station("overlay:legacy", 49.40, 8.65, 150.0, power_curve=curve)
    source = PoiSource(station, 0, 5000.0, 150.0, 1, detour(1000.0))
    [candidate] = _candidates([source], tour, lambda _position: "Europe/Berlin")
    assert (candidate.power_kw, candidate.power_curve) == (150.0, curve)
