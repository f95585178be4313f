"""Station hops (issue 21's chains: charge at A, drive straight to B, charge again) on the Berlin
tour with the Bundesnetzagentur register: routed by the real engine's matrix, between nearby
candidates of one leg in route order, none slower than rejoining the route, into the problem."""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from tests.jobs.test_results import HEIDELBERG
from tests.jobs.test_results import leg as make_leg

from voltroute import bounds
from voltroute.api.schemas.request import PlannerRequest
from voltroute.domain import LatLon, haversine_m
from voltroute.planner import CandidateStation, Plan, PlanningProblem, StationHop, plan_tour
from voltroute.planner.leg_profile import LegProfile
from voltroute.planning.station_feed import (
    RoutedTour,
    StationFeed,
    StationQuery,
    StationServices,
    station_feed,
    with_routed_detours,
)
from voltroute.planning.station_hops import station_hops, useful_hops
from voltroute.regions import Region
from voltroute.routing import Router, TravelCost, TruckProfile
from voltroute.stations import DetourCache
from voltroute.stations.hops import HOP_MATRIX_MAX_CELLS
from voltroute.tours.local import plan_locally
from voltroute.vehicles import Connector

REPO = Path(__file__).resolve().parents[2]
CORRIDOR_M = 2000


def candidate(
    station_id: str, along_m: float, *, to_s: float = 100.0, from_s: float = 100.0
) -> CandidateStation:
    return CandidateStation(
        station_id=station_id,
        name=station_id,
        position=LatLon(HEIDELBERG.lat + 0.01, HEIDELBERG.lon + along_m / 72_000),
        leg_index=0,
        distance_along_leg_m=along_m,
        detour_to_s=to_s,
        detour_from_s=from_s,
        detour_to_kwh=1.0,
        detour_from_kwh=1.0,
        detour_m=2000.0,
        power_kw=400.0,
        connector=Connector.CCS,
    )


def hop(a: str, b: str, duration_s: float, leg_index: int = 0) -> StationHop:
    return StationHop(leg_index, a, b, duration_s, energy_kwh=2.0, distance_m=3000.0)


def test_a_hop_no_quicker_than_rejoining_the_route_or_without_both_candidates_is_dropped() -> None:
    # 10 km in 450 s: A (2 km) to B (4 km) is 90 s on the route, 100 s off it at either end.
    legs = (make_leg(HEIDELBERG, 10.0),)
    candidates = [candidate("a", 2000.0), candidate("b", 4000.0), candidate("c", 4000.0)]
    hops = [
        hop("a", "b", 289.0),
        hop("a", "c", 290.0),  # exactly rejoining: pointless
        hop("b", "a", 10.0),  # backwards
        hop("b", "c", 10.0),  # same distance: b before c by id
        hop("c", "b", 10.0),
        hop("a", "gone", 10.0),
        hop("a", "b", 10.0, leg_index=1),
    ]
    assert useful_hops(hops, candidates, legs) == (hop("a", "b", 289.0), hop("b", "c", 10.0))


