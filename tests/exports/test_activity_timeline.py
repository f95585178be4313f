"""The driver's activity timeline in the exports: each stop's time as work, waiting, break or
rest (a break at a customer is no longer service), every driver's timeline, the rule check; and
results without the extension exported as before."""

from __future__ import annotations

import copy
import io
import xml.etree.ElementTree as ET
from typing import Any

import gpxpy
import pytest
from geojson_pydantic import FeatureCollection
from rich.console import Console
from tests.exports.conftest import activity

from voltroute.exports import read_result, result_geojson, result_gpx
from voltroute.exports.gpx import GPX_NAMESPACE, VOLTROUTE_GPX_NAMESPACE
from voltroute.exports.table import result_tables

FINDING = {
    "driver": 2,
    "article": "561/2006 Art. 7",
    "rule": "break",
    "at": "2026-05-04T14:00:00Z",
    "detail": "4 h 40 min of driving without a 45-minute break",
}


def stop_properties(document: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        f["properties"] for f in document["features"] if f["properties"]["feature_type"] == "stop"
    ]


def table_text(body: dict[str, Any]) -> str:
    out = io.StringIO()
    Console(file=out, width=160).print(result_tables(body, read_result(body)))
    return out.getvalue()


def team(body: dict[str, Any]) -> dict[str, Any]:
    """The tour driven by two drivers, the second with an infringement found."""
    body = copy.deepcopy(body)
    second = copy.deepcopy(body["activity_timeline"][0])
    second["driver"] = 2
    second["activities"][1] = activity(
        "break", "2026-05-04T06:00:00+00:00", "2026-05-04T08:00:00+00:00", "Start - Customer A"
    )
    body["activity_timeline"].append(second)
    body["rule_check"] = [FINDING]
    return body


def test_stops_read_their_activities_and_the_origin_its_depot_service(
    timeline_result: dict[str, Any],
) -> None:
    view = read_result(timeline_result)
    origin, customer, charger, rest, destination = view.stops
    assert [(a.activity, a.duration_min) for a in customer.activities or ()] == [
        ("other_work", 60.0),
        ("break", 45.0),
    ]
    assert customer.activities is not None
    assert customer.activities[1].start_local == "2026-05-04T11:00:00+02:00"
    assert customer.activity_minutes == {"other_work": 60.0, "break": 45.0}
    assert customer.driver_free_during_service is False
    assert charger.activity_minutes == {"other_work": 10.0, "availability": 30.0}
    assert rest.main_activity == "daily_rest"
    assert [a.activity for a in origin.activities or ()] == ["other_work"]
    assert [t.driver for t in view.driver_timelines] == [1]
    assert view.driver_timelines[0].activities[3].place == "Customer A"
    assert view.rule_check == ()
    # Each activity of the timeline at its stop; driving at none.
    stops = [view.stop_during(a) for a in view.driver_timelines[0].activities]
    assert [s.sequence if s else None for s in stops] == [
        0,
        None,
        1,
        1,
        None,
        2,
        2,
        2,
        None,
        3,
        None,
        4,
    ]
    assert destination.activities is not None


def test_a_result_without_the_extension_reads_as_before(small_result: dict[str, Any]) -> None:
    view = read_result(small_result)
    assert all(stop.activities is None for stop in view.stops)
    assert all(stop.driver_free_during_service is None for stop in view.stops)
    assert view.driver_timelines == ()
    assert view.rule_check == ()
    # Roadside break and rest stops still say what the driver does there.
    assert [stop.main_activity for stop in view.stops] == [
        None,
        None,
        "break",
        "daily_rest",
        None,
    ]


def test_geojson_stops_carry_their_activities_minutes_and_summary(
    timeline_result: dict[str, Any],
) -> None:
    document = result_geojson(read_result(timeline_result))
    FeatureCollection.model_validate(document)
    origin, customer, charger, rest, destination = stop_properties(document)
    assert [(a["activity"], a["start"], a["end"]) for a in customer["activities"]] == [
        ("other_work", "2026-05-04T08:00:00Z", "2026-05-04T09:00:00Z"),
        ("break", "2026-05-04T09:00:00Z", "2026-05-04T09:45:00Z"),
    ]
    assert customer["activities"][1]["end_local"] == "2026-05-04T11:45:00+02:00"
    assert customer["activity_minutes"] == {"other_work": 60.0, "break": 45.0}
    assert customer["activity_summary"] == "service 60 min (work), break 45 min"
    assert customer["driver_free_during_service"] is False
    assert charger["activity_summary"] == "plugging 10 min (work), waiting 30 min (availability)"
    assert (rest["activity"], rest["activity_minutes"]) == ("daily_rest", {"daily_rest": 660.0})
    assert origin["activity_summary"] == "service 15 min (work)"
    assert destination["activity"] == "other_work"
    timeline = document["activity_timeline"]
    assert [entry["driver"] for entry in timeline] == [1]
    assert timeline[0]["activities"][3]["place"] == "Customer A"
    assert document["rule_check"] == []


