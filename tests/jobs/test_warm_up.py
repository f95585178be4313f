"""A worker warms every region's router in each planning thread before its first job."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from structlog.testing import capture_logs

from voltroute.composition import Backend
from voltroute.config import Settings
from voltroute.jobs.warm_up import RegionWarmUp, WorkerWarmUp, warm_up_leg
from voltroute.regions import Region

pytestmark = pytest.mark.integration


@pytest.fixture
def backend(tmp_path: Path, berlin_brandenburg_region: Region, denmark_region: Region) -> Backend:
    settings = Settings(
        data_dir=tmp_path, region_dirs=[berlin_brandenburg_region.path, denmark_region.path]
    )
    return Backend(settings)


def in_new_thread(warm_up: WorkerWarmUp) -> list[RegionWarmUp]:
    results: list[RegionWarmUp] = []
    thread = threading.Thread(target=lambda: results.extend(warm_up.warm_thread()))
    thread.start()
    thread.join()
    return results


def test_the_warm_up_leg_starts_at_the_station_nearest_the_regions_centre(
    backend: Backend,
) -> None:
    region = backend.regions.default
    stations = backend.region_stations[region.name]

    start, stop = warm_up_leg(region, stations)

    assert start in {station.position for station in stations.stations}
    assert region.contains(start.lat, start.lon)
    assert stop.lat > start.lat
    assert stop.lon == start.lon


def test_a_region_without_stations_warms_from_its_centre(north_bayreuth_region: Region) -> None:
    start, _ = warm_up_leg(north_bayreuth_region, None)
    min_lat, min_lon, max_lat, max_lon = north_bayreuth_region.manifest.bbox
    assert (start.lat, start.lon) == ((min_lat + max_lat) / 2, (min_lon + max_lon) / 2)


def test_each_planning_thread_routes_in_every_region_and_the_last_logs_the_whole(
    backend: Backend,
) -> None:
    warm_up = WorkerWarmUp(backend.regions, backend.planning, 2, time.perf_counter())

    with capture_logs() as logs:
        warm_up.warm_process()
        first = in_new_thread(warm_up)
        second = in_new_thread(warm_up)

    for results in (first, second):
        assert [r.region_name for r in results] == ["berlin-brandenburg", "denmark"]
        assert all(r.routed and r.problem is None for r in results)
    events = [entry["event"] for entry in logs]
    assert events == [
        "worker process warmed up",
        "planning thread warmed up",
        "planning thread warmed up",
        "worker warmed up",
    ]
    process = logs[0]
    assert process["stations"]["berlin-brandenburg"] > 4000
    assert process["stations"]["denmark"] > 0
    assert logs[-1]["regions"] == ["berlin-brandenburg", "denmark"]
    assert logs[-1]["threads"] == 2
