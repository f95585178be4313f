"""Real voltroute processes for end-to-end tests: servers and workers on loopback."""

from __future__ import annotations

import contextlib
import itertools
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import httpx
import psycopg
import redis

FINAL_STATUSES = {"succeeded", "not_drivable", "failed", "canceled"}
POSTGRES_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
REDIS_URL = "redis://127.0.0.1:6379/0"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def is_running(pid: int) -> bool:
    """True while a process exists and is not a zombie (dead, not yet reaped by its parent)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return False
    return stat.rpartition(")")[2].split()[0] != "Z"


def child_pids(pid: int, command_word: str = "") -> list[int]:
    """Children of a process (zombies included), optionally only those whose command has a word."""
    children = []
    for stat_file in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat_file.read_text().rpartition(")")[2].split()
            command = (stat_file.parent / "cmdline").read_bytes().split(b"\0")
        except (FileNotFoundError, ProcessLookupError):
            continue  # ended while we looked
        if int(fields[1]) == pid and (not command_word or command_word.encode() in command):
            children.append(int(stat_file.parent.name))
    return children


class VoltrouteProcess:
    """One `python -m voltroute ...` child with its output in a log file."""

    def __init__(self, args: list[str], env: Mapping[str, str], log_path: Path) -> None:
        self.log_path = log_path
        self._log = log_path.open("ab")
        self.popen = subprocess.Popen(
            [sys.executable, "-m", "voltroute", *args],
            env={**os.environ, **env},
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def kill_hard(self) -> None:
        """SIGKILL the whole process group: no clean-up runs, as in a crash."""
        os.killpg(self.popen.pid, signal.SIGKILL)
        self.popen.wait(timeout=10)

    def send(self, signum: int) -> None:
        """Send a signal to the process group, unless the process has ended already."""
        if self.popen.poll() is None:
            with contextlib.suppress(ProcessLookupError):  # ended meanwhile
                os.killpg(self.popen.pid, signum)

    def stop(self) -> None:
        self.send(signal.SIGTERM)
        self.wait_stopped()

    def wait_stopped(self) -> None:
        """Wait for the process to end (SIGKILL after 15 s), then close its log."""
        try:
            self.popen.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.send(signal.SIGKILL)
            self.popen.wait(timeout=10)
        self._log.close()

    def log_tail(self, lines: int = 40) -> str:
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])


def wait_until(
    check: Callable[[], bool], what: str, process: VoltrouteProcess, timeout_s: float = 90.0
) -> None:
    """Poll check() until it is true; fail with the process's log if it dies or times out."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.popen.poll() is not None:
            raise RuntimeError(f"{what}: process exited:\n{process.log_tail()}")
        try:
            if check():
                return
        except Exception:  # not up yet: connection refused, service starting
            pass
        time.sleep(0.1)
    raise RuntimeError(f"{what}: not ready after {timeout_s} s:\n{process.log_tail()}")


class RoundRobin(httpx.BaseTransport):
    """Sends each request to the next API process in turn, like a load balancer."""

    def __init__(self, ports: list[int]) -> None:
        self._ports = itertools.cycle(ports)
        self._inner = httpx.HTTPTransport()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        request.url = request.url.copy_with(port=next(self._ports))
        return self._inner.handle_request(request)

    def close(self) -> None:
        self._inner.close()


