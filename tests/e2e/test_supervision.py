"""`voltroute serve` and its worker live and stop together; a dead worker is replaced at once.

Real processes on the cached Heidelberg region with an embedded SQLite job database. Every
wait has a generous timeout; nothing asserts how fast a step was. The region's source file
is given as a path that does not exist: a built region serves without it.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing
from pathlib import Path

import httpx
import pytest
from tests.contract_schema import demo_tour
from tests.e2e.conftest import region_env
from tests.e2e.processes import Server, child_pids, is_running, wait_until

from voltroute.regions import Region

pytestmark = [pytest.mark.e2e, pytest.mark.integration]

STOP_TIMEOUT_S = 60.0


@pytest.fixture(scope="module")
def env(
    heidelberg_region: Region, shared_data: Path, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, str]:
    return region_env(heidelberg_region, shared_data) | {
        "VOLTROUTE_REGION_SOURCE": str(tmp_path_factory.mktemp("gone") / "heidelberg.osm.pbf"),
        # Only the supervisor (or a restarted worker) can requeue a job within these tests.
        "VOLTROUTE_JOB_STALE_AFTER_S": "86400",
    }


@pytest.fixture
def servers() -> Iterator[list[Server]]:
    """Servers a test started; ended afterwards (whatever the test did to them)."""
    started: list[Server] = []
    yield started
    for server in started:
        server.discard()


def _start(
    servers: list[Server],
    data_dir: Path,
    env: dict[str, str],
    *,
    with_worker: bool = True,
    **extra_env: str,
) -> Server:
    server = Server(data_dir, env | extra_env, with_worker)
    servers.append(server)
    return server


class AheadOfTests:
    """Starts the module's tests' first servers (as each test's `serve` mark says), one after
    another in the order the tests run, from the start of the first test on.

    A `serve` and its worker take seconds to start, most of them CPU, while the tests here wait
    much of their time for a process to stop or a job to be held. Each test still gets a server
    of its own, fresh (data directory included), that no other test touched.
    """

    def __init__(
        self,
        items: list[pytest.Item],
        tmp_path_factory: pytest.TempPathFactory,
        env: dict[str, str],
    ) -> None:
        self._tmp_path_factory, self._env = tmp_path_factory, env
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="serve-ahead")
        self._started = {item.nodeid: self._pool.submit(self._start, item) for item in items}

    def _start(self, item: pytest.Item) -> Server:
        mark = item.get_closest_marker("serve")
        settings = dict(mark.kwargs) if mark is not None else {}
        with_worker = bool(settings.pop("with_worker", True))
        return Server(self._tmp_path_factory.mktemp("serve"), self._env | settings, with_worker)

    def take(self, item: pytest.Item) -> Server:
        started = self._started.pop(item.nodeid, None)
        return started.result() if started is not None else self._start(item)

    def close(self) -> None:
        for started in self._started.values():  # those of tests that did not take theirs
            started.cancel()
        self._pool.shutdown(wait=True)
        for started in self._started.values():
            if not started.cancelled() and started.exception() is None:
                started.result().discard()


@pytest.fixture(scope="module")
def ahead(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, env: dict[str, str]
) -> Iterator[AheadOfTests]:
    takers = [
        item
        for item in request.session.items
        if item.path == request.path and "first_server" in getattr(item, "fixturenames", ())
    ]
    started = AheadOfTests(takers, tmp_path_factory, env)
    yield started
    started.close()


@pytest.fixture
def first_server(
    request: pytest.FixtureRequest, ahead: AheadOfTests, servers: list[Server]
) -> Server:
    """The test's first server: `voltroute serve` with the settings of the test's `serve` mark
    (VOLTROUTE_* variables; with_worker=False: --no-worker), in a data directory of its own."""
    server = ahead.take(request.node)
    servers.append(server)
    return server


def _eventually(check: Callable[[], bool], what: str, timeout_s: float = STOP_TIMEOUT_S) -> None:
    """Poll check() until it is true (for waits after serve has exited, on purpose)."""
    deadline = time.monotonic() + timeout_s
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: not after {timeout_s} s")
        time.sleep(0.1)


def _serve_pid(server: Server) -> int:
    return server.apis[0].popen.pid


def _worker_pid(server: Server) -> int:
    """The worker child of the server's `serve`, once there is exactly one."""
    found: list[int] = []

    def one_worker() -> bool:
        found[:] = child_pids(_serve_pid(server), "worker")
        return len(found) == 1

    wait_until(one_worker, "a worker child of serve", server.apis[0])
    return found[0]


def _health(server: Server) -> dict[str, object]:
    return dict(httpx.get(f"{server.base_url}/health", timeout=5).json())


def _job_row(data_dir: Path, job_id: str) -> tuple[str, int]:
    """(status, attempts) as the job database holds them."""
    with closing(sqlite3.connect(data_dir / "voltroute.sqlite")) as db:
        status, attempts = db.execute(
            "SELECT status, attempts FROM jobs WHERE job_id = ?", (job_id,)
        ).fetchone()
    return str(status), int(attempts)


@pytest.mark.parametrize("stop_signal", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "Ctrl-C"])
def test_stopping_serve_stops_its_worker(first_server: Server, stop_signal: signal.Signals) -> None:
    server = first_server
    worker = _worker_pid(server)

    os.kill(_serve_pid(server), stop_signal)  # serve alone, not its process group

    assert server.apis[0].popen.wait(timeout=STOP_TIMEOUT_S) == 0
    _eventually(lambda: not is_running(worker), "the worker stopped with serve")
    assert "Stopped" in server.apis[0].log_tail()