def test_beyond_the_cap_the_hops_saving_the_most_time_are_kept(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(bounds, "MAX_STATION_HOPS", 2)
    legs = (make_leg(HEIDELBERG, 10.0),)
    candidates = [candidate(s, 1000.0 * (k + 1)) for k, s in enumerate("abcd")]
    hops = [hop("a", "b", 250.0), hop("b", "c", 100.0), hop("a", "d", 200.0)]
    assert useful_hops(hops, candidates, legs) == (hop("a", "d", 200.0), hop("b", "c", 100.0))


# --- The Berlin tour -----------------------------------------------------------------------------


@dataclass
class Planned:
    """The Berlin example tour planned through the pipeline, and what its stations stage saw."""

    result: dict[str, Any]
    tour: RoutedTour
    query: StationQuery
    services: StationServices
    feed: StationFeed  # station_feed's first answer
    problems: list[PlanningProblem]  # every problem the pipeline planned
    plans: list[Plan]  # and their plans
    routed: list[set[str]]  # the stations whose detours the pipeline routed, each round

    def candidates(self) -> dict[tuple[int, str], CandidateStation]:
        return {(c.leg_index, c.station_id): c for c in self.feed.candidates}


@pytest.fixture(scope="module")
def berlin(berlin_brandenburg_region: Region) -> Planned:
    calls: list[tuple[RoutedTour, StationQuery, StationServices, StationFeed]] = []
    problems: list[PlanningProblem] = []

    def feed_spy(tour: RoutedTour, query: StationQuery, services: StationServices) -> StationFeed:
        feed = station_feed(tour, query, services)
        calls.append((tour, query, services, feed))
        return feed

    plans: list[Plan] = []
    routed: list[set[str]] = []

    def plan_spy(problem: PlanningProblem) -> Plan:
        problems.append(problem)
        plans.append(plan_tour(problem))
        return plans[-1]

    def routed_spy(
        feed: StationFeed, station_ids: set[str], tour: RoutedTour, services: StationServices
    ) -> StationFeed | None:
        routed.append(set(station_ids))
        return with_routed_detours(feed, station_ids, tour, services)

    body = json.loads((REPO / "examples" / "berlin-brandenburg-tour.json").read_text())
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("voltroute.planning.pipeline.station_feed", feed_spy)
        patch.setattr("voltroute.planning.pipeline.plan_tour", plan_spy)
        patch.setattr("voltroute.planning.pipeline.with_routed_detours", routed_spy)
        result = plan_locally(
            PlannerRequest.model_validate(body), berlin_brandenburg_region.path, CORRIDOR_M
        )
    tour, query, services, feed = calls[0]
    return Planned(result, tour, query, services, feed, problems, plans, routed)


@pytest.mark.integration
def test_the_berlin_tour_has_hops_between_nearby_candidates_of_one_leg_in_route_order(
    berlin: Planned,
) -> None:
    hops = berlin.feed.hops
    candidates = berlin.candidates()
    assert len(hops) >= 50
    assert len({h.leg_index for h in hops}) >= 2  # Oranienburg-Bernau, Wusterhausen-Potsdam
    assert len(hops) <= bounds.MAX_STATION_HOPS
    for h in hops:
        a = candidates[h.leg_index, h.from_station_id]
        b = candidates[h.leg_index, h.to_station_id]
        assert (a.distance_along_leg_m, a.station_id) < (b.distance_along_leg_m, b.station_id)
        assert b.distance_along_leg_m - a.distance_along_leg_m <= bounds.HOP_MAX_ALONG_LEG_M
        assert haversine_m(a.position, b.position) <= bounds.HOP_MAX_STRAIGHT_M
        assert a.group_id != b.group_id  # one site's charging units are no chain
    assert len(set(hops)) == len(hops)


@pytest.mark.integration
def test_every_hop_is_the_engine_s_drive_between_its_two_stations(berlin: Planned) -> None:
    candidates = berlin.candidates()
    router = berlin.services.router
    for h in berlin.feed.hops:
        a = candidates[h.leg_index, h.from_station_id]
        b = candidates[h.leg_index, h.to_station_id]
        assert math.isfinite(h.duration_s)
        assert h.duration_s > 0
        assert math.isfinite(h.energy_kwh)
        assert abs(h.energy_kwh) < h.distance_m / 1000 * 3.0
        # The engine drives from where the station meets the road: as far as the crow flies
        # from there at least, at a truck's speed, and as long as the full route (2 %).
        routed = router.route(a.position, b.position, berlin.tour.trucks[h.leg_index])
        first, last = routed.shape[0], routed.shape[-1]
        snapped_m = haversine_m(LatLon(first.lat, first.lon), LatLon(last.lat, last.lon))
        assert h.distance_m >= snapped_m
        assert h.distance_m / h.duration_s <= 90 / 3.6
        assert h.distance_m == pytest.approx(routed.length_m, rel=0.02, abs=20)


@pytest.mark.integration
def test_no_hop_is_slower_than_rejoining_the_route_between_its_stations(berlin: Planned) -> None:
    candidates = berlin.candidates()
    for h in berlin.feed.hops:
        a = candidates[h.leg_index, h.from_station_id]
        b = candidates[h.leg_index, h.to_station_id]
        profile = LegProfile(berlin.tour.legs[h.leg_index])
        on_route_s = profile.time_at(b.distance_along_leg_m) - profile.time_at(
            a.distance_along_leg_m
        )
        assert h.duration_s < a.detour_from_s + on_route_s + b.detour_to_s


class CountingRouter:
    """The real router, counting the matrix and heights requests it passes on."""

    def __init__(self, router: Router) -> None:
        self.router = router
        self.matrices: list[tuple[int, int, TruckProfile]] = []
        self.heights_asked = 0

    def matrix(
        self, sources: Sequence[LatLon], targets: Sequence[LatLon], truck: TruckProfile
    ) -> list[list[TravelCost | None]]:
        self.matrices.append((len(sources), len(targets), truck))
        return self.router.matrix(sources, targets, truck)

    def heights(self, points: Sequence[LatLon]) -> list[float | None]:
        self.heights_asked += 1
        return self.router.heights(points)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.router, name)