def test_geojson_without_the_extension_keeps_todays_stops(small_result: dict[str, Any]) -> None:
    document = result_geojson(read_result(small_result))
    stops = stop_properties(document)
    assert all(stop["activities"] is None for stop in stops)
    assert all(stop["activity_summary"] is None for stop in stops)
    assert [stop["activity"] for stop in stops] == [None, None, "break", "daily_rest", None]
    assert stops[2]["break_time_min"] == 45.0
    assert "activity_timeline" not in document
    assert "rule_check" not in document


def test_gpx_waypoints_say_what_the_driver_does_and_when(
    timeline_result: dict[str, Any],
) -> None:
    document = result_gpx(read_result(timeline_result))
    gpx = gpxpy.parse(document)
    customer = gpx.waypoints[1]
    assert customer.type == "customer"
    assert "driver: service 60 min (work), break 45 min" in customer.description
    assert "stop 105 min" not in customer.description  # the old, undivided minutes
    assert customer.comment == "10:00-11:00 service (work); 11:00-11:45 break"
    assert "waiting 30 min (availability)" in gpx.waypoints[2].description
    assert "driver: daily rest 660 min" in gpx.waypoints[3].description
    root = ET.fromstring(document.encode())
    waypoints = root.findall(f"{{{GPX_NAMESPACE}}}wpt")
    parts = waypoints[1].findall(
        f"{{{GPX_NAMESPACE}}}extensions/{{{VOLTROUTE_GPX_NAMESPACE}}}activity"
    )
    assert [(p.get("kind"), p.get("start_local"), p.get("duration_min")) for p in parts] == [
        ("other_work", "2026-05-04T10:00:00+02:00", "60"),
        ("break", "2026-05-04T11:00:00+02:00", "45"),
    ]
    # Children in the order GPX 1.1 requires.
    names = [child.tag.split("}")[1] for child in waypoints[1]]
    assert names == ["time", "name", "cmt", "desc", "type", "extensions"]
    assert root.find(f"{{{GPX_NAMESPACE}}}metadata/{{{GPX_NAMESPACE}}}desc") is None


def test_gpx_without_the_extension_describes_stops_as_before(small_result: dict[str, Any]) -> None:
    document = result_gpx(read_result(small_result))
    gpx = gpxpy.parse(document)
    assert "break 45 min" in gpx.waypoints[2].description
    assert "rest 660 min" in gpx.waypoints[3].description
    assert all(w.comment is None for w in gpx.waypoints)
    assert VOLTROUTE_GPX_NAMESPACE not in document


def test_a_team_has_two_timelines_and_a_found_infringement_is_shown_everywhere(
    timeline_result: dict[str, Any],
) -> None:
    body = team(timeline_result)
    view = read_result(body)
    assert [t.driver for t in view.driver_timelines] == [1, 2]
    (finding,) = view.rule_check
    assert (finding.driver, finding.article) == (2, "561/2006 Art. 7")

    document = result_geojson(view)
    assert [entry["driver"] for entry in document["activity_timeline"]] == [1, 2]
    assert document["rule_check"] == [FINDING]

    root = ET.fromstring(result_gpx(view).encode())
    description = root.find(f"{{{GPX_NAMESPACE}}}metadata/{{{GPX_NAMESPACE}}}desc")
    assert description is not None
    assert description.text == (
        "Rule check: driver 2, 561/2006 Art. 7: 4 h 40 min of driving without a 45-minute break"
        " (at 2026-05-04T14:00:00Z)"
    )

    text = table_text(body)
    assert "Driver 1: activities (local times)" in text
    assert "Driver 2: activities (local times)" in text
    assert "Rule check: driver 2, 561/2006 Art. 7" in text


