from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import osmium
import pytest

from voltroute.stations import (
    ChargePoint,
    ConnectorType,
    CurrentType,
    ImportFileError,
    StationSource,
)
from voltroute.stations.ocpi import read_ocpi
from voltroute.stations.osm_chargers import read_osm

from .conftest import DATA, IMPORTED_AT


def test_ocpi_spec_example_power_is_voltage_times_amperage_times_phases() -> None:
    parsed = read_ocpi(DATA / "ocpi_locations_2_2_1.json", IMPORTED_AT)
    gent = next(s for s in parsed.stations if s.location_id == "LOC1")
    assert gent.station_id == "ocpi:BE*BEC*LOC1"
    assert gent.charge_points == (ChargePoint(ConnectorType.TYPE2, 10.56, 3, CurrentType.AC),)
    assert gent.operator == "BeCharged"
    assert gent.bookable is True  # capability RESERVABLE
    assert gent.opening_hours == "24/7"
    assert gent.time_zone == "Europe/Brussels"


def test_ocpi_regular_hours_become_osm_syntax() -> None:
    parsed = read_ocpi(DATA / "ocpi_locations_2_2_1.json", IMPORTED_AT)
    truck = next(s for s in parsed.stations if s.location_id == "TRUCK1")
    assert truck.opening_hours == "Mo-Fr 08:00-20:00"
    assert truck.charge_points == (ChargePoint(ConnectorType.CCS, 400.0, 2, CurrentType.DC),)
    assert truck.amenities == ("RESTAURANT", "WIFI")


def test_bad_ocpi_locations_are_rejected_with_reasons_and_the_rest_imported() -> None:
    parsed = read_ocpi(DATA / "ocpi_bad_locations.json", IMPORTED_AT)
    reasons = {r.row: r.reason for r in parsed.rejected}
    assert [s.location_id for s in parsed.stations] == ["GOOD"]
    assert parsed.stations[0].max_power_kw == 150.0  # max_electric_power wins
    assert "out of range" in reasons["location 0"]
    assert "unknown connector standard 'WARP_DRIVE'" in reasons["location 1"]
    assert "weekday 9" in reasons["location 2"]
    assert "not a JSON object" in reasons["location 3"]


def test_an_ocpi_file_that_is_not_json_is_refused(tmp_path: Path) -> None:
    broken = tmp_path / "truncated.json"
    broken.write_text('[{"id": "LOC1", ')
    with pytest.raises(ImportFileError, match="not JSON"):
        read_ocpi(broken, IMPORTED_AT)


def _write_osm(path: Path) -> None:
    tags = {
        "amenity": "charging_station",
        "name": "Autohof Walldorf truck charging",
        "operator": "Voltroute Test CPO",
        "addr:street": "Am Autohof",
        "addr:housenumber": "1",
        "addr:postcode": "69190",
        "addr:city": "Walldorf",
        "socket:type2_combo": "2",
        "socket:type2_combo:output": "400 kW",
        "opening_hours": "Mo-Fr 08:00-20:00",
        "hgv": "yes",
    }
    with osmium.SimpleWriter(str(path)) as writer:
        writer.add_node(
            osmium.osm.mutable.Node(
                id=1, location=osmium.osm.Location(8.6402, 49.3001), tags=tags, version=1
            )
        )
        writer.add_node(
            osmium.osm.mutable.Node(
                id=2,
                location=osmium.osm.Location(8.65, 49.31),
                tags={"amenity": "charging_station", "socket:type2": "2",
                      "opening_hours": "Mo-Fr 25:00-26:00"},
                version=1,
            )
        )  # fmt: skip
        writer.add_node(
            osmium.osm.mutable.Node(
                id=3,
                location=osmium.osm.Location(8.66, 49.32),
                tags={"amenity": "charging_station", "socket:hyperdrive": "1"},
                version=1,
            )
        )


def test_ocpi_and_osm_descriptions_of_one_site_round_trip_into_the_same_model(
    tmp_path: Path,
) -> None:
    pbf = tmp_path / "site.osm.pbf"
    _write_osm(pbf)
    from_osm = next(s for s in read_osm(pbf, IMPORTED_AT).stations if s.station_id == "osm:n1")
    from_ocpi = next(
        s for s in read_ocpi(DATA / "ocpi_locations_2_2_1.json", IMPORTED_AT).stations
        if s.location_id == "TRUCK1"
    )  # fmt: skip
    assert from_osm.source is StationSource.OSM
    # Only what identifies the source may differ; the site itself is described identically.
    neutral = {
        "station_id": "site", "source": StationSource.OVERLAY, "location_id": None, "extra": {},
        "opening_hours_raw": None, "time_zone": None, "bookable": None, "amenities": (),
        "truck_access": from_osm.truck_access,
    }  # fmt: skip
    assert replace(from_osm, **neutral) == replace(from_ocpi, **neutral)  # type: ignore[arg-type]


def test_osm_elements_with_bad_hours_or_unknown_sockets_are_rejected(tmp_path: Path) -> None:
    pbf = tmp_path / "site.osm.pbf"
    _write_osm(pbf)
    parsed = read_osm(pbf, IMPORTED_AT)
    reasons = {r.row: r.reason for r in parsed.rejected}
    assert "invalid opening hours" in reasons["n2"]
    assert "unknown connector type socket:hyperdrive" in reasons["n3"]


def test_bad_wildbad_charging_stations_are_read_and_those_without_plugs_rejected(
    shared_data: Path,
) -> None:
    parsed = read_osm(shared_data / "osm" / "badwildbad.osm.pbf", IMPORTED_AT)
    assert parsed.rows_read == 6
    assert len(parsed.stations) == 4  # e-bike stations with Schuko sockets
    assert {r.row for r in parsed.rejected} == {"n5987133694", "n12857363279"}
    assert all("no usable socket" in r.reason for r in parsed.rejected)
    assert all(s.extra.get("power_assumed") == "yes" for s in parsed.stations)
