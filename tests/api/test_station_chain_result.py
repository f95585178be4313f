"""A plan with a chain of stations as the result shows it (issue 21's extensions)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import replace

from geojson_pydantic import FeatureCollection
from tests.jobs.test_legacy_results import request as tour_request
from tests.planner.test_station_chains import FAST_THEN_SLOW, charger, hop, long_leg_problem

from voltroute.api.translate_result import result_body
from voltroute.exports import read_result, result_geojson, result_gpx
from voltroute.jobs.results import plan_from_json, plan_to_json
from voltroute.planner import plan_tour


def test_a_section_driven_from_one_charger_straight_to_the_next_says_so_and_what_it_drove() -> None:
    stations = (
        charger("fast-to-60", 100_000.0, 400.0, curve=FAST_THEN_SLOW),
        charger("steady", 100_500.0, 150.0),
    )
    chain = hop("fast-to-60", "steady")
    problem = replace(long_leg_problem(), stations=stations, station_hops=(chain,))
    plan = plan_tour(problem)
    # Stored and read back as a job row keeps it.
    body = result_body(plan_from_json(plan_to_json(plan)), tour_request(), 1, 1, "succeeded")
    first, second, last = body["sections"]
    assert [s["poi_summary"]["id"] for s in (first, second)] == ["fast-to-60", "steady"]
    assert [s["station_hop"] for s in body["sections"]] == [False, True, False]
    # The hop is all the second section drives: not along the route (no length), off it.
    assert second["length_m"] == 0.0
    assert second["off_route_m"] == round(chain.distance_m, 1)
    assert second["duration_min"] == round(chain.duration_s / 60.0, 2)
    # The first drives out to its station, the last back from the second's.
    assert first["off_route_m"] == round(stations[0].detour_m / 2, 1)
    assert last["off_route_m"] == round(stations[1].detour_m / 2, 1)


def test_the_exports_of_a_chain_are_valid_and_draw_no_line_for_the_hop() -> None:
    stations = (
        charger("fast-to-60", 100_000.0, 400.0, curve=FAST_THEN_SLOW),
        charger("steady", 100_500.0, 150.0),
    )
    problem = replace(
        long_leg_problem(), stations=stations, station_hops=(hop("fast-to-60", "steady"),)
    )
    body = result_body(plan_tour(problem), tour_request(), 1, 1, "succeeded")
    view = read_result(body)
    document = result_geojson(view)
    FeatureCollection.model_validate(document)
    lines = [f for f in document["features"] if f["properties"]["feature_type"] == "route"]
    assert [f["properties"]["section_index"] for f in lines] == [0, 2]
    ET.fromstring(result_gpx(view))  # well-formed with a one-point track segment
