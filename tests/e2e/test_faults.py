"""Faults in the distributed mode: no accepted job is lost, none runs to a result twice."""

from __future__ import annotations

import re
import subprocess
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import httpx
import psycopg
import pytest
import redis
from tests.contract_schema import demo_tour
from tests.e2e.conftest import Deployments, region_env
from tests.e2e.processes import (
    FINAL_STATUSES,
    POSTGRES_ADMIN_URL,
    REDIS_URL,
    Server,
    VoltrouteProcess,
    wait_until,
)

from voltroute.regions import Region

pytestmark = [pytest.mark.e2e, pytest.mark.integration, pytest.mark.slow]

JOBS = 20
REDIS_START = [
    "redis-server",
    "--daemonize",
    "yes",
    "--bind",
    "127.0.0.1",
    "-::1",
    "--port",
    "6379",
    "--save",
    "",
    "--appendonly",
    "no",
    "--dir",
    "/var/lib/redis",
    "--logfile",
    "/var/log/redis/ci.log",
]  # the machine's own start command for its Redis (see the env notes)
RECORDED = re.compile(r"job finished.*?job_id=(\S+).*?recorded=True")


@pytest.fixture(scope="module")
def clusters(
    tmp_path_factory: pytest.TempPathFactory, heidelberg_region: Region, shared_data: Path
) -> Iterator[Deployments]:
    """The module's cluster, handed to one test after another while it is quiet."""
    env = region_env(heidelberg_region, shared_data) | {"VOLTROUTE_JOB_STALE_AFTER_S": "5"}
    deployments = Deployments(
        tmp_path_factory, env, with_worker=False, takers={"cluster": "distributed"}
    )
    yield deployments
    deployments.close_all()


@pytest.fixture
def cluster(request: pytest.FixtureRequest, clusters: Deployments) -> Iterator[Server]:
    """Two APIs on PostgreSQL + Redis + valhalla_service, no workers yet; stale after 5 s."""
    yield clusters.take(request, "distributed")
    clusters.release_unless_needed(request, "distributed")


def submit(server: Server, count: int) -> list[str]:
    ids = []
    for _ in range(count):
        response = server.client.post("/planner/v2", json=demo_tour())
        assert response.status_code == 202, response.text
        ids.append(response.json()["job_id"])
    return ids


def results_recorded(workers: list[VoltrouteProcess]) -> Counter[str]:
    """How often each job's result was written, from the workers' logs."""
    recorded: Counter[str] = Counter()
    for worker in workers:
        recorded.update(RECORDED.findall(worker.log_path.read_text(errors="replace")))
    return recorded


def assert_all_succeeded_once(
    server: Server, ids: list[str], workers: list[VoltrouteProcess]
) -> None:
    for job_id in ids:
        assert server.wait_for(job_id, FINAL_STATUSES, timeout_s=120)["status"] == "succeeded"
    recorded = results_recorded(workers)
    assert {job_id: recorded[job_id] for job_id in ids} == dict.fromkeys(ids, 1)


def test_killing_a_worker_among_20_running_jobs_loses_none(cluster: Server) -> None:
    doomed = cluster.start_worker(worker_threads="10", fault_planning_delay_s="20")
    ids = submit(cluster, JOBS)
    wait_until(
        lambda: sum(cluster.job(i)["status"] == "running" for i in ids) == 10,
        "ten jobs running",
        doomed,
    )
    doomed.kill_hard()
    survivors = [cluster.start_worker(worker_threads="4") for _ in range(2)]
    try:
        assert_all_succeeded_once(cluster, ids, [doomed, *survivors])
    finally:
        for worker in survivors:
            worker.stop()


def test_a_redis_restart_with_queued_jobs_loses_none(cluster: Server) -> None:
    ids = submit(cluster, 10)
    subprocess.run(["redis-cli", "-h", "127.0.0.1", "shutdown", "nosave"], check=False)
    try:
        # While Redis is down the API still accepts jobs: they are stored, not yet enqueued.
        ids += submit(cluster, 3)
    finally:
        subprocess.run(REDIS_START, check=True)
        wait_until(lambda: bool(redis.Redis.from_url(REDIS_URL).ping()), "redis", cluster.apis[0])
    # Redis keeps nothing on disk here: every queue message is gone; the rows are the truth.
    workers = [cluster.start_worker() for _ in range(2)]
    try:
        assert_all_succeeded_once(cluster, ids, workers)
    finally:
        for worker in workers:
            worker.stop()


def test_a_postgres_restart_with_queued_and_running_jobs_loses_none(cluster: Server) -> None:
    workers = [cluster.start_worker(fault_planning_delay_s="2") for _ in range(2)]
    try:
        ids = submit(cluster, 10)
        cluster.wait_for(ids[0], {"running"})
        version = next(p.name for p in Path("/etc/postgresql").iterdir())
        subprocess.run(
            ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "restart"], check=True
        )
        wait_until(
            lambda: psycopg.connect(POSTGRES_ADMIN_URL).close() is None, "postgres", workers[0]
        )
        assert_all_succeeded_once(cluster, ids, workers)
        assert cluster.client.get("/planner/jobs", params={"user_id": 1}).status_code == 200
    finally:
        for worker in workers:
            worker.stop()


def test_the_api_answers_503_while_the_database_is_down(cluster: Server) -> None:
    version = next(p.name for p in Path("/etc/postgresql").iterdir())
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "stop"], check=True
    )
    try:
        response = cluster.client.get("/planner/jobs", params={"user_id": 1})
        assert response.status_code == 503
        assert response.headers["retry-after"] == "5"
        assert "retry" in response.json()["detail"]
    finally:
        subprocess.run(
            ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "start"], check=True
        )
    wait_until(
        lambda: httpx.get(f"{cluster.base_url}/health", timeout=2).status_code == 200,
        "api after postgres",
        cluster.apis[0],
    )
