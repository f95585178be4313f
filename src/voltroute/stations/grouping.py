"""Co-located stations form a group with one representative; conflicting positions are flagged.

Group: stations within GROUP_RADIUS_M of each other (transitively) are one site, e.g. a
register listing each charging unit of a motorway service area separately. The representative
is the most powerful one (then the smallest id). A position conflict (`poi_crash`) is our
definition, since the contract gives none: another station carries the same OCPI location id
but lies more than CRASH_DISTANCE_M away, so the sources disagree on where the site is.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from voltroute.domain import EARTH_RADIUS_M, haversine_m
from voltroute.stations.model import Station

GROUP_RADIUS_M = 50.0
CRASH_DISTANCE_M = 100.0
_RADIUS_LAT_DEG = GROUP_RADIUS_M / (EARTH_RADIUS_M * 3.141592653589793 / 180.0)


@dataclass(frozen=True, slots=True)
class GroupInfo:
    """Per station: its group id (1-based), whether it represents the group, position conflict."""

    mapping: int
    represents: bool
    poi_crash: bool


def group_stations(stations: Sequence[Station]) -> list[GroupInfo]:
    """GroupInfo for each station, in the given order; group ids follow first appearance."""
    parent = list(range(len(stations)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    # Sweep in latitude order: only neighbours within the radius in latitude can be in range.
    by_lat = sorted(range(len(stations)), key=lambda i: stations[i].position.lat)
    for k, i in enumerate(by_lat):
        for j in by_lat[k + 1 :]:
            if stations[j].position.lat - stations[i].position.lat > _RADIUS_LAT_DEG:
                break
            if haversine_m(stations[i].position, stations[j].position) <= GROUP_RADIUS_M:
                parent[find(j)] = find(i)
    roots = [find(i) for i in range(len(stations))]
    group_ids: dict[int, int] = {}
    best: dict[int, int] = {}
    for i, root in enumerate(roots):
        group_ids.setdefault(root, len(group_ids) + 1)
        if root not in best or _rank(stations[i]) < _rank(stations[best[root]]):
            best[root] = i
    crashes = _crashes(stations)
    return [
        GroupInfo(group_ids[root], best[root] == i, i in crashes) for i, root in enumerate(roots)
    ]


def _rank(station: Station) -> tuple[float, str]:
    return (-station.max_power_kw, station.station_id)


def _crashes(stations: Sequence[Station]) -> set[int]:
    by_location: dict[str, list[int]] = {}
    for i, station in enumerate(stations):
        if station.location_id:
            by_location.setdefault(station.location_id, []).append(i)
    crashed: set[int] = set()
    for members in by_location.values():
        for a in members:
            for b in members:
                if a < b and (
                    haversine_m(stations[a].position, stations[b].position) > CRASH_DISTANCE_M
                ):
                    crashed |= {a, b}
    return crashed
