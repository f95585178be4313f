"""Valhalla request building and response parsing, without an engine."""

from __future__ import annotations

from typing import Any

import pytest

from voltroute.domain import LatLon
from voltroute.routing import TruckProfile
from voltroute.routing import valhalla_json as vj
from voltroute.routing.edge_alignment import EdgeSpan


def test_truck_costing_is_in_tonnes_and_metres() -> None:
    truck = TruckProfile(gross_mass_kg=40_000, axle_count=5, axle_load_kg=11_500, height_m=4.0)
    costing = vj.truck_costing(truck)
    assert costing["weight"] == 40.0
    assert costing["axle_load"] == 11.5
    assert costing["axle_count"] == 5
    assert costing["height"] == 4.0
    assert costing["width"] == 2.55
    assert costing["length"] == 16.5
    assert costing["top_speed"] == 85.0


def test_axle_load_is_left_to_valhalla_when_unknown() -> None:
    assert "axle_load" not in vj.truck_costing(TruckProfile(gross_mass_kg=18_000))


def test_route_request_asks_for_truck_costing_and_english_kilometres() -> None:
    request = vj.route_request([LatLon(49.0, 8.0), LatLon(49.1, 8.1)], TruckProfile(40_000))
    assert request["costing"] == "truck"
    assert request["directions_options"] == {"units": "kilometers", "language": "en-US"}
    assert [(p["lat"], p["lon"]) for p in request["locations"]] == [(49.0, 8.0), (49.1, 8.1)]


def test_trace_attributes_request_walks_edges_and_asks_for_time_and_country() -> None:
    request = vj.trace_attributes_request("abc", TruckProfile(40_000))
    assert request["shape_match"] == "edge_walk"
    attributes = request["filters"]["attributes"]
    assert {"node.elapsed_time", "node.admin_index", "admin.country_code"} <= set(attributes)


def test_height_request_samples_every_point_without_range() -> None:
    assert vj.height_request("abc") == {"encoded_polyline": "abc", "range": False}


def test_polyline6_round_trips_and_decodes_valhallas_precision() -> None:
    points = [(49.443682, 8.586889), (49.37, 8.632397), (-33.868820, 151.209296)]
    encoded = vj.encode_polyline6(points)
    assert vj.decode_polyline6(encoded) == points


def test_polyline6_decodes_googles_example_scaled_by_ten() -> None:
    # Google's documented precision-5 example; read at precision 6 every value is a tenth.
    assert vj.decode_polyline6("_p~iF~ps|U_ulLnnqC_mqNvxq`@") == [
        (3.85, -12.02),
        (4.07, -12.095),
        (4.3252, -12.6453),
    ]


@pytest.mark.parametrize(
    ("names", "streets", "refs"),
    [
        (["A 5", "E 35"], (), ("A 5", "E 35")),
        (["Grenzhöfer Straße", "K 4141"], ("Grenzhöfer Straße",), ("K 4141",)),
        (["Speyerer Straße", "L 600a"], ("Speyerer Straße",), ("L 600a",)),
        (["B 37", "Neckarstaden"], ("Neckarstaden",), ("B 37",)),
        (["St 2240"], (), ("St 2240",)),
        (["N279"], (), ("N279",)),
        (["Straße 70", "Am Weg 5"], ("Straße 70", "Am Weg 5"), ()),
    ],
)
def test_road_numbers_are_told_apart_from_street_names(
    names: list[str], streets: tuple[str, ...], refs: tuple[str, ...]
) -> None:
    assert vj.split_names(names) == (streets, refs)


def _edge(begin: int, end: int, length_km: float, elapsed_s: float | None, **extra: Any) -> Any:
    edge: dict[str, Any] = {
        "begin_shape_index": begin,
        "end_shape_index": end,
        "length": length_km,
        "speed": 80,
        "road_class": "motorway",
        "names": ["A 5", "E 35"],
        "way_id": 1000 + begin,
        "toll": False,
        "use": "road",
        "end_node": {} if elapsed_s is None else {"elapsed_time": elapsed_s, "admin_index": 0},
    }
    edge.update(extra)
    return edge


def _edges(trace: Any, heights: list[float | None], leg_duration_s: float) -> Any:
    """The trace's edges on a route whose shape is the traced one, point for point."""
    traced = vj.traced_edges(trace, leg_duration_s)
    spans = [
        EdgeSpan(i, t.begin_trace_index, t.end_trace_index, t.length_m, t.duration_s)
        for i, t in enumerate(traced)
    ]
    return vj.parse_edges(trace, heights, spans)


def test_edge_durations_are_differences_of_elapsed_time() -> None:
    trace = {
        "admins": [{"country_code": "DE", "country_text": "Germany"}],
        "edges": [_edge(0, 1, 1.0, 45.0), _edge(1, 2, 2.0, 135.0)],
    }
    edges = _edges(trace, [100.0, 110.0, 90.0], leg_duration_s=135.0)
    assert [e.duration_s for e in edges] == [45.0, 90.0]
    assert [e.length_m for e in edges] == [1000.0, 2000.0]
    assert [e.country_code for e in edges] == ["DE", "DE"]
    assert edges[0].refs == ("A 5", "E 35")
    assert edges[0].names == ()
    assert edges[0].grade_pct == pytest.approx(1.0)
    assert edges[1].grade_pct == pytest.approx(-1.0)


def test_edge_durations_fall_back_to_length_over_speed_scaled_to_the_leg() -> None:
    trace = {"edges": [_edge(0, 1, 1.0, None), _edge(1, 2, 3.0, None)]}
    edges = _edges(trace, [None, None, None], leg_duration_s=200.0)
    assert [e.duration_s for e in edges] == pytest.approx([50.0, 150.0])


def test_missing_elevation_gives_zero_grade_without_crashing() -> None:
    trace = {"edges": [_edge(0, 1, 1.0, 45.0), _edge(1, 2, 1.0, 90.0)]}
    edges = _edges(trace, [None, 250.0, None], leg_duration_s=90.0)
    assert [e.grade_pct for e in edges] == [0.0, 0.0]
    assert edges[0].elevation_start_m == edges[0].elevation_end_m == 250.0
    shape = vj.build_shape([(49.0, 8.0), (49.1, 8.1), (49.2, 8.2)], [None, 250.0, None])
    assert [p.elevation_m for p in shape] == [0.0, 250.0, 0.0]


def test_valhallas_none_country_becomes_no_country() -> None:
    trace = {"admins": [{"country_code": "None"}], "edges": [_edge(0, 1, 1.0, 45.0)]}
    assert _edges(trace, [None, None], 45.0)[0].country_code is None


def test_height_count_must_match_the_shape() -> None:
    with pytest.raises(ValueError, match="3 shape points"):
        vj.parse_heights({"height": [1, 2]}, 3)


def test_maneuvers_are_parsed_in_metres_with_sign_texts_trimmed() -> None:
    leg = {
        "maneuvers": [
            {
                "type": 20,
                "instruction": "Take exit 5 on the right toward Karlsruhe.",
                "length": 0.131,
                "time": 6.2,
                "begin_shape_index": 24,
                "end_shape_index": 26,
                "street_names": ["A 5"],
                "sign": {
                    "exit_number_elements": [{"text": "5"}],
                    "exit_toward_elements": [{"text": " Karlsruhe"}],
                },
            }
        ]
    }
    (m,) = vj.parse_maneuvers(leg)
    assert m.length_m == pytest.approx(131.0)
    assert m.exit_numbers == ("5",)
    assert m.exit_towards == ("Karlsruhe",)
    assert m.street_names == ("A 5",)
