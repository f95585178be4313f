"""Limits by tenant and a fair share of the workers, against the real server processes.

Embedded (one `serve`: SQLite, in-memory limits) and distributed (two API processes behind a
round-robin client, two workers, PostgreSQL, limits in Redis). Clients reach the server from
127.0.0.1, which uvicorn itself would trust as a proxy: the address must still be the peer.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select
from tests.contract_schema import demo_tour
from tests.e2e.conftest import MODES, region_env
from tests.e2e.processes import FINAL_STATUSES, DistributedResources, RoundRobin, Server

from voltroute.composition import Backend
from voltroute.config import Settings
from voltroute.db.models import Job
from voltroute.jobs.store import as_utc
from voltroute.regions import Region

pytestmark = [pytest.mark.e2e, pytest.mark.integration]

LIMIT_PER_MIN = 60
BURST_JOBS = 40
PLANNING_THREADS = {"embedded": 2, "distributed": 4}  # 2 per worker (the default)
JOBS = "/planner/jobs?user_id=1"


class Deployment:
    """A running server with its database at hand, to issue tokens and read job rows."""

    def __init__(self, mode: str, server: Server) -> None:
        self.mode, self.server = mode, server
        self.backend = Backend(
            Settings(
                data_dir=server.data_dir,
                database_url=server.env.get("VOLTROUTE_DATABASE_URL"),
            )
        )

    def client(self, token: str) -> httpx.Client:
        return httpx.Client(
            base_url=self.server.base_url,
            headers={"Authorization": f"Bearer {token}"},
            timeout=30,
            transport=RoundRobin([httpx.URL(url).port or 80 for url in self.server.base_urls]),
        )

    def token(self, tenant: str) -> str:
        return self.backend.tenants.create_token(tenant, "dispatcher")[0]

    def audited_addresses(self, tenant: str) -> set[str]:
        """Client addresses in the tenant's audit log, once it has any (written after the
        answer is sent)."""
        deadline = time.monotonic() + 10
        while not (entries := self.backend.token_audit.recent(tenant=tenant)):
            assert time.monotonic() < deadline, f"no audit entry of {tenant}"
            time.sleep(0.05)
        return {entry.client_address for entry in entries}

    def jobs(self, job_ids: list[str]) -> dict[str, Job]:
        with self.backend.sessions() as session:
            rows = session.scalars(select(Job).where(Job.job_id.in_(job_ids))).all()
            return {row.job_id: row for row in rows}


@pytest.fixture(scope="module", params=MODES)
def deployment(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    heidelberg_region: Region,
    shared_data: Path,
) -> Iterator[Deployment]:
    data_dir = tmp_path_factory.mktemp("limits")
    limit = {"VOLTROUTE_RATE_LIMIT_PER_MIN": str(LIMIT_PER_MIN)}
    env = region_env(heidelberg_region, shared_data) | limit
    if request.param == "embedded":
        server = Server(data_dir, env, with_worker=True)
        try:
            yield Deployment("embedded", server)
        finally:
            server.discard()
        return
    resources = DistributedResources()
    env |= resources.env(request.getfixturevalue("valhalla_service")) | limit
    server = Server(data_dir, env, True, api_count=2, worker_count=2)
    try:
        yield Deployment("distributed", server)
    finally:
        server.discard()
        resources.drop()


def test_garbage_tokens_get_429_themselves_but_never_lock_out_a_valid_tenant(
    deployment: Deployment,
) -> None:
    valid = deployment.client(deployment.token("acme"))
    garbage = deployment.client("vrt_garbage")
    codes = [garbage.get(JOBS).status_code for _ in range(LIMIT_PER_MIN + 10)]
    assert codes[:LIMIT_PER_MIN] == [401] * LIMIT_PER_MIN
    assert set(codes[LIMIT_PER_MIN:]) == {429}
    # A spoofed X-Forwarded-For from 127.0.0.1 is no fresh budget.
    spoofed = garbage.get(JOBS, headers={"X-Forwarded-For": "198.51.100.7"})
    assert spoofed.status_code == 429
    assert int(spoofed.headers["retry-after"]) >= 1
    answered = valid.get(JOBS, headers={"X-Forwarded-For": "198.51.100.7"})
    assert answered.status_code == 200
    assert deployment.audited_addresses("acme") == {"127.0.0.1"}


def test_a_tenant_over_its_budget_is_limited_alone(deployment: Deployment) -> None:
    busy = deployment.client(deployment.token("busy"))
    quiet = deployment.client(deployment.token("quiet"))
    codes = [busy.get(JOBS).status_code for _ in range(LIMIT_PER_MIN + 1)]
    assert codes == [200] * LIMIT_PER_MIN + [429]
    assert quiet.get(JOBS).status_code == 200


def test_a_burst_of_one_tenant_delays_another_tenants_job_by_about_one_job(
    deployment: Deployment,
) -> None:
    burst = deployment.client(deployment.token("burst"))
    single = deployment.client(deployment.token("single"))
    burst_ids = []
    for _ in range(BURST_JOBS):
        response = burst.post("/planner/v2", json=demo_tour())
        assert response.status_code == 202, response.text
        burst_ids.append(response.json()["job_id"])
    lonely = single.post("/planner/v2", json=demo_tour()).json()["job_id"]
    deadline = time.monotonic() + 180
    while deployment.jobs([lonely])[lonely].status not in FINAL_STATUSES:
        assert time.monotonic() < deadline, "the single job never finished"
        time.sleep(0.2)
    jobs = deployment.jobs([*burst_ids, lonely])
    mine = jobs[lonely]
    assert mine.status == "succeeded"
    assert mine.started_at is not None
    submitted, started = as_utc(mine.created_at), as_utc(mine.started_at)
    # The burst's jobs that started while the single job waited: at most one per thread (each
    # thread finishing the job it had); FIFO would have run the whole rest of the burst first.
    overtaking = [
        job_id for job_id in burst_ids if _between(jobs[job_id].started_at, submitted, started)
    ]
    assert len(overtaking) <= PLANNING_THREADS[deployment.mode], overtaking


def _between(moment: datetime | None, after: datetime, before: datetime) -> bool:
    return moment is not None and after < as_utc(moment) < before
