from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pytest

from voltroute.domain import LatLon, haversine_m
from voltroute.regions import Region
from voltroute.routing import EmbeddedValhallaRouter, RoutingError, TruckProfile
from voltroute.stations import (
    DetourCache,
    DetourCalculator,
    DetourRequest,
    StationCatalogue,
    StationFilter,
    StationRegistry,
)

from .conftest import make_station


@dataclass(frozen=True)
class _Leg:
    length_m: float
    duration_s: float


class _CountingRouter:
    def __init__(self) -> None:
        self.calls = 0

    def route(self, start: LatLon, stop: LatLon, truck: str) -> _Leg:
        self.calls += 1
        if stop.lat > 50:
            raise RoutingError("off the network")
        return _Leg(haversine_m(start, stop) * 1.3, 60.0)


def test_detours_are_cached_per_station_and_route_point() -> None:
    router = _CountingRouter()
    detours = DetourCalculator(router, failures=(RoutingError,))
    station = make_station("s", 49.0, 8.01)
    first = detours.detour(station, LatLon(49.0, 8.0), "40t")
    again = detours.detour(station, LatLon(49.0000001, 8.0), "40t")
    assert first is again
    assert router.calls == 2
    assert first is not None
    assert first.duration_s == 120.0
    assert detours.detour(make_station("sea", 54.0, 8.0), LatLon(49, 8), "40t") is None


def test_a_shared_cache_keeps_detours_across_plans_and_reroutes_a_moved_station() -> None:
    router = _CountingRouter()
    cache = DetourCache(max_entries=2)
    point = LatLon(49.0, 8.0)
    first = DetourCalculator(router, cache=cache).detour(
        make_station("s", 49.0, 8.01), point, "40t"
    )
    # The next plan's calculator finds it in the cache: no routing.
    again = DetourCalculator(router, cache=cache).detour(
        make_station("s", 49.0, 8.01), point, "40t"
    )
    assert again is first
    assert router.calls == 2
    moved = DetourCalculator(router, cache=cache).detour(
        make_station("s", 49.0, 8.02), point, "40t"
    )
    assert moved is not None
    assert first is not None
    assert moved.distance_m > first.distance_m
    assert router.calls == 4
    # Two entries at most: the least recently used one (the first position) is gone.
    DetourCalculator(router, cache=cache).detour(make_station("t", 49.0, 8.03), point, "40t")
    assert len(cache) == 2
    DetourCalculator(router, cache=cache).detour(make_station("s", 49.0, 8.01), point, "40t")
    assert router.calls == 8


def test_a_detour_cache_needs_room_for_one_entry() -> None:
    with pytest.raises(ValueError, match="max_entries"):
        DetourCache(max_entries=0)


@pytest.mark.integration
def test_the_detour_to_a_scenario_site_is_the_routed_drive_there_and_back(
    heidelberg_region: Region,
) -> None:
    # The A 5 from the Heidelberg interchange south to Walldorf passes the Sandhausen P+M site.
    site = make_station("sandhausen", 49.370866, 8.62335)
    route = [LatLon(49.4437, 8.5869), LatLon(49.3700, 8.6324)]
    truck = TruckProfile(gross_mass_kg=40_000)
    router = EmbeddedValhallaRouter(heidelberg_region.valhalla_config_path())
    try:
        leg = router.route(route[0], route[1], truck)
        shape = [LatLon(p.lat, p.lon) for p in leg.shape]
        (hit,) = StationCatalogue([site]).corridor([shape], 3000, StationFilter())
        detour = DetourCalculator(router, failures=(RoutingError,)).detour(
            site, hit.route_point, truck
        )
        assert detour is not None
        to_site = router.route(hit.route_point, site.position, truck)
        assert detour.to_m == to_site.length_m
        assert detour.distance_m >= 2 * haversine_m(hit.route_point, site.position)
    finally:
        router.close()