@pytest.mark.serve(VOLTROUTE_FAULT_PLANNING_DELAY_S="600")
def test_a_job_running_when_serve_stops_is_requeued_and_planned_after_a_restart(
    first_server: Server, servers: list[Server], env: dict[str, str]
) -> None:
    slow = first_server
    job_id = slow.client.post("/planner/v2", json=demo_tour()).json()["job_id"]
    slow.wait_for(job_id, {"running"})

    os.kill(_serve_pid(slow), signal.SIGTERM)

    assert slow.apis[0].popen.wait(timeout=STOP_TIMEOUT_S) == 0
    assert _job_row(slow.data_dir, job_id) == ("queued", 0)  # back on the queue, attempt given back
    restarted = _start(servers, slow.data_dir, env)
    assert restarted.wait_for(job_id, {"succeeded", "failed"}, 120)["status"] == "succeeded"


@pytest.mark.serve(VOLTROUTE_FAULT_PLANNING_DELAY_S="5")
def test_a_killed_worker_is_reaped_restarted_and_its_job_requeued_at_once(
    first_server: Server,
) -> None:
    server = first_server
    job_id = server.client.post("/planner/v2", json=demo_tour()).json()["job_id"]
    server.wait_for(job_id, {"running"})
    doomed = _worker_pid(server)

    os.kill(doomed, signal.SIGKILL)

    # Reaped: no longer a child of serve, not even a zombie.
    wait_until(
        lambda: doomed not in child_pids(_serve_pid(server)), "dead worker reaped", server.apis[0]
    )
    replacement = _worker_pid(server)
    assert replacement != doomed
    # JOB_STALE_AFTER_S is a day: the job finishing means it was requeued when its worker died.
    assert server.wait_for(job_id, {"succeeded", "failed"}, 120)["status"] == "succeeded"
    assert _job_row(server.data_dir, job_id) == ("succeeded", 2)
    wait_until(lambda: _health(server)["status"] == "ok", "health ok again", server.apis[0])


@pytest.mark.serve(with_worker=False)
def test_health_is_degraded_while_no_worker_is_alive(first_server: Server) -> None:
    server = first_server
    assert _health(server)["status"] == "degraded"
    worker = server.start_worker()

    wait_until(lambda: _health(server)["status"] == "ok", "a worker alive", worker)
    worker.kill_hard()  # an unsupervised worker: nobody restarts it

    def degraded() -> bool:
        health = _health(server)
        return (health["status"], health["workers_alive"]) == ("degraded", 0)

    wait_until(degraded, "health degraded", server.apis[0])


def test_a_worker_stops_when_its_serve_is_killed(first_server: Server) -> None:
    server = first_server
    worker = _worker_pid(server)

    os.kill(_serve_pid(server), signal.SIGKILL)  # no clean-up runs in serve

    server.apis[0].popen.wait(timeout=STOP_TIMEOUT_S)
    _eventually(lambda: not is_running(worker), "the orphaned worker stopped")
