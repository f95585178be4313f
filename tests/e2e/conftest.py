"""Deployments for the end-to-end tests, on the cached Heidelberg region.

Every test runs twice: on the embedded default (one `serve`, SQLite, SqliteHuey, embedded
Valhalla) and distributed (two API processes, separate workers, PostgreSQL, Redis and a
valhalla_service), with the same test code.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, Page, sync_playwright
from tests.e2e.processes import (
    DistributedResources,
    Server,
    VoltrouteProcess,
    free_port,
    wait_until,
)

from voltroute.regions import Region

MODES = ["embedded", "distributed"]
CHROMIUM = "/usr/bin/chromium"
E2E_WEBHOOK_SECRET = "e2e-webhook-secret-0123456789"


def region_env(region: Region, shared_data: Path) -> dict[str, str]:
    return {
        "VOLTROUTE_REGION_DIR": str(region.path),
        "VOLTROUTE_REGION_SOURCE": str(shared_data / "osm" / "heidelberg.osm.pbf"),
        "VOLTROUTE_QUEUE_POLL_S": "0.01",
        "VOLTROUTE_RATE_LIMIT_PER_MIN": "100000",  # the tests poll far faster than clients
        "VOLTROUTE_WEBHOOK_SECRET": E2E_WEBHOOK_SECRET,
        # The tests' receivers listen on loopback, which callbacks reach only when allow-listed.
        "VOLTROUTE_WEBHOOK_ALLOWED_HOSTS": "127.0.0.1",
    }


@pytest.fixture(scope="session")
def valhalla_service(
    tmp_path_factory: pytest.TempPathFactory, heidelberg_region: Region, shared_data: Path
) -> Iterator[str]:
    """A valhalla_service on the region, started through the CLI as an operator would.

    One for the whole session: it keeps no state between requests, and no test stops it.
    """
    work = tmp_path_factory.mktemp("valhalla")
    port = free_port()
    env = {**region_env(heidelberg_region, shared_data), "VOLTROUTE_DATA_DIR": str(work)}
    process = VoltrouteProcess(["routing", "serve", "--port", str(port)], env, work / "v.log")
    url = f"http://127.0.0.1:{port}"
    wait_until(
        lambda: httpx.get(f"{url}/status", timeout=2).status_code == 200,
        "valhalla_service",
        process,
    )
    yield url
    # valhalla_service does not end on SIGTERM (stop() would wait 15 s for it, then kill it);
    # it keeps no state, so nothing is lost by killing it at once.
    process.kill_hard()
    process.stop()


def deploy(
    request: pytest.FixtureRequest,
    data_dir: Path,
    region: Region,
    shared_data: Path,
    with_worker: bool,
) -> Iterator[Server]:
    env = region_env(region, shared_data)
    if request.param == "embedded":
        server = Server(data_dir, env, with_worker)
        yield server
        server.stop()
        return
    resources = DistributedResources()
    valhalla_url: str = request.getfixturevalue("valhalla_service")
    env |= resources.env(valhalla_url)
    server = Server(data_dir, env, with_worker, api_count=2, worker_count=2 if with_worker else 0)
    try:
        yield server
    finally:
        server.stop()
        resources.drop()


@pytest.fixture(scope="module", params=MODES)
def server(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    heidelberg_region: Region,
    shared_data: Path,
) -> Iterator[Server]:
    """A deployment as users run it, with its workers."""
    yield from deploy(
        request, tmp_path_factory.mktemp("serve"), heidelberg_region, shared_data, with_worker=True
    )


class QuietDeployment:
    """One deployment without workers, handed to a module's tests one after another.

    Starting a deployment (API processes, a PostgreSQL database) costs more than most tests
    here, so a module's tests share it, but only while it is quiet (`Server.is_quiet`): no
    worker a test started still runs and no job is left queued or running. A test that fails
    half-way leaves it otherwise, and the next test then gets a fresh deployment instead.
    """

    def __init__(self, start: Callable[[], Iterator[Server]]) -> None:
        self._start = start
        self._running: Iterator[Server] | None = None
        self._server: Server | None = None

    def take(self) -> Server:
        if self._server is not None and not self._server.is_quiet():
            self.close()
        if self._server is None:
            self._running = self._start()
            self._server = next(self._running)
        return self._server

    def close(self) -> None:
        if self._running is not None:
            next(self._running, None)  # runs deploy()'s clean-up
        self._running = self._server = None


@pytest.fixture(scope="module", params=MODES)
def quiet_deployment(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    heidelberg_region: Region,
    shared_data: Path,
) -> Iterator[QuietDeployment]:
    if request.param == "distributed":
        request.getfixturevalue("valhalla_service")  # now, while this fixture is being set up
    shared = QuietDeployment(
        lambda: deploy(
            request, tmp_path_factory.mktemp("bare"), heidelberg_region, shared_data, False
        )
    )
    yield shared
    shared.close()


@pytest.fixture
def bare_server(quiet_deployment: QuietDeployment) -> Server:
    """A deployment without workers, quiet: the test starts, stops and kills workers itself."""
    return quiet_deployment.take()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Headless Debian Chromium (scripts/setup installs it), launched once for the session."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run scripts/setup (installs Debian's chromium)")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, headless=True)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A page in a context of its own: no storage, cookies or cache from another test."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    yield context.new_page()
    context.close()