class _MatrixRouter(_CountingRouter):
    """Straight-line costs (x1.3, 20 m/s), stations north of 50 N unreachable, flat land."""

    def __init__(self) -> None:
        super().__init__()
        self.matrices: list[tuple[int, int]] = []

    def matrix(
        self, sources: Sequence[LatLon], targets: Sequence[LatLon], truck: str
    ) -> list[list[_Leg | None]]:
        self.matrices.append((len(sources), len(targets)))
        return [
            [
                None
                if max(s.lat, t.lat) > 50
                else _Leg(haversine_m(s, t) * 1.3, haversine_m(s, t) * 1.3 / 20.0)
                for t in targets
            ]
            for s in sources
        ]

    def heights(self, points: Sequence[LatLon]) -> list[float | None]:
        return [100.0 + 1000.0 * (p.lon - 8.0) for p in points]


def test_estimates_come_from_few_matrices_of_nearby_stations() -> None:
    router = _MatrixRouter()
    detours = DetourCalculator(router, failures=(RoutingError,))
    # 30 stations along 65 km of route, and one out at sea.
    requests = [
        DetourRequest(
            make_station(f"s{i}", 49.0 + i * 0.02, 8.01), LatLon(49.0 + i * 0.02, 8.0), "40t"
        )
        for i in range(30)
    ] + [DetourRequest(make_station("sea", 54.0, 8.0), LatLon(49.5, 8.0), "40t")]
    estimates = detours.estimate_many(router, requests)
    assert router.calls == 0  # nothing routed edge by edge
    assert estimates[-1] is None
    first = estimates[0]
    assert first is not None
    assert not first.routed
    assert first.to_m == pytest.approx(haversine_m(LatLon(49.0, 8.0), LatLon(49.0, 8.01)) * 1.3)
    assert first.rise_m == pytest.approx(10.0)  # the station lies 0.01 deg east: 10 m higher
    # Clusters stay within 15 km along the route and 24 stations: a handful of requests.
    assert 2 * 3 <= len(router.matrices) <= 2 * 6
    assert all(n <= 24 for pair in router.matrices for n in pair)
    # Asked again, the cache answers.
    calls = len(router.matrices)
    assert detours.estimate_many(router, requests) == estimates
    assert len(router.matrices) == calls


def test_a_routed_detour_in_the_cache_is_preferred_to_an_estimate() -> None:
    router = _MatrixRouter()
    cache = DetourCache()
    station, point = make_station("s", 49.0, 8.01), LatLon(49.0, 8.0)
    routed = DetourCalculator(router, cache=cache).detour(station, point, "40t")
    (again,) = DetourCalculator(router, cache=cache).estimate_many(
        router, [DetourRequest(station, point, "40t")]
    )
    assert again is routed
    assert router.matrices == []


@pytest.mark.integration
def test_estimated_detours_agree_with_routed_ones_on_most_stations(
    heidelberg_region: Region,
) -> None:
    # The demo region's scenario sites along a leg across the region, 5 km either side. The
    # matrix snaps the route point to the nearest road, the route to the leg's own carriageway:
    # at an interchange the two can leave by different roads, so "most", not "all".
    truck = TruckProfile(gross_mass_kg=40_000)
    router = EmbeddedValhallaRouter(heidelberg_region.valhalla_config_path())
    try:
        catalogue = StationCatalogue.load(StationRegistry.in_region(heidelberg_region.path))
        leg = router.route(LatLon(49.4350, 8.5900), LatLon(49.3560, 9.0900), truck)
        shape = [LatLon(p.lat, p.lon) for p in leg.shape]
        hits = catalogue.corridor([shape], 5000, StationFilter())
        assert len(hits) >= 5
        calculator = DetourCalculator(router, failures=(RoutingError,))
        requests = [DetourRequest(h.station, h.route_point, truck) for h in hits]
        estimates = calculator.estimate_many(router, requests)
        agree = 0
        for request, estimate in zip(requests, estimates, strict=True):
            routed = calculator.detour(request.station, request.route_point, truck)
            assert (estimate is None) == (routed is None)
            if estimate is not None and routed is not None:
                assert routed.routed
                assert not estimate.routed
                agree += (
                    abs(estimate.distance_m - routed.distance_m) <= 0.02 * routed.distance_m + 20
                )
        assert agree >= 0.75 * len(hits)
    finally:
        router.close()