def test_the_table_lists_the_drivers_timeline_at_local_times(
    timeline_result: dict[str, Any],
) -> None:
    text = table_text(timeline_result)
    lines = text.splitlines()
    title = lines.index(next(line for line in lines if "Driver: activities" in line))
    rows = [" ".join(line.strip("│ ").split()) for line in lines[title:]]
    assert any(
        row.startswith("05-04 10:00 │ 05-04 11:00 │ service (work) │ 60 │ Customer A")
        for row in rows
    )
    assert any(
        row.startswith("05-04 11:00 │ 05-04 11:45 │ break │ 45 │ Customer A") for row in rows
    )
    assert any("daily rest │ 660 │ Daily rest" in row for row in rows)
    assert any("plugging (work) │ 5 │ Rest area" in row for row in rows)
    # The stops table keeps its columns.
    for column in ("chg min", "wait min", "stop min"):
        assert column in text


def test_the_table_without_the_extension_has_no_driver_block(small_result: dict[str, Any]) -> None:
    text = table_text(small_result)
    assert "Stops (local times)" in text
    assert "Driver" not in text


@pytest.mark.parametrize("broken", [{"activities": "no"}, {"activities": [{"activity": 1}]}])
def test_a_malformed_activity_list_names_the_field(
    timeline_result: dict[str, Any], broken: dict[str, Any]
) -> None:
    timeline_result["sections"][1]["poi_summary"] |= broken
    with pytest.raises(ValueError, match=r"sections\[1\]\.poi_summary\.activities"):
        read_result(timeline_result)


def test_a_stop_with_time_but_no_activities_falls_back_to_its_minutes(
    timeline_result: dict[str, Any],
) -> None:
    # A plan made before stops had activities, translated again: an empty list where the truck
    # stands is "not known", not "nothing happens"; a stop of no time may have none.
    rest = timeline_result["sections"][2]["poi_summary"]
    rest["activities"] = []
    last = timeline_result["sections"][3]["poi_summary"]
    last |= {"activities": [], "departure_time": last["arrival_time"]}
    view = read_result(timeline_result)
    assert view.stops[3].activities is None
    assert view.stops[3].main_activity == "daily_rest"
    assert view.stops[4].activities == ()
    gpx = gpxpy.parse(result_gpx(view))
    assert "rest 660 min" in gpx.waypoints[3].description


def test_a_finding_without_an_article_names_its_rule(timeline_result: dict[str, Any]) -> None:
    timeline_result["rule_check"] = [
        {
            "driver": 1,
            "article": None,
            "rule": "driver_state",
            "at": "2026-05-04T05:45:00Z",
            "detail": "the state at the start is already an infringement",
        }
    ]
    view = read_result(timeline_result)
    assert view.rule_check[0].article is None
    assert result_geojson(view)["rule_check"][0]["article"] is None
    assert "Rule check: driver 1, driver_state: the state at the start" in table_text(
        timeline_result
    )


@pytest.mark.integration  # plans the demo tour on the real Heidelberg tiles
def test_a_planned_result_exports_each_stops_time_as_the_drivers_activities(
    planned_result: dict[str, Any],
) -> None:
    view = read_result(planned_result)
    assert [t.driver for t in view.driver_timelines] == [1]
    document = result_geojson(view)
    FeatureCollection.model_validate(document)
    gpx = gpxpy.parse(result_gpx(view))
    for stop, properties, waypoint in zip(
        view.stops[1:], stop_properties(document)[1:], gpx.waypoints[1:], strict=True
    ):
        assert stop.activities is not None
        if stop.arrival_time == stop.departure_time:
            continue
        assert stop.activities[0].start == stop.arrival_time
        assert stop.activities[-1].end == stop.departure_time
        for before, after in zip(stop.activities, stop.activities[1:], strict=False):
            assert before.end == after.start
        assert properties["activities"] == [
            {k: getattr(a, k) for k in ("start", "end", "start_local", "end_local")}
            | {"activity": a.activity, "duration_min": a.duration_min}
            for a in stop.activities
        ]
        assert f"driver: {properties['activity_summary']}" in waypoint.description
    # Every activity of the driver's timeline at a stop is one of that stop's.
    for part in view.driver_timelines[0].activities:
        stop = view.stop_during(part)
        if stop is not None and stop.sequence > 0:
            assert stop.activities is not None
            assert any(a.start <= part.start and part.end <= a.end for a in stop.activities)
