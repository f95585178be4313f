"""Station hops of a tour: drives between nearby candidate stations of one leg (station chains).

The optimizer may charge at A, drive straight to B, charge again and rejoin the route from B.
The drives come from the engine's matrix (`stations/hops.py`), their energy from the vehicle
model as an estimated detour's (one edge with the mean speed and the net climb, the leg's
payload). A hop no quicker than rejoining the route from A and leaving it again for B is left
out, and at most MAX_STATION_HOPS are kept per tour: those that save the most time.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from voltroute import bounds
from voltroute.planner import CandidateStation, PlannedLegInput, StationHop
from voltroute.planner.leg_profile import LegProfile
from voltroute.routing import Router, RoutingError
from voltroute.stations import DetourCache, HopCalculator, HopEnd
from voltroute.vehicles import edge_energy_kwh

if TYPE_CHECKING:
    from voltroute.planning.station_feed import RoutedTour


def station_hops(
    candidates: Sequence[CandidateStation],
    tour: RoutedTour,
    router: Router,
    cache: DetourCache | None = None,
) -> tuple[StationHop, ...]:
    """The useful hops between the candidates of each leg, from a few matrix requests a leg."""
    calculator = HopCalculator(router, failures=(RoutingError,), cache=cache)
    hops: list[StationHop] = []
    for leg_index, leg in enumerate(tour.legs):
        on_leg = _site_representatives(c for c in candidates if c.leg_index == leg_index)
        ends = [
            HopEnd(c.station_id, c.position, c.distance_along_leg_m, c.group_id) for c in on_leg
        ]
        for drive in calculator.drives(ends, tour.trucks[leg_index]):
            hops.append(
                StationHop(
                    leg_index=leg_index,
                    from_station_id=on_leg[drive.from_index].station_id,
                    to_station_id=on_leg[drive.to_index].station_id,
                    duration_s=drive.duration_s,
                    energy_kwh=edge_energy_kwh(
                        tour.vehicle, leg.payload_kg, drive.length_m, drive.duration_s, drive.rise_m
                    ),
                    distance_m=drive.length_m,
                )
            )
    return useful_hops(hops, candidates, tour.legs)


def useful_hops(
    hops: Sequence[StationHop],
    candidates: Sequence[CandidateStation],
    legs: Sequence[PlannedLegInput],
) -> tuple[StationHop, ...]:
    """The hops between two of these candidates, in route order, that save time over
    rejoining the route; the MAX_STATION_HOPS saving the most when there are more."""
    by_key = {(c.leg_index, c.station_id): c for c in candidates}
    profiles: dict[int, LegProfile] = {}
    saving_s: dict[StationHop, float] = {}
    for hop in hops:
        a = by_key.get((hop.leg_index, hop.from_station_id))
        b = by_key.get((hop.leg_index, hop.to_station_id))
        if a is None or b is None or _route_key(a) >= _route_key(b):
            continue
        if hop.leg_index not in profiles:
            profiles[hop.leg_index] = LegProfile(legs[hop.leg_index])
        profile = profiles[hop.leg_index]
        on_route_s = profile.time_at(b.distance_along_leg_m) - profile.time_at(
            a.distance_along_leg_m
        )
        saved_s = a.detour_from_s + on_route_s + b.detour_to_s - hop.duration_s
        if saved_s > 0:
            saving_s[hop] = saved_s
    kept = sorted(
        saving_s, key=lambda h: (-saving_s[h], h.leg_index, h.from_station_id, h.to_station_id)
    )[: bounds.MAX_STATION_HOPS]
    return tuple(
        sorted(
            kept,
            key=lambda h: (
                h.leg_index,
                _route_key(by_key[h.leg_index, h.from_station_id]),
                _route_key(by_key[h.leg_index, h.to_station_id]),
            ),
        )
    )


def _site_representatives(candidates: Iterable[CandidateStation]) -> list[CandidateStation]:
    # A register lists each charging unit of a site as a station (one group): they are
    # alternatives, not a chain, and a hop to or from the site's best one stands for them all.
    best: dict[object, CandidateStation] = {}
    for c in candidates:
        site = c.group_id if c.group_id is not None else ("station", c.station_id)
        known = best.get(site)
        if known is None or (-c.power_kw, c.station_id) < (-known.power_kw, known.station_id):
            best[site] = c
    return list(best.values())


def _route_key(candidate: CandidateStation) -> tuple[float, str]:
    # The optimizer's order of route points on a leg.
    return (candidate.distance_along_leg_m, candidate.station_id)
