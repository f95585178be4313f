"""The embedded Valhalla router on the Heidelberg region: motorway legs, errors, map matching."""

from __future__ import annotations

import itertools
from concurrent.futures import ThreadPoolExecutor

import pytest

from voltroute.domain import LatLon
from voltroute.routing import (
    EmbeddedValhallaRouter,
    NoRouteError,
    PositionOffNetworkError,
    RouteLeg,
    TruckProfile,
    decode_polyline,
)

from .conftest import A5_SOUTH, A656_WEST, MANNHEIM_FRAGMENT, NORTH_SEA

pytestmark = pytest.mark.integration


def distinct_way_ids(leg: RouteLeg) -> list[int]:
    return [way for way, _ in itertools.groupby(e.way_id for e in leg.edges)]


def test_motorway_route_runs_on_a656_then_a5(motorway_leg: RouteLeg) -> None:
    motorway = [e for e in motorway_leg.edges if e.road_class == "motorway"]
    refs = {ref for e in motorway for ref in e.refs}
    assert {"A 5", "A 656"} <= refs
    assert sum(e.length_m for e in motorway) > 0.9 * motorway_leg.length_m
    first_a5 = next(i for i, e in enumerate(motorway_leg.edges) if "A 5" in e.refs)
    assert all("A 5" not in e.refs for e in motorway_leg.edges[:first_a5])
    assert "A 656" in motorway_leg.edges[0].refs


def test_edge_lengths_add_up_to_the_leg_within_one_percent(motorway_leg: RouteLeg) -> None:
    total_m = sum(e.length_m for e in motorway_leg.edges)
    assert total_m == pytest.approx(motorway_leg.length_m, rel=0.01)
    assert 8_000 < motorway_leg.length_m < 12_000


def test_edge_durations_add_up_to_the_leg_within_three_percent(motorway_leg: RouteLeg) -> None:
    total_s = sum(e.duration_s for e in motorway_leg.edges)
    assert total_s == pytest.approx(motorway_leg.duration_s, rel=0.03)
    assert all(e.duration_s >= 0 for e in motorway_leg.edges)


def test_truck_speed_is_capped_at_the_profiles_top_speed(motorway_leg: RouteLeg) -> None:
    assert max(e.speed_kph for e in motorway_leg.edges) <= 85
    mean_kph = motorway_leg.length_m / motorway_leg.duration_s * 3.6
    assert 60 < mean_kph <= 85


def test_edges_tile_the_shape_without_gaps(motorway_leg: RouteLeg) -> None:
    edges = motorway_leg.edges
    assert edges[0].begin_shape_index == 0
    assert edges[-1].end_shape_index == len(motorway_leg.shape) - 1
    assert all(a.end_shape_index == b.begin_shape_index for a, b in itertools.pairwise(edges))


def test_edge_elevations_are_the_shape_heights_at_their_ends(motorway_leg: RouteLeg) -> None:
    shape = motorway_leg.shape
    for e in motorway_leg.edges:
        assert e.elevation_start_m == shape[e.begin_shape_index].elevation_m
        assert e.elevation_end_m == shape[e.end_shape_index].elevation_m
        assert abs(e.grade_pct) < 10


def test_here_actions_depart_first_arrive_last_with_increasing_offsets(
    motorway_leg: RouteLeg,
) -> None:
    actions = motorway_leg.here_actions
    assert actions[0]["action"] == "depart"
    assert actions[-1]["action"] == "arrive"
    offsets = [int(str(a["offset"])) for a in actions]
    assert offsets == sorted(offsets)
    assert len(set(offsets)) == len(offsets)
    assert offsets[0] == 0
    assert offsets[-1] == len(decode_polyline(motorway_leg.polyline)) - 1
    assert sum(int(str(a["length"])) for a in actions) == pytest.approx(
        motorway_leg.length_m, abs=len(actions)
    )


def test_polyline_is_the_shape_with_elevation(motorway_leg: RouteLeg) -> None:
    decoded = decode_polyline(motorway_leg.polyline)
    assert len(decoded) == len(motorway_leg.shape)
    for p, (lat, lon, elevation_m) in zip(motorway_leg.shape, decoded, strict=True):
        assert lat == pytest.approx(p.lat, abs=1e-5)
        assert lon == pytest.approx(p.lon, abs=1e-5)
        assert elevation_m == pytest.approx(p.elevation_m, abs=0.05)


def test_a_position_in_the_sea_is_off_network_and_named(
    embedded_router: EmbeddedValhallaRouter, truck: TruckProfile
) -> None:
    with pytest.raises(
        PositionOffNetworkError, match=r"stop position \(54\.50000, 5\.00000\)"
    ) as err:
        embedded_router.route(A656_WEST, NORTH_SEA, truck)
    assert err.value.position == NORTH_SEA


def test_a_start_outside_the_region_is_off_network_and_named(
    embedded_router: EmbeddedValhallaRouter, truck: TruckProfile
) -> None:
    munich = LatLon(48.137, 11.575)
    with pytest.raises(PositionOffNetworkError, match=r"start position \(48\.13700, 11\.57500\)"):
        embedded_router.route(munich, A5_SOUTH, truck)


def test_a_stop_no_truck_route_reaches_raises_no_route_naming_both_ends(
    embedded_router: EmbeddedValhallaRouter, truck: TruckProfile
) -> None:
    with pytest.raises(
        NoRouteError, match=r"from \(49\.44370, 8\.58690\) to \(49\.48000, 8\.47000\)"
    ):
        embedded_router.route(A656_WEST, MANNHEIM_FRAGMENT, truck)


def test_matching_a_routed_polyline_reproduces_its_edges(
    embedded_router: EmbeddedValhallaRouter, truck: TruckProfile, motorway_leg: RouteLeg
) -> None:
    # What a client sends: the leg as a precision-5 flexible polyline.
    shape = [LatLon(lat, lon) for lat, lon, _ in decode_polyline(motorway_leg.polyline)]
    matched = embedded_router.match(shape, truck)
    assert distinct_way_ids(matched) == distinct_way_ids(motorway_leg)
    assert matched.length_m == pytest.approx(motorway_leg.length_m, rel=0.02)
    assert sum(e.length_m for e in matched.edges) == pytest.approx(matched.length_m, rel=0.01)
    assert matched.here_actions[0]["action"] == "depart"
    assert matched.here_actions[-1]["action"] == "arrive"


def test_one_router_serves_several_threads(
    embedded_router: EmbeddedValhallaRouter, truck: TruckProfile, motorway_leg: RouteLeg
) -> None:
    with ThreadPoolExecutor(max_workers=4) as pool:
        legs = list(pool.map(lambda _: embedded_router.route(A656_WEST, A5_SOUTH, truck), range(8)))
    assert all(leg == motorway_leg for leg in legs)


def test_a_heavier_truck_gets_its_weight_into_the_request(
    embedded_router: EmbeddedValhallaRouter,
) -> None:
    light = embedded_router.route(A656_WEST, A5_SOUTH, TruckProfile(gross_mass_kg=7_500))
    assert light.length_m == pytest.approx(10_000, rel=0.2)
