"""Fair share of the planning threads between tenants, on SQLite and PostgreSQL.

A thread that becomes free claims the oldest queued job of the tenant with the fewest running
jobs, the least recently served first. The order of claims is the assertion, never a clock.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker
from tests.db.databases import BACKENDS, migrated_engine

from voltroute.db.database import session_factory
from voltroute.db.models import Job, JobStatus
from voltroute.jobs.store import JobStore
from voltroute.tenancy.tenants import Principal, TenantDirectory

VEHICLE_ID = "010160700001"
THREADS = 2


@pytest.fixture(params=BACKENDS)
def sessions(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[sessionmaker[Session]]:
    with migrated_engine(request.param, tmp_path) as engine:
        yield session_factory(engine)


@pytest.fixture
def store(sessions: sessionmaker[Session]) -> JobStore:
    return JobStore(sessions)


def tenant(sessions: sessionmaker[Session], name: str) -> Principal:
    return TenantDirectory(sessions).create_token(name, "dispatcher")[1]


def submit(store: JobStore, principal: Principal, count: int = 1) -> list[str]:
    return [
        store.submit(principal.tenant_id, principal.user_id, VEHICLE_ID, {}, {}).job_id
        for _ in range(count)
    ]


class Pool:
    """THREADS planning threads: each claims when free; finish() frees the oldest one."""

    def __init__(self, store: JobStore) -> None:
        self.store = store
        self.running: list[Job] = []
        self.claimed: list[Job] = []

    def fill(self) -> None:
        while len(self.running) < THREADS:
            job = self.store.claim_next("worker-1")
            if job is None:
                return
            self.running.append(job)
            self.claimed.append(job)

    def finish_one(self) -> None:
        job = self.running.pop(0)
        assert self.store.finish(job.job_id, "worker-1", JobStatus.SUCCEEDED, {})
        self.fill()


def test_a_burst_of_one_tenant_delays_another_tenants_job_by_one_job_at_most(
    store: JobStore, sessions: sessionmaker[Session]
) -> None:
    burst, single = tenant(sessions, "burst"), tenant(sessions, "single")
    pool = Pool(store)
    submit(store, burst, 40)
    pool.fill()  # both threads busy with the burst
    (lonely,) = submit(store, single)
    pool.finish_one()  # the first thread free after the submission...
    assert pool.claimed[-1].job_id == lonely  # ...takes it, not the burst's third job
    while pool.running:
        pool.finish_one()
    assert len(pool.claimed) == 41


def test_a_job_submitted_together_with_a_burst_starts_among_the_first_claims(
    store: JobStore, sessions: sessionmaker[Session]
) -> None:
    burst, single = tenant(sessions, "burst"), tenant(sessions, "single")
    submit(store, burst, 40)
    (lonely,) = submit(store, single)
    pool = Pool(store)
    pool.fill()
    assert [job.tenant_id for job in pool.claimed] == [burst.tenant_id, single.tenant_id]
    assert pool.claimed[1].job_id == lonely


def test_tenants_with_equal_shares_take_turns_in_submission_order(
    store: JobStore, sessions: sessionmaker[Session]
) -> None:
    a, b, c = (tenant(sessions, name) for name in "abc")
    jobs = {t.tenant_id: submit(store, t, 3) for t in (a, b, c)}
    order = []
    while (job := store.claim_next("worker-1")) is not None:
        order.append(job.job_id)
        store.finish(job.job_id, "worker-1", JobStatus.SUCCEEDED, {})
    expected = [jobs[t.tenant_id][i] for i in range(3) for t in (a, b, c)]
    assert order == expected  # round-robin, each tenant's jobs oldest first


def test_a_tenant_with_a_running_job_waits_behind_one_without(
    store: JobStore, sessions: sessionmaker[Session]
) -> None:
    busy, idle = tenant(sessions, "busy"), tenant(sessions, "idle")
    submit(store, busy, 2)
    first = store.claim_next("worker-1")
    assert first is not None
    assert first.tenant_id == busy.tenant_id
    (waiting,) = submit(store, idle)
    second = store.claim_next("worker-1")  # busy's job is older, but busy already runs one
    assert second is not None
    assert second.job_id == waiting


def test_every_queued_job_is_claimed_once_by_messages_that_name_others(
    store: JobStore, sessions: sessionmaker[Session]
) -> None:
    a, b = tenant(sessions, "a"), tenant(sessions, "b")
    ids = submit(store, a, 3) + submit(store, b, 2)
    store.cancel(ids[-1], b.tenant_id)  # its message still comes: a turn for another job
    claimed = [store.claim_next("worker-1") for _ in ids]
    assert sorted(job.job_id for job in claimed if job is not None) == sorted(ids[:-1])
    assert claimed[-1] is None


def test_concurrent_claimers_never_take_a_job_twice(
    store: JobStore, sessions: sessionmaker[Session]
) -> None:
    tenants = [tenant(sessions, name) for name in ("a", "b", "c")]
    ids = [job_id for t in tenants for job_id in submit(store, t, 8)]
    taken: list[str] = []
    lock = threading.Lock()

    def claim_all(worker_id: str) -> None:
        while (job := store.claim_next(worker_id)) is not None:
            with lock:
                taken.append(job.job_id)

    threads = [threading.Thread(target=claim_all, args=(f"w{i}",)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert Counter(taken) == Counter(ids)
