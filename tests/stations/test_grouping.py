from __future__ import annotations

from voltroute.stations import group_stations

from .conftest import make_station


def test_co_located_stations_share_a_group_with_the_most_powerful_representing_it() -> None:
    stations = [
        make_station("a", 49.0, 8.0, power_kw=150),
        make_station("b", 49.0002, 8.0, power_kw=400),  # 22 m north of a
        make_station("c", 49.1, 8.0),
    ]
    groups = group_stations(stations)
    assert [g.mapping for g in groups] == [1, 1, 2]
    assert [g.represents for g in groups] == [False, True, True]


def test_the_same_location_id_far_apart_is_a_position_conflict() -> None:
    stations = [
        make_station("a", 49.0, 8.0, location_id="LOC1"),
        make_station("b", 49.01, 8.0, location_id="LOC1"),
        make_station("c", 49.0, 8.0001, location_id="LOC2"),
    ]
    assert [g.poi_crash for g in group_stations(stations)] == [True, True, False]
