"""Deployments for the end-to-end tests, on the cached Heidelberg region.

Every test runs twice: on the embedded default (one `serve`, SQLite, SqliteHuey, embedded
Valhalla) and distributed (two API processes, separate workers, PostgreSQL, Redis and a
valhalla_service), with the same test code.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
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
BYTECODE_CACHE = Path(__file__).resolve().parents[2] / ".cache" / "pycache"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "serve(with_worker=True, **VOLTROUTE_settings): the test's first server "
        "(test_supervision's first_server)",
    )


@pytest.fixture(scope="session", autouse=True)
def bytecode_cache() -> Iterator[None]:
    """The Python processes the tests start keep compiled modules in .cache/pycache.

    Each test starts many (serve, workers, the CLI); where PYTHONDONTWRITEBYTECODE is set (as
    on the development machine) every one of them compiled every module it imports from source
    again, several seconds of CPU each. Python checks a cached module against its source's
    modification time and size, as in __pycache__.
    """
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv("PYTHONDONTWRITEBYTECODE", raising=False)
        patch.setenv("PYTHONPYCACHEPREFIX", str(BYTECODE_CACHE))
        yield


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


class Deployments:
    """Deployments of one configuration by mode, each started when a test first takes it.

    Starting a deployment (API processes, a worker warming the region, a PostgreSQL database)
    costs more than most tests here, so tests share one: a test gets it only while it is as
    fresh (`Server.is_quiet`): its processes run, no worker a test started still runs, no job
    is left queued or running. A test that fails half-way leaves it otherwise, and the next test
    then gets a fresh deployment instead. A deployment that no later test of the session takes
    is ended right after the last that does (`release_unless_needed`): it would only poll its
    queue meanwhile.

    `takers` names the fixtures that take these deployments: a mode, or None for a fixture
    parametrized by mode.
    """

    def __init__(
        self,
        tmp_path_factory: pytest.TempPathFactory,
        env: Mapping[str, str],
        *,
        with_worker: bool,
        takers: Mapping[str, str | None],
    ) -> None:
        self._tmp_path_factory = tmp_path_factory
        self._env = dict(env)
        self.with_worker = with_worker
        self._takers = dict(takers)
        self._running: dict[str, tuple[Server, Callable[[], None]]] = {}

    def take(self, request: pytest.FixtureRequest, mode: str) -> Server:
        if mode in self._running and not self._running[mode][0].is_quiet():
            self.close(mode)
        if mode not in self._running:
            self._running[mode] = self._start(request, mode)
        return self._running[mode][0]

    def _start(
        self, request: pytest.FixtureRequest, mode: str
    ) -> tuple[Server, Callable[[], None]]:
        data_dir = self._tmp_path_factory.mktemp("serve" if self.with_worker else "bare")
        if mode == "embedded":
            server = Server(data_dir, self._env, self.with_worker)
            return server, server.discard
        valhalla_url: str = request.getfixturevalue("valhalla_service")
        resources = DistributedResources()
        try:
            server = Server(
                data_dir,
                self._env | resources.env(valhalla_url),
                self.with_worker,
                api_count=2,
                worker_count=2 if self.with_worker else 0,
            )
        except BaseException:
            resources.drop()
            raise

        def end() -> None:
            try:
                server.discard()
            finally:
                resources.drop()

        return server, end

    def release_unless_needed(self, request: pytest.FixtureRequest, mode: str) -> None:
        """End the deployment of mode unless a test after this one in the session takes it."""
        items = request.session.items
        if request.node in items:
            later = items[items.index(request.node) + 1 :]
            if any(self._taken_by(item, mode) for item in later):
                return
        self.close(mode)

    def _taken_by(self, item: pytest.Item, mode: str) -> bool:
        names = getattr(item, "fixturenames", ())
        callspec = getattr(item, "callspec", None)
        params = callspec.params if callspec is not None else {}
        return any(
            name in names and (fixed or params.get(name, mode)) == mode
            for name, fixed in self._takers.items()
        )

    def close(self, mode: str) -> None:
        if mode in self._running:
            self._running.pop(mode)[1]()

    def close_all(self) -> None:
        for mode in list(self._running):
            self.close(mode)


@pytest.fixture(scope="session")
def served(
    tmp_path_factory: pytest.TempPathFactory, heidelberg_region: Region, shared_data: Path
) -> Iterator[Deployments]:
    """Deployments as users run them, with their workers."""
    deployments = Deployments(
        tmp_path_factory,
        region_env(heidelberg_region, shared_data),
        with_worker=True,
        takers={"server": None, "embedded_server": "embedded"},
    )
    yield deployments
    deployments.close_all()


@pytest.fixture(scope="session")
def served_bare(
    tmp_path_factory: pytest.TempPathFactory, heidelberg_region: Region, shared_data: Path
) -> Iterator[Deployments]:
    """Deployments without workers."""
    deployments = Deployments(
        tmp_path_factory,
        region_env(heidelberg_region, shared_data),
        with_worker=False,
        takers={"bare_server": None},
    )
    yield deployments
    deployments.close_all()


@pytest.fixture(params=MODES)
def server(request: pytest.FixtureRequest, served: Deployments) -> Iterator[Server]:
    """A deployment as users run it, with its workers (shared: see `Deployments`)."""
    yield served.take(request, request.param)
    served.release_unless_needed(request, request.param)


@pytest.fixture
def embedded_server(request: pytest.FixtureRequest, served: Deployments) -> Iterator[Server]:
    """The embedded deployment, as `scripts/serve` runs it: `server`'s embedded one."""
    yield served.take(request, "embedded")
    served.release_unless_needed(request, "embedded")


@pytest.fixture(params=MODES)
def bare_server(request: pytest.FixtureRequest, served_bare: Deployments) -> Iterator[Server]:
    """A deployment without workers, quiet: the test starts, stops and kills workers itself."""
    yield served_bare.take(request, request.param)
    served_bare.release_unless_needed(request, request.param)


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
