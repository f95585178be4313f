from __future__ import annotations

from dataclasses import dataclass

import pytest

from voltroute.domain import LatLon, haversine_m
from voltroute.regions import Region
from voltroute.routing import EmbeddedValhallaRouter, RoutingError, TruckProfile
from voltroute.stations import DetourCache, DetourCalculator, StationCatalogue, StationFilter

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
