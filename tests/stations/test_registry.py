from __future__ import annotations

import json
from pathlib import Path

from voltroute.stations import ImportFormat, StationRegistry, TruckAccess, import_file
from voltroute.stations.sources import scenario_overlay

from .conftest import DATA


def test_reimporting_the_same_file_changes_nothing(tmp_path: Path, berlin_register: Path) -> None:
    registry = StationRegistry.in_region(tmp_path)
    first = import_file(registry, berlin_register, ImportFormat.BNETZA)
    again = import_file(registry, berlin_register, ImportFormat.BNETZA)
    assert (first.added, first.updated, first.removed) == (4514, 0, 0)
    assert (again.added, again.updated, again.removed, again.unchanged) == (0, 0, 0, 4514)
    assert len(again.rejected) == 14


def test_a_changed_source_reports_added_updated_and_removed(tmp_path: Path) -> None:
    registry = StationRegistry.in_region(tmp_path)
    locations = json.loads((DATA / "ocpi_locations_2_2_1.json").read_text())
    source = tmp_path / "cpo.json"
    source.write_text(json.dumps(locations))
    import_file(registry, source, ImportFormat.OCPI)
    locations[0]["name"] = "Gent Zuid (renamed)"
    del locations[1]
    locations.append({**locations[0], "id": "LOC2"})
    source.write_text(json.dumps(locations))
    result = import_file(registry, source, ImportFormat.OCPI)
    assert (result.added, result.updated, result.removed, result.unchanged) == (1, 1, 1, 0)


def test_overlays_merge_by_id_and_survive_a_reimport_of_the_base_source(tmp_path: Path) -> None:
    registry = StationRegistry.in_region(tmp_path)
    import_file(registry, DATA / "ocpi_locations_2_2_1.json", ImportFormat.OCPI)
    overlay = tmp_path / "trucks.csv"
    overlay.write_text(
        "id,station_id,lat,lon,truck_access,mcs_kw,mcs_count,bays,bookable\n"
        "o1,ocpi:DE*VLT*TRUCK1,,,TT,1000,2,4,true\n"
        "o2,,51.04761,3.72995,T,,,,\n"  # ~2 m from Gent Zuid: merged by proximity
        "o3,ocpi:XX*NOPE*1,,,T,,,,\n"  # no such station
        "o4,,49.0,8.0,Q,,,,\n"  # bad truck access
    )
    result = import_file(registry, overlay, ImportFormat.OVERLAY)
    assert [r.row for r in result.rejected] == ["o4"]  # named by its id
    import_file(registry, DATA / "ocpi_locations_2_2_1.json", ImportFormat.OCPI)
    stations, unmatched = registry.load()
    by_id = {s.station_id: s for s in stations}
    truck = by_id["ocpi:DE*VLT*TRUCK1"]
    assert truck.truck_access is TruckAccess.TT
    assert truck.bays == 4
    assert truck.bookable is True
    assert {cp.connector.value for cp in truck.charge_points} == {"CCS", "MCS"}
    assert by_id["ocpi:BE*BEC*LOC1"].truck_access is TruckAccess.T
    assert [u.row for u in unmatched] == ["o3"]


def test_the_heidelberg_scenario_sites_are_labelled_scenario_everywhere(tmp_path: Path) -> None:
    path = scenario_overlay("heidelberg")
    assert path is not None
    document = json.loads(path.read_text())
    assert document["label"] == "scenario"
    assert "SCENARIO" in document["description"]
    assert all("OSM way" in record["note"] for record in document["records"])
    registry = StationRegistry.in_region(tmp_path)
    result = import_file(registry, path, ImportFormat.OVERLAY)
    stations, _ = registry.load()
    assert result.added == len(document["records"]) == len(stations)
    assert all(s.scenario and s.name.startswith("Scenario: ") for s in stations)
