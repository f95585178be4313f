"""GeoJSON export: valid RFC 7946, [lon, lat(, elevation)] positions, every stop and station."""

from __future__ import annotations

from typing import Any

import pytest
from geojson_pydantic import FeatureCollection

from voltroute.exports import read_result, result_geojson
from voltroute.exports.geojson import SCENARIO_LABEL
from voltroute.routing.flexpolyline import decode_polyline

pytestmark = pytest.mark.integration  # plans or serves on the real Heidelberg tiles


def features(document: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [f for f in document["features"] if f["properties"]["feature_type"] == kind]


@pytest.mark.parametrize("body_fixture", ["small_result", "planned_result"])
def test_the_export_validates_as_an_rfc_7946_feature_collection(
    body_fixture: str, request: pytest.FixtureRequest
) -> None:
    body = request.getfixturevalue(body_fixture)
    document = result_geojson(read_result(body))
    FeatureCollection.model_validate(document)
    assert len(features(document, "route")) == len(body["sections"])
    assert len(features(document, "stop")) == len(body["sections"]) + 1  # and the origin


def test_route_positions_are_longitude_latitude_elevation_from_the_polyline(
    planned_result: dict[str, Any],
) -> None:
    document = result_geojson(read_result(planned_result))
    for line, section in zip(features(document, "route"), planned_result["sections"], strict=True):
        decoded = decode_polyline(section["polyline"])
        assert line["geometry"]["coordinates"] == [[lon, lat, ele] for lat, lon, ele in decoded]
        assert line["properties"]["soc_start"] == section["start_pos"][2]
        assert line["properties"]["soc_end"] == section["stop_pos"][2]


def test_the_bbox_is_west_south_east_north_around_everything(
    small_result: dict[str, Any],
) -> None:
    document = result_geojson(read_result(small_result))
    assert document["bbox"] == [8.5, 49.3, 8.65, 49.45]


def test_stops_carry_type_arrival_soc_energy_and_charge_minutes(
    small_result: dict[str, Any],
) -> None:
    stops = [f["properties"] for f in features(result_geojson(read_result(small_result)), "stop")]
    assert [s["stop_type"] for s in stops] == [
        "origin",
        "charging",
        "break",
        "daily_rest",
        "destination",
    ]
    charging = stops[1]
    assert charging["arrival_time"] == "2026-05-04T06:30:00Z"
    assert (charging["soc_arrival"], charging["soc_departure"]) == (0.2, 0.8)
    assert (charging["energy_kWh"], charging["charge_time_min"]) == (360.0, 28.0)
    assert stops[2]["break_time_min"] == 45.0
    assert stops[3]["rest_time_min"] == 660.0
    # The origin's departure: the first arrival less the first leg's driving.
    assert stops[0]["departure_time"] == "2026-05-04T06:24:00Z"
    assert stops[0]["soc_departure"] == 0.8


def test_stations_appear_once_with_scenario_labels_and_their_use(
    small_result: dict[str, Any],
) -> None:
    stations = {
        f["id"]: f["properties"]
        for f in features(result_geojson(read_result(small_result)), "station")
    }
    assert set(stations) == {"st-1", "st-2"}
    assert stations["st-1"]["scenario"] is True
    assert stations["st-1"]["label"] == SCENARIO_LABEL
    assert stations["st-1"]["candidate"] is True
    assert stations["st-1"]["used"] is True
    assert stations["st-2"]["scenario"] is False
    assert stations["st-2"]["label"] is None
    assert stations["st-2"]["candidate"] is False


def test_the_planned_demo_tour_labels_its_scenario_stations(
    planned_result: dict[str, Any],
) -> None:
    stations = features(result_geojson(read_result(planned_result)), "station")
    assert stations
    assert all(s["properties"]["label"] == SCENARIO_LABEL for s in stations)
