"""The leg pipeline and error mapping, driven by a scripted fake engine."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

import pytest

from voltroute.domain import LatLon, haversine_m
from voltroute.routing import (
    NoRouteError,
    PositionOffNetworkError,
    RoutingError,
    TruckProfile,
    decode_polyline,
)
from voltroute.routing import valhalla_json as vj
from voltroute.routing.valhalla_leg import (
    MATCH_MAX_SPACING_M,
    ValhallaEngineError,
    match_leg,
    prepare_match_shape,
    route_leg,
)

TRUCK = TruckProfile(gross_mass_kg=40_000)
START = LatLon(49.4437, 8.5869)
STOP = LatLon(49.3700, 8.6324)
SEA = LatLon(54.5, 5.0)
POINTS = [(49.4437, 8.5869), (49.44, 8.60), (49.43, 8.61)]
SHAPE6 = vj.encode_polyline6(POINTS)

ROUTE_ANSWER = {
    "trip": {
        "legs": [
            {
                "shape": SHAPE6,
                "summary": {"length": 2.5, "time": 120.0},
                "maneuvers": [
                    {
                        "type": 1,
                        "instruction": "Drive east on A 656.",
                        "length": 2.5,
                        "time": 120.0,
                        "begin_shape_index": 0,
                        "end_shape_index": 2,
                        "street_names": ["A 656"],
                    },
                    {
                        "type": 4,
                        "instruction": "You have arrived.",
                        "length": 0.0,
                        "time": 0.0,
                        "begin_shape_index": 2,
                        "end_shape_index": 2,
                    },
                ],
            }
        ]
    }
}
TRACE_ANSWER = {
    "shape": SHAPE6,
    "admins": [{"country_code": "DE"}],
    "edges": [
        {
            "begin_shape_index": 0,
            "end_shape_index": 1,
            "length": 1.0,
            "speed": 85,
            "road_class": "motorway",
            "names": ["A 656"],
            "way_id": 11,
            "toll": False,
            "use": "road",
            "end_node": {"elapsed_time": 50.0, "admin_index": 0},
        },
        {
            "begin_shape_index": 1,
            "end_shape_index": 2,
            "length": 1.5,
            "speed": 85,
            "road_class": "motorway",
            "names": ["A 656"],
            "way_id": 12,
            "toll": False,
            "use": "road",
            "end_node": {"elapsed_time": 120.0, "admin_index": 0},
        },
    ],
}
HEIGHT_ANSWER = {"height": [100, 104, None]}

Call = Callable[[str, vj.Json], Any]


def scripted(answers: dict[str, Any]) -> Call:
    """A ValhallaCall answering each action from a table; exceptions in it are raised."""

    def call(action: str, request: vj.Json) -> Any:
        answer = answers[action]
        if callable(answer):
            answer = answer(request)
        if isinstance(answer, Exception):
            raise answer
        return answer

    return call


def test_route_leg_joins_route_trace_and_height() -> None:
    call = scripted(
        {"route": ROUTE_ANSWER, "trace_attributes": TRACE_ANSWER, "height": HEIGHT_ANSWER}
    )
    leg = route_leg(call, START, STOP, TRUCK)
    assert leg.length_m == 2500.0
    assert leg.duration_s == 120.0
    assert [e.way_id for e in leg.edges] == [11, 12]
    assert [e.duration_s for e in leg.edges] == [50.0, 70.0]
    assert [p.elevation_m for p in leg.shape] == [100.0, 104.0, 0.0]
    assert leg.edges[1].grade_pct == 0.0  # its end has no elevation
    assert [a["action"] for a in leg.here_actions] == ["depart", "arrive"]
    assert [(lat, lon) for lat, lon, _ in decode_polyline(leg.polyline)] == POINTS


def test_unreachable_stop_is_named_in_the_off_network_error() -> None:
    def locate(request: vj.Json) -> Any:
        spot = request["locations"][0]
        on_road = (spot["lat"], spot["lon"]) == (START.lat, START.lon)
        return [{"edges": [{"way_id": 1}] if on_road else [], "nodes": []}]

    call = scripted(
        {
            "route": ValhallaEngineError(171, "No suitable edges near location"),
            "locate": locate,
        }
    )
    with pytest.raises(
        PositionOffNetworkError, match=r"stop position \(54\.50000, 5\.00000\)"
    ) as err:
        route_leg(call, START, SEA, TRUCK)
    assert err.value.position == SEA
    assert "start position" not in str(err.value)


def test_both_ends_are_named_when_the_probe_cannot_tell() -> None:
    call = scripted(
        {
            "route": ValhallaEngineError(171, "No suitable edges near location"),
            "locate": [{"edges": [{"way_id": 1}]}],
        }
    )
    with pytest.raises(PositionOffNetworkError, match=r"start position .* and stop position"):
        route_leg(call, START, SEA, TRUCK)


@pytest.mark.parametrize("code", [170, 441, 442])
def test_no_path_codes_raise_no_route_naming_both_ends(code: int) -> None:
    call = scripted({"route": ValhallaEngineError(code, "No path could be found for input")})
    with pytest.raises(
        NoRouteError, match=r"from \(49\.44370, 8\.58690\) to \(49\.37000, 8\.63240\)"
    ):
        route_leg(call, START, STOP, TRUCK)


def test_other_engine_errors_are_plain_routing_errors() -> None:
    call = scripted(
        {"route": ValhallaEngineError(154, "Path distance exceeds the max distance limit")}
    )
    with pytest.raises(RoutingError, match="154") as err:
        route_leg(call, START, STOP, TRUCK)
    assert type(err.value) is RoutingError


def test_a_malformed_engine_answer_is_a_routing_error() -> None:
    call = scripted({"route": {"trip": {"legs": []}}})
    with pytest.raises(RoutingError, match="unexpected answer"):
        route_leg(call, START, STOP, TRUCK)


def test_a_polyline_that_cannot_be_matched_raises_no_route() -> None:
    call = scripted({"trace_route": ValhallaEngineError(444, "Map Match algorithm failed")})
    with pytest.raises(NoRouteError, match="polyline from"):
        match_leg(call, [START, STOP], TRUCK)


def test_a_polyline_far_from_roads_raises_off_network() -> None:
    call = scripted({"trace_route": ValhallaEngineError(171, "No suitable edges near location")})
    with pytest.raises(PositionOffNetworkError, match=r"\(54\.50000, 5\.00000\)"):
        match_leg(call, [SEA, LatLon(54.6, 5.1)], TRUCK)


def test_a_single_point_cannot_be_matched() -> None:
    with pytest.raises(RoutingError, match="at least 2 points"):
        match_leg(scripted({}), [START], TRUCK)


def test_match_input_gaps_are_filled_and_dense_points_thinned() -> None:
    sparse = [LatLon(49.0, 8.0), LatLon(49.0, 8.1)]  # ~7.3 km apart
    filled = prepare_match_shape(sparse)
    assert filled[0] == sparse[0]
    assert filled[-1] == sparse[-1]
    gaps = [haversine_m(a, b) for a, b in itertools.pairwise(filled)]
    assert max(gaps) <= MATCH_MAX_SPACING_M

    dense = [LatLon(49.0, 8.0 + i * 1e-5) for i in range(101)]  # ~0.7 m apart
    thinned = prepare_match_shape(dense)
    assert thinned[0] == dense[0]
    assert thinned[-1] == dense[-1]
    assert len(thinned) < 10


def test_match_leg_sends_the_prepared_shape_to_trace_route() -> None:
    seen: list[vj.Json] = []

    def trace_route(request: vj.Json) -> Any:
        seen.append(request)
        return ROUTE_ANSWER

    call = scripted(
        {"trace_route": trace_route, "trace_attributes": TRACE_ANSWER, "height": HEIGHT_ANSWER}
    )
    leg = match_leg(call, [START, STOP], TRUCK)
    assert seen[0]["shape_match"] == "map_snap"
    assert len(seen[0]["shape"]) > 2  # the 9 km gap was filled
    assert leg.length_m == 2500.0


def test_unconnected_regions_are_named_without_an_engine_code() -> None:
    unconnected = ValhallaEngineError(170, "Locations are in unconnected regions")
    call = scripted({"route": unconnected, "expansion": unconnected})
    with pytest.raises(NoRouteError, match="not connected at all") as err:
        route_leg(call, START, STOP, TRUCK)
    assert err.value.cause == "unconnected"
    assert "Valhalla error" not in str(err.value)
