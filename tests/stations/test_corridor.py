from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from voltroute.domain import LatLon, haversine_m
from voltroute.stations.corridor import StationIndex, corridor_search, route_distance_m

from .conftest import make_station

_lat = st.floats(47.0, 55.0)
_lon = st.floats(5.0, 15.0)


@st.composite
def routes(draw: st.DrawFn) -> list[LatLon]:
    """A random polyline of 2..80 points, steps up to ~5 km, somewhere in Germany."""
    start = LatLon(draw(_lat), draw(_lon))
    n = draw(st.integers(2, 80))
    steps = draw(st.lists(st.tuples(st.floats(-0.05, 0.05), st.floats(-0.07, 0.07)),
                          min_size=n - 1, max_size=n - 1))  # fmt: skip
    points = [start]
    for d_lat, d_lon in steps:
        last = points[-1]
        points.append(LatLon(min(max(last.lat + d_lat, -89.0), 89.0), last.lon + d_lon))
    return points


@settings(max_examples=60, deadline=None)
@given(
    route=routes(),
    seed=st.integers(0, 2**32 - 1),
    count=st.integers(0, 400),
    corridor_m=st.floats(200.0, 20_000.0),
)
def test_corridor_search_returns_exactly_the_brute_force_stations(
    route: list[LatLon], seed: int, count: int, corridor_m: float
) -> None:
    rng = np.random.default_rng(seed)
    # Stations scattered around the route's box so that many lie near the corridor's edge.
    lats = [p.lat for p in route]
    lons = [p.lon for p in route]
    s_lat = rng.uniform(min(lats) - 0.2, max(lats) + 0.2, count)
    s_lon = rng.uniform(min(lons) - 0.3, max(lons) + 0.3, count)
    index = StationIndex.from_arrays(s_lat, s_lon, cell_deg=float(rng.choice([0.005, 0.02, 0.1])))
    hits = corridor_search(index, route, corridor_m)
    brute = {i: route_distance_m(float(s_lat[i]), float(s_lon[i]), route) for i in range(count)}
    assert {h.station_index for h in hits} == {i for i, d in brute.items() if d <= corridor_m}
    for hit in hits:
        assert abs(hit.distance_m - brute[hit.station_index]) < 1e-6


def test_hits_give_the_nearest_route_point_and_the_distance_along_the_route() -> None:
    # A straight 10 km line west to east; a station 1 km north of its 4 km mark.
    route = [LatLon(49.0, 8.0 + i * 0.01) for i in range(11)]
    km_per_step = haversine_m(route[0], route[1]) / 1000
    at_4km = LatLon(49.0, 8.0 + 4 / km_per_step * 0.01)
    station = make_station("north", at_4km.lat + 1000 / 111_195, at_4km.lon)
    far = make_station("far", 49.2, 8.05)
    index = StationIndex([station, far])
    (hit,) = corridor_search(index, route, 2000)
    assert hit.station_index == 0
    assert abs(hit.distance_m - 1000) < 2
    assert abs(hit.distance_from_start_m - 4000) < 5
    assert haversine_m(hit.route_point, at_4km) < 5
    assert hit.segment_index == int(4 / km_per_step)


def test_an_empty_index_or_a_one_point_route_finds_nothing() -> None:
    assert corridor_search(StationIndex([]), [LatLon(49, 8), LatLon(49, 9)], 5000) == []
    index = StationIndex([make_station("a", 49, 8)])
    assert corridor_search(index, [LatLon(49, 8)], 5000) == []
