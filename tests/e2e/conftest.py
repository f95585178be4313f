"""Servers for the end-to-end tests, on the cached Heidelberg region."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.e2e.processes import Server

from voltroute.regions import Region


def region_env(region: Region, shared_data: Path) -> dict[str, str]:
    return {
        "VOLTROUTE_REGION_DIR": str(region.path),
        "VOLTROUTE_REGION_SOURCE": str(shared_data / "osm" / "heidelberg.osm.pbf"),
        "VOLTROUTE_QUEUE_POLL_S": "0.01",
    }


@pytest.fixture(scope="module")
def server(
    tmp_path_factory: pytest.TempPathFactory, heidelberg_region: Region, shared_data: Path
) -> Iterator[Server]:
    """`voltroute serve` as a user runs it: API plus its own worker process."""
    running = Server(
        tmp_path_factory.mktemp("serve"), region_env(heidelberg_region, shared_data), True
    )
    yield running
    running.stop()


@pytest.fixture
def bare_server(tmp_path: Path, heidelberg_region: Region, shared_data: Path) -> Iterator[Server]:
    """An API without a worker: the test starts and kills workers itself."""
    running = Server(tmp_path, region_env(heidelberg_region, shared_data), False)
    yield running
    running.stop()