@pytest.mark.integration
def test_a_leg_s_hops_come_from_a_few_small_matrix_requests_and_the_cache_answers_again(
    berlin: Planned,
) -> None:
    counting = CountingRouter(berlin.services.router)
    cache = DetourCache()
    router: Any = counting  # a Router in all but name: it passes every call on
    hops = station_hops(berlin.feed.candidates, berlin.tour, router, cache)
    assert hops == berlin.feed.hops
    # About 170 hops from 7 requests: each holds many pairs, and no leg needs more than a few.
    assert len(counting.matrices) <= 2 * len(berlin.tour.legs)
    assert len(hops) >= 10 * len(counting.matrices)
    assert all(s * t <= HOP_MATRIX_MAX_CELLS for s, t, _ in counting.matrices)
    assert counting.heights_asked <= len(berlin.tour.legs)  # one a leg, for the climbs
    asked = len(counting.matrices)
    assert station_hops(berlin.feed.candidates, berlin.tour, router, cache) == hops
    assert len(counting.matrices) == asked


@pytest.mark.integration
def test_hops_survive_routing_the_detours_of_their_stations(berlin: Planned) -> None:
    first = berlin.feed.hops[0]
    refined = with_routed_detours(
        berlin.feed, {first.from_station_id, first.to_station_id}, berlin.tour, berlin.services
    )
    assert refined is not None
    assert refined.hops
    keys = {(c.leg_index, c.station_id) for c in refined.candidates}
    for h in refined.hops:
        assert (h.leg_index, h.from_station_id) in keys
        assert (h.leg_index, h.to_station_id) in keys
    assert set(refined.hops) <= set(berlin.feed.hops)
    assert len(refined.hops) >= len(berlin.feed.hops) - 5


@pytest.mark.integration
def test_a_tour_with_hops_plans_end_to_end_and_every_problem_carries_them(
    berlin: Planned,
) -> None:
    assert berlin.result["status"] == "succeeded"
    assert berlin.problems
    for problem in berlin.problems:
        assert problem.station_hops
        keys = {(c.leg_index, c.station_id) for c in problem.stations}
        for h in problem.station_hops:
            assert (h.leg_index, h.from_station_id) in keys
            assert (h.leg_index, h.to_station_id) in keys
    assert berlin.problems[0].station_hops == berlin.feed.hops


@pytest.mark.integration
def test_a_station_passed_by_after_a_hop_has_its_way_back_routed_like_a_stop(
    berlin: Planned,
) -> None:
    # The example tour charges once and takes a nearby station's shorter way back (its plan
    # since the hops): that way is then routed edge by edge, as a charging stop's detour is.
    passed = {s.passed_station_id for p in berlin.plans for s in p.sections} - {None}
    assert passed
    assert all(any(p in ids for ids in berlin.routed) for p in passed)
