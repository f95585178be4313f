"""Drives between nearby stations of one leg: which pairs are asked, and how the matrix answers."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import pytest

from voltroute import bounds
from voltroute.domain import LatLon, haversine_m
from voltroute.routing import RoutingError
from voltroute.stations import DetourCache, HopCalculator, HopEnd, nearby_pairs
from voltroute.stations.hops import HOP_MATRIX_MAX_CELLS, _clusters

KM_LAT = 1 / 111.2  # degrees of latitude per km


def end(
    station_id: str,
    km: float,
    *,
    north_km: float | None = None,
    east_km: float = 0.0,
    group: int | None = None,
) -> HopEnd:
    """A station km along a northbound leg, north_km north (as far as along unless the road
    bends) and east_km east of the start."""
    north = km if north_km is None else north_km
    return HopEnd(
        station_id, LatLon(52.0 + north * KM_LAT, 13.0 + east_km / 68.5), km * 1000.0, group
    )


def ids(ends: Sequence[HopEnd], pairs: list[tuple[int, int]]) -> list[tuple[str, str]]:
    return [(ends[i].station_id, ends[j].station_id) for i, j in pairs]


def test_a_pair_runs_forward_in_route_order_and_equal_distances_go_by_station_id() -> None:
    ends = [end("b", 1.0), end("a", 1.0), end("c", 0.5, east_km=0.3)]
    assert sorted(ids(ends, nearby_pairs(ends))) == [("a", "b"), ("c", "a"), ("c", "b")]


def test_stations_too_far_apart_along_the_leg_or_as_the_crow_flies_make_no_pair() -> None:
    along_km = bounds.HOP_MAX_ALONG_LEG_M / 1000
    straight_km = bounds.HOP_MAX_STRAIGHT_M / 1000
    ends = [
        end("start", 0.0),
        # The leg winds: far along it, but near as the crow flies.
        end("near", along_km - 0.1, north_km=1.0),
        end("beyond", along_km + 0.1, north_km=1.5),
        end("across", 1.0, east_km=straight_km + 0.5),
    ]
    assert ids(ends, nearby_pairs(ends)) == [("start", "near"), ("near", "beyond")]


def test_stations_of_one_site_are_alternatives_not_a_chain() -> None:
    ends = [end("unit-1", 0.0, group=7), end("unit-2", 0.1, group=7), end("other", 0.2, group=8)]
    assert ids(ends, nearby_pairs(ends)) == [("unit-1", "other"), ("unit-2", "other")]


def test_a_station_keeps_its_nearest_followers_only() -> None:
    ends = [end("a", 0.0)] + [end(f"f{k}", 0.1 * k) for k in range(1, 9)]
    from_a = [b for a, b in ids(ends, nearby_pairs(ends)) if a == "a"]
    assert from_a == [f"f{k}" for k in range(1, bounds.HOP_MAX_PARTNERS + 1)]


@dataclass(frozen=True)
class _Cost:
    length_m: float
    duration_s: float


class _Engine:
    """Straight-line costs (x1.4, 12 m/s); "island" stations unreachable, "odd" ones infinite;
    height 10 m a km north."""

    def __init__(self) -> None:
        self.matrices: list[tuple[int, int]] = []
        self.heights_asked = 0

    def matrix(
        self, sources: Sequence[LatLon], targets: Sequence[LatLon], truck: str
    ) -> list[list[_Cost | None]]:
        self.matrices.append((len(sources), len(targets)))
        return [[self._cost(s, t) for t in targets] for s in sources]

    def _cost(self, s: LatLon, t: LatLon) -> _Cost | None:
        if t.lon > 13.5:
            return None
        if t.lon > 13.4:
            return _Cost(math.inf, math.inf)
        meters = haversine_m(s, t) * 1.4
        return _Cost(meters, meters / 12.0)

    def heights(self, points: Sequence[LatLon]) -> list[float | None]:
        self.heights_asked += 1
        return [(p.lat - 52.0) / KM_LAT * 10.0 for p in points]


def test_drives_come_from_the_matrix_with_the_climb_and_unroutable_pairs_are_dropped() -> None:
    engine = _Engine()
    ends = [
        end("a", 0.0),
        end("b", 2.0),
        HopEnd("island", LatLon(52.0 + 3 * KM_LAT, 13.6), 3000.0),
        HopEnd("odd", LatLon(52.0 + 3 * KM_LAT, 13.45), 3000.0),
    ]
    drives = HopCalculator(engine).drives(ends, "40t")
    assert [(ends[d.from_index].station_id, ends[d.to_index].station_id) for d in drives] == [
        ("a", "b")
    ]
    (drive,) = drives
    assert drive.length_m == pytest.approx(2000.0 * 1.4, rel=1e-3)
    assert drive.duration_s == pytest.approx(drive.length_m / 12.0)
    assert drive.rise_m == pytest.approx(20.0, rel=1e-3)
    assert engine.heights_asked == 1


def test_many_pairs_share_few_small_matrix_requests_and_the_cache_answers_again() -> None:
    engine = _Engine()
    cache = DetourCache()
    # A station every 300 m over 30 km: every one has its full share of followers.
    ends = [end(f"s{k:03d}", 0.3 * k, east_km=0.2 * (k % 3)) for k in range(100)]
    drives = HopCalculator(engine, failures=(RoutingError,), cache=cache).drives(ends, "40t")
    assert len(drives) == len(nearby_pairs(ends)) >= 3 * len(ends)
    assert all(s * t <= HOP_MATRIX_MAX_CELLS for s, t in engine.matrices)
    assert len(engine.matrices) <= len(drives) / 10
    # One request per cluster of pairs, and none asked twice.
    assert len(engine.matrices) == len(_clusters(ends, nearby_pairs(ends)))
    asked = len(engine.matrices)
    assert HopCalculator(engine, cache=cache).drives(ends, "40t") == drives
    assert len(engine.matrices) == asked
    # Another truck is another drive.
    HopCalculator(engine, cache=cache).drives(ends, "18t")
    assert len(engine.matrices) == 2 * asked


class _FailingEngine(_Engine):
    def matrix(
        self, sources: Sequence[LatLon], targets: Sequence[LatLon], truck: str
    ) -> list[list[_Cost | None]]:
        if self.matrices:
            raise RoutingError("the engine is gone")
        return super().matrix(sources, targets, truck)


def test_a_routing_failure_keeps_the_drives_found_before_it() -> None:
    engine = _FailingEngine()
    ends = [end(f"s{k:03d}", 0.3 * k) for k in range(100)]
    drives = HopCalculator(engine, failures=(RoutingError,)).drives(ends, "40t")
    assert 0 < len(drives) < len(nearby_pairs(ends))
