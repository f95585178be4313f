"""The stations a process serves, in memory: loaded once, indexed, searched per plan."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from voltroute.domain import LatLon
from voltroute.stations.corridor import StationIndex, corridor_search
from voltroute.stations.filters import StationFilter
from voltroute.stations.model import Station
from voltroute.stations.registry import StationRegistry


@dataclass(frozen=True, slots=True)
class StationHit:
    """A station within the corridor of one leg, and whether the request's filters accept it."""

    station: Station
    leg_index: int
    distance_m: float  # to the route geometry
    distance_from_start_m: float  # along this leg to the nearest route point
    route_point: LatLon
    segment_index: int  # route shape segment of the nearest point
    accepted: bool  # passes the request's poi_info filters
    power_kw: float  # best power among the charge points the filters accept (0 if none)


class StationCatalogue:
    """Stations with a spatial index; extra (tenant) stations can be laid over per query."""

    def __init__(self, stations: Sequence[Station]) -> None:
        self.stations = tuple(stations)
        self.index = StationIndex(self.stations)
        self.by_id = {s.station_id: s for s in self.stations}

    @classmethod
    def load(cls, registry: StationRegistry) -> StationCatalogue:
        """Every station of a registry (overlays merged); an absent registry gives none."""
        stations, _unmatched = registry.load()
        return cls(stations)

    def with_extra(self, extra: Sequence[Station]) -> StationCatalogue:
        """This catalogue plus extra stations (a tenant's own); same ids are replaced."""
        if not extra:
            return self
        replaced = {s.station_id for s in extra}
        return StationCatalogue(
            [s for s in self.stations if s.station_id not in replaced] + [*extra]
        )

    def in_bbox(
        self, min_lat: float, min_lon: float, max_lat: float, max_lon: float
    ) -> list[Station]:
        """Stations inside a lat/lon box, in id order."""
        # The grid gives the stations of the cells the box touches; the exact test follows.
        _box, near = self.index.near_boxes(
            np.array([min_lat]), np.array([max_lat]), np.array([min_lon]), np.array([max_lon])
        )
        inside = near[
            (self.index.lat[near] >= min_lat)
            & (self.index.lat[near] <= max_lat)
            & (self.index.lon[near] >= min_lon)
            & (self.index.lon[near] <= max_lon)
        ]
        return sorted((self.stations[int(i)] for i in inside), key=lambda s: s.station_id)

    def corridor(
        self,
        leg_shapes: Sequence[Sequence[LatLon]],
        corridor_m: float,
        station_filter: StationFilter,
    ) -> list[StationHit]:
        """Every station within corridor_m of each leg, in leg order then along the leg."""
        hits: list[StationHit] = []
        for leg_index, shape in enumerate(leg_shapes):
            for hit in corridor_search(self.index, shape, corridor_m):
                station = self.stations[hit.station_index]
                hits.append(
                    StationHit(
                        station=station,
                        leg_index=leg_index,
                        distance_m=hit.distance_m,
                        distance_from_start_m=hit.distance_from_start_m,
                        route_point=hit.route_point,
                        segment_index=hit.segment_index,
                        accepted=station_filter.accepts(station),
                        power_kw=station_filter.power_kw(station),
                    )
                )
        return hits
