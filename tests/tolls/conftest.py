"""Fixtures for the toll tests on real tiles: the Heidelberg region's router."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from voltroute.regions import Region
from voltroute.routing import EmbeddedValhallaRouter


@pytest.fixture(scope="session")
def hd_router(heidelberg_region: Region) -> Iterator[EmbeddedValhallaRouter]:
    router = EmbeddedValhallaRouter(heidelberg_region.valhalla_config_path())
    yield router
    router.close()
