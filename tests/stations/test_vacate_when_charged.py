"""A station may say its bay must be vacated when charging ends (Milence asks this): the overlay
format carries it, stations keep it, and the planner's candidate gets it; every other source
leaves it False."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from tests.jobs.test_results import EACTROS, HEIDELBERG
from tests.jobs.test_results import leg as make_leg
from tests.planning.test_poi_annotations import detour
from tests.stations.conftest import IMPORTED_AT, make_station

from voltroute.planning.station_feed import PoiSource, RoutedTour, _candidates
from voltroute.stations import StationSource
from voltroute.stations.overlay import apply_overlays, parse_overlay_csv, parse_overlay_document
from voltroute.stations.registry import station_from_json, station_to_json


def overlay(*records: dict[str, Any]) -> Any:
    return parse_overlay_document({"format": "voltroute-station-overlay", "records": list(records)})


SITE = {"name": "Milence Hub", "lat": 49.40, "lon": 8.60, "mcs_kw": 1000, "ccs_kw": 400}


def test_a_new_site_says_whether_its_bay_must_be_vacated() -> None:
    parsed = overlay(
        {"id": "hub", **SITE, "vacate_when_charged": True},
        {"id": "depot", **SITE, "lat": 49.5},
    )
    assert parsed.rejected == ()
    stations, _ = apply_overlays([], parsed.records, IMPORTED_AT)
    assert [s.vacate_when_charged for s in stations] == [True, False]


def test_a_record_merged_onto_a_station_sets_it_or_leaves_it() -> None:
    base = make_station("bnetza:1", 49.40, 8.60, source=StationSource.BNETZA)
    flagged = make_station("bnetza:2", 49.45, 8.65, vacate_when_charged=True)
    parsed = overlay(
        {"id": "a", "station_id": "bnetza:1", "vacate_when_charged": "yes"},
        {"id": "b", "station_id": "bnetza:2", "bays": 4},
    )
    stations, rejected = apply_overlays([base, flagged], parsed.records, IMPORTED_AT)
    assert rejected == []
    assert [s.vacate_when_charged for s in stations] == [True, True]


def test_the_csv_column_is_read_and_a_bad_value_rejected_naming_it() -> None:
    parsed = parse_overlay_csv(
        "id,station_id,vacate_when_charged\nok,bnetza:1,true\nbad,bnetza:2,perhaps\n"
    )
    assert [r.vacate_when_charged for r in parsed.records] == [True]
    assert [(r.row, r.reason) for r in parsed.rejected] == [
        ("bad", "vacate_when_charged 'perhaps' is not true/false")
    ]


def test_a_station_stored_before_the_flag_reads_as_not_vacating() -> None:
    data = station_to_json(make_station("bnetza:1", 49.4, 8.6, vacate_when_charged=True))
    assert station_from_json(data).vacate_when_charged is True
    del data["vacate_when_charged"]
    assert station_from_json(data).vacate_when_charged is False


@pytest.mark.parametrize("vacate", [True, False])
def test_the_planner_s_candidate_carries_the_flag(vacate: bool) -> None:
    leg = make_leg(HEIDELBERG, 10.0)
    tour = RoutedTour((leg,), (), EACTROS, datetime(2026, 5, 4, 6, 0, tzinfo=UTC))
    station = make_station("overlay:hub", 49.40, 8.65, vacate_when_charged=vacate)
    source = PoiSource(station, 0, 5000.0, 400.0, 1, detour(1000.0))
    [candidate] = _candidates([source], tour, lambda _position: "Europe/Berlin")
    assert candidate.vacate_when_charged is vacate
