"""Warming a worker when it starts, so its first job pays nothing extra.

Per process: every region's station catalogue, the time zone finder, the toll tariffs. Per
planning thread: every region's router, since the embedded router builds one Valhalla Actor
per thread on first use; a short leg and a one-cell matrix inside the region also read the
tiles and elevation the engine needs first.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass

import structlog

from voltroute.domain import LatLon, haversine_m
from voltroute.planning.pipeline import PlanningServices
from voltroute.planning.region_planning import RegionPlanning
from voltroute.regions import Region, ServedRegions
from voltroute.routing import RoutingError, TruckProfile
from voltroute.stations import StationCatalogue
from voltroute.stations.hours import time_zone_finder
from voltroute.tolls.tariff import packaged_tariffs

log = structlog.get_logger(__name__)

# Light, so that no weight or axle-load limit keeps the short leg from a route: the leg is
# there to build the engine and read tiles, not to test truck restrictions.
WARM_UP_TRUCK = TruckProfile(gross_mass_kg=3_500.0, axle_count=2)
WARM_UP_LEG_DEG = 0.01  # about 1.1 km north: short, yet through the real network


@dataclass(frozen=True, slots=True)
class RegionWarmUp:
    """How warming one region's router in one thread went."""

    region_name: str
    routed: bool  # False: the leg found no route (the engine is still built), see problem
    seconds: float
    problem: str | None = None


def warm_up_leg(region: Region, stations: StationCatalogue | None) -> tuple[LatLon, LatLon]:
    """A short leg inside the region: from the station nearest its centre (stations lie by
    roads), or from the centre when it has none, about 1 km north."""
    min_lat, min_lon, max_lat, max_lon = region.manifest.bbox
    centre = LatLon((min_lat + max_lat) / 2, (min_lon + max_lon) / 2)
    start = centre
    if stations is not None and stations.stations:
        inside = [
            s.position for s in stations.stations if region.contains(s.position.lat, s.position.lon)
        ]
        if inside:
            start = min(inside, key=lambda position: haversine_m(position, centre))
    return start, LatLon(start.lat + WARM_UP_LEG_DEG, start.lon)


def warm_router(region: Region, services: PlanningServices) -> RegionWarmUp:
    """Route the region's warm-up leg and a matrix over it in the calling thread."""
    started = time.perf_counter()
    start, stop = warm_up_leg(region, services.stations)
    try:
        services.router.route(start, stop, WARM_UP_TRUCK)
        services.router.matrix([start], [stop], WARM_UP_TRUCK)
    except RoutingError as error:
        return RegionWarmUp(region.name, False, time.perf_counter() - started, str(error))
    return RegionWarmUp(region.name, True, time.perf_counter() - started)


class WorkerWarmUp:
    """Warms a worker: warm_process once at start, warm_thread in each planning thread as it
    starts (a queue start-up hook); logs the time each took, and the whole once all are done."""

    def __init__(
        self,
        regions: ServedRegions,
        planning: RegionPlanning,
        thread_count: int,
        started_s: float,
    ) -> None:
        """planning is built (each region's router and station catalogue loaded); started_s is
        the worker's start on time.perf_counter's clock, so the logged time includes that."""
        self.regions = regions
        self.planning = planning
        self.thread_count = thread_count
        self._started_s = started_s
        self._threads_done = 0
        self._lock = threading.Lock()

    def warm_process(self) -> None:
        """Load what every thread shares beyond the services: time zones and toll tariffs."""
        time_zone_finder()
        packaged_tariffs()
        log.info(
            "worker process warmed up",
            regions=list(self.regions.names),
            stations={
                name: len(services.stations.stations) if services.stations else 0
                for name, services in self.planning
            },
            seconds=round(time.perf_counter() - self._started_s, 3),
        )

    def warm_thread(self) -> list[RegionWarmUp]:
        """Warm every region's router in this thread; what happened per region."""
        started = time.perf_counter()
        results = [
            warm_router(region, self.planning.for_region(region.name)) for region in self.regions
        ]
        for result in results:
            if not result.routed:
                log.warning(
                    "warm-up leg found no route; the engine is built nonetheless",
                    region=result.region_name,
                    problem=result.problem,
                )
        log.info(
            "planning thread warmed up",
            thread=threading.current_thread().name,
            regions=_seconds_by_region(results),
            seconds=round(time.perf_counter() - started, 3),
        )
        with self._lock:
            self._threads_done += 1
            everyone = self._threads_done == self.thread_count
        if everyone:
            log.info(
                "worker warmed up",
                regions=list(self.regions.names),
                threads=self.thread_count,
                seconds=round(time.perf_counter() - self._started_s, 3),
            )
        return results


def _seconds_by_region(results: Sequence[RegionWarmUp]) -> dict[str, float]:
    return {result.region_name: round(result.seconds, 3) for result in results}