class Server:
    """A running deployment: API process(es), optional workers, as a client sees it.

    embedded: one `voltroute serve` (its own worker unless with_worker is False), with
    serve_args added to its command line (e.g. `--region DIR`).
    distributed (env has VOLTROUTE_DATABASE_URL/REDIS_URL/VALHALLA_URL): `api_count` API
    processes behind a round-robin client and, with with_worker, two separate workers.
    """

    def __init__(
        self,
        data_dir: Path,
        env: Mapping[str, str],
        with_worker: bool,
        api_count: int = 1,
        worker_count: int = 0,
        serve_args: Sequence[str] = (),
    ) -> None:
        self.env = {**env, "VOLTROUTE_DATA_DIR": str(data_dir)}
        self.data_dir = data_dir
        self.apis: list[VoltrouteProcess] = []
        self.workers: list[VoltrouteProcess] = []
        self.started_workers: list[VoltrouteProcess] = []  # every start_worker(), stopped at stop()
        ports = [free_port() for _ in range(api_count)]
        own_worker = with_worker and worker_count == 0
        for index, port in enumerate(ports):
            args = ["serve", "--port", str(port), *serve_args]
            args += [] if own_worker else ["--no-worker"]
            self.apis.append(VoltrouteProcess(args, self.env, data_dir / f"serve-{port}.log"))
            if index == 0:
                # The first creates the schema and the demo token; then the other API
                # processes and the workers start together.
                self._wait_healthy(port, self.apis[0])
        if with_worker:
            self.workers = [self.start_worker() for _ in range(worker_count)]
        for port, process in zip(ports[1:], self.apis[1:], strict=True):
            self._wait_healthy(port, process)
        self.base_urls = [f"http://127.0.0.1:{port}" for port in ports]
        self.base_url = self.base_urls[0]
        self.token = (data_dir / "demo-token.txt").read_text().strip()
        self.client = httpx.Client(
            base_url=self.base_url,
            headers={"Authorization": f"Bearer {self.token}"},
            timeout=30,
            transport=RoundRobin(ports),
        )

    @staticmethod
    def _wait_healthy(port: int, process: VoltrouteProcess) -> None:
        wait_until(
            lambda: httpx.get(f"http://127.0.0.1:{port}/health", timeout=2).status_code == 200,
            f"API on port {port}",
            process,
        )

    def start_worker(self, **settings: str) -> VoltrouteProcess:
        env = {**self.env, **{f"VOLTROUTE_{k.upper()}": v for k, v in settings.items()}}
        log = self.data_dir / f"worker-{time.monotonic_ns()}.log"
        worker = VoltrouteProcess(["worker"], env, log)
        self.started_workers.append(worker)
        return worker

    def is_quiet(self) -> bool:
        """As the deployment was started: its own processes run, no worker a test started
        still runs, and no job of the demo user is left unfinished.

        A deployment shared by several tests is handed to the next only in this state, so no
        test meets a worker or a queued job of another."""
        if any(process.popen.poll() is not None for process in [*self.apis, *self.workers]):
            return False
        if any(
            worker.popen.poll() is None
            for worker in self.started_workers
            if worker not in self.workers
        ):
            return False
        try:
            me = self.client.get("/me").raise_for_status().json()
            jobs = self.client.get("/planner/jobs", params={"user_id": me["user_id"]})
            listed = jobs.raise_for_status().json()
        except httpx.HTTPError:
            return False  # an API process that no longer answers is no state to hand on
        return all(job["status"] in FINAL_STATUSES for job in listed)

    def job(self, job_id: str) -> dict[str, Any]:
        response = self.client.get(f"/planner/jobs/{job_id}")
        response.raise_for_status()
        return dict(response.json())

    def wait_for(self, job_id: str, statuses: set[str], timeout_s: float = 60.0) -> dict[str, Any]:
        deadline = time.monotonic() + timeout_s
        job: dict[str, Any] = {}
        while time.monotonic() < deadline:
            job = self.job(job_id)
            if job["status"] in statuses:
                return job
            time.sleep(0.05)
        raise AssertionError(f"job {job_id} not in {statuses} after {timeout_s} s: {job}")

    def stop(self) -> None:
        """Stop every process gracefully (SIGTERM), all at once, and wait for them."""
        self.client.close()
        processes = [*self.started_workers, *self.apis]
        for process in processes:
            process.send(signal.SIGTERM)
        for process in processes:
            process.wait_stopped()

    def discard(self) -> None:
        """End every process at once with SIGKILL: for a deployment no test needs any more,
        whose state nobody reads (a graceful stop gives running jobs seconds to finish)."""
        self.client.close()
        # serve's own worker runs in a process group of its own.
        serve_workers = [pid for api in self.apis for pid in child_pids(api.popen.pid, "worker")]
        for pid in serve_workers:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        processes = [*self.started_workers, *self.apis]
        for process in processes:
            process.send(signal.SIGKILL)
        for process in processes:
            process.wait_stopped()


class DistributedResources:
    """A fresh PostgreSQL database and Redis queue name, dropped afterwards."""

    def __init__(self) -> None:
        suffix = uuid.uuid4().hex[:10]
        self.database = f"voltroute_e2e_{suffix}"
        self.queue = f"voltroute-e2e-{suffix}"
        with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{self.database}"')

    def env(self, valhalla_url: str) -> dict[str, str]:
        return {
            "VOLTROUTE_DATABASE_URL": f"postgresql+psycopg://postgres@127.0.0.1:5432/{self.database}",
            "VOLTROUTE_REDIS_URL": REDIS_URL,
            "VOLTROUTE_QUEUE_NAME": self.queue,
            "VOLTROUTE_VALHALLA_URL": valhalla_url,
            "VOLTROUTE_RATE_LIMIT_PER_MIN": "100000",
            # A real deployment gets no demo tenant; the tests ask for one explicitly.
            "VOLTROUTE_DEMO_TOKEN": f"vrt_e2e_{self.queue}",
        }

    def drop(self) -> None:
        with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{self.database}" WITH (FORCE)')
        client = redis.Redis.from_url(REDIS_URL)
        for key in client.scan_iter(f"*{self.queue}*"):
            client.delete(key)
