"""GPX export: GPX 1.1 that gpxpy reads back with every stop and the whole track."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import datetime
from typing import Any

import gpxpy
import pytest

from voltroute.exports import read_result, result_gpx
from voltroute.exports.gpx import GPX_NAMESPACE
from voltroute.routing.flexpolyline import decode_polyline


@pytest.mark.parametrize("body_fixture", ["small_result", "planned_result"])
def test_every_stop_is_a_waypoint_and_every_route_point_a_track_point(
    body_fixture: str, request: pytest.FixtureRequest
) -> None:
    body = request.getfixturevalue(body_fixture)
    view = read_result(body)
    gpx = gpxpy.parse(result_gpx(view))
    assert gpx.version == "1.1"
    assert len(gpx.waypoints) == len(view.stops) == len(body["sections"]) + 1
    for waypoint, stop in zip(gpx.waypoints, view.stops, strict=True):
        assert (round(waypoint.latitude, 6), round(waypoint.longitude, 6)) == (
            round(stop.lat, 6),
            round(stop.lon, 6),
        )
        assert waypoint.type == stop.stop_type
        assert stop.name in waypoint.name
    decoded = [p for s in body["sections"] for p in decode_polyline(s["polyline"])]
    track_points = [p for track in gpx.tracks for seg in track.segments for p in seg.points]
    assert len(track_points) == len(decoded)
    for point, (lat, lon, elevation) in zip(track_points, decoded, strict=True):
        assert abs(point.latitude - lat) < 1e-6
        assert abs(point.longitude - lon) < 1e-6
        assert elevation is not None
        assert point.elevation is not None
        assert abs(point.elevation - elevation) < 0.06
    assert len(gpx.tracks[0].segments) == len(body["sections"])


def test_waypoints_carry_arrival_times_and_what_happens_there(
    small_result: dict[str, Any],
) -> None:
    gpx = gpxpy.parse(result_gpx(read_result(small_result)))
    charging = gpx.waypoints[1]
    assert charging.time == datetime.fromisoformat("2026-05-04T06:30:00+00:00")
    assert charging.name == "1. Charging: Scenario: Rest area"
    assert "SoC 20% -> 80%" in charging.description
    assert "charged 360.0 kWh in 28 min" in charging.description
    assert "rest 660 min" in gpx.waypoints[3].description
    assert gpx.waypoints[0].time == datetime.fromisoformat("2026-05-04T06:24:00+00:00")


def test_names_with_control_characters_leave_the_gpx_well_formed(
    small_result: dict[str, Any],
) -> None:
    # Names come from clients and station files; a job stored before the door refused control
    # characters, or a station imported with one, must still export as XML.
    small_result["sections"][0]["poi_summary"]["name"] = "Rest\x00area\x1b[31m\ud800\uffff"
    document = result_gpx(read_result(small_result), name="Tour\x0b7")
    root = ET.fromstring(document.encode())  # raises on a malformed document
    names = [element.text for element in root.iter(f"{{{GPX_NAMESPACE}}}name")]
    assert "Tour\ufffd7" in names
    assert "1. Charging: Rest\ufffdarea\ufffd[31m\ufffd\ufffd" in names
    assert gpxpy.parse(document).waypoints[1].name.startswith("1. Charging: Rest")
