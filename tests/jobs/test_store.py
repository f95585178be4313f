"""JobStore on a real SQLite file: every transition is a compare-and-set on the job row."""

from __future__ import annotations

import threading
import uuid
from datetime import timedelta

from sqlalchemy import Engine, inspect, text, update
from sqlalchemy.orm import Session, sessionmaker

from voltroute.db.database import migrate
from voltroute.db.models import Job, JobStatus, utcnow
from voltroute.jobs.store import JobStore
from voltroute.tenancy.tenants import Principal

VEHICLE_ID = "010160700001"
RAW_REQUEST = {"vehicle_id": VEHICLE_ID, "section_list": []}
PROBLEM = {"vehicle_id": VEHICLE_ID, "sections": []}


def submit(store: JobStore, principal: Principal) -> Job:
    return store.submit(principal.tenant_id, principal.user_id, VEHICLE_ID, RAW_REQUEST, PROBLEM)


def status_of(store: JobStore, job_id: str) -> str:
    job = store.get(job_id)
    assert job is not None
    return job.status


def age_heartbeat(sessions: sessionmaker[Session], job_id: str, seconds: float) -> None:
    """Pretend the worker last reported seconds ago."""
    with sessions.begin() as session:
        session.execute(
            update(Job)
            .where(Job.job_id == job_id)
            .values(heartbeat_at=utcnow() - timedelta(seconds=seconds))
        )


# --- submit and get ---------------------------------------------------------------------------


def test_submit_creates_a_queued_job_with_integer_ids_and_a_uuid(
    store: JobStore, acme: Principal
) -> None:
    job = submit(store, acme)
    assert isinstance(job.optimization_id, int)
    assert isinstance(job.tour_id, int)
    assert str(uuid.UUID(job.job_id)) == job.job_id
    assert job.status == JobStatus.QUEUED
    assert job.attempts == 0
    stored = store.get(job.job_id, acme.tenant_id)
    assert stored is not None
    assert (stored.tenant_id, stored.user_id) == (acme.tenant_id, acme.user_id)
    assert stored.problem == PROBLEM


def test_each_submission_gets_new_ids(store: JobStore, acme: Principal) -> None:
    first, second = submit(store, acme), submit(store, acme)
    assert first.job_id != second.job_id
    assert second.optimization_id > first.optimization_id
    assert second.tour_id != first.tour_id


def test_a_job_of_another_tenant_is_invisible(
    store: JobStore, acme: Principal, globex: Principal
) -> None:
    job = submit(store, acme)
    assert store.get(job.job_id, globex.tenant_id) is None
    assert store.get_by_optimization(job.optimization_id, globex.tenant_id) is None
    assert store.list_for_user(globex.tenant_id, globex.user_id) == []
    found = store.get_by_optimization(job.optimization_id, acme.tenant_id)
    assert found is not None
    assert found.job_id == job.job_id


def test_another_tenant_cannot_cancel_a_job(
    store: JobStore, acme: Principal, globex: Principal
) -> None:
    job = submit(store, acme)
    assert store.cancel(job.job_id, globex.tenant_id) is None
    assert status_of(store, job.job_id) == JobStatus.QUEUED


def test_get_of_an_unknown_job_is_none(store: JobStore) -> None:
    assert store.get(str(uuid.uuid4())) is None


# --- claim and finish -------------------------------------------------------------------------


def test_claim_moves_a_queued_job_to_running_for_that_worker(
    store: JobStore, acme: Principal
) -> None:
    job = submit(store, acme)
    claimed = store.claim(job.job_id, "worker-1")
    assert claimed is not None
    assert claimed.status == JobStatus.RUNNING
    assert claimed.worker_id == "worker-1"
    assert claimed.attempts == 1
    assert claimed.started_at is not None


def test_a_second_claim_of_the_same_job_returns_none(store: JobStore, acme: Principal) -> None:
    job = submit(store, acme)
    assert store.claim(job.job_id, "worker-1") is not None
    assert store.claim(job.job_id, "worker-2") is None
    assert store.claim(job.job_id, "worker-1") is None
    running = store.get(job.job_id)
    assert running is not None
    assert (running.worker_id, running.attempts) == ("worker-1", 1)


def claim_race(store: JobStore, job_id: str, n_workers: int) -> dict[str, Job | None]:
    """n_workers threads claim job_id at the same moment; what each of them got."""
    barrier = threading.Barrier(n_workers)
    outcomes: dict[str, Job | None] = {}
    errors: list[BaseException] = []

    def claim(worker_id: str) -> None:
        barrier.wait()
        try:
            outcomes[worker_id] = store.claim(job_id, worker_id)
        except BaseException as error:  # surfaced below, not lost in the thread
            errors.append(error)

    threads = [threading.Thread(target=claim, args=(f"w{i}",)) for i in range(n_workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    return outcomes


def test_exactly_one_of_several_racing_workers_claims_a_job(
    store: JobStore, acme: Principal
) -> None:
    for _ in range(5):
        job = submit(store, acme)
        outcomes = claim_race(store, job.job_id, n_workers=4)
        winners = [worker for worker, claimed in outcomes.items() if claimed is not None]
        assert len(outcomes) == 4
        assert len(winners) == 1
        running = store.get(job.job_id)
        assert running is not None
        assert (running.worker_id, running.attempts) == (winners[0], 1)


def test_only_the_owning_worker_can_finish_a_job(store: JobStore, acme: Principal) -> None:
    job = submit(store, acme)
    store.claim(job.job_id, "worker-1")
    assert not store.finish(job.job_id, "worker-2", JobStatus.SUCCEEDED, result={"x": 2})
    assert status_of(store, job.job_id) == JobStatus.RUNNING
    assert store.finish(job.job_id, "worker-1", JobStatus.SUCCEEDED, result={"x": 1})
    done = store.get(job.job_id)
    assert done is not None
    assert done.status == JobStatus.SUCCEEDED
    assert done.result == {"x": 1}
    assert done.finished_at is not None


def test_a_finished_job_cannot_be_finished_again(store: JobStore, acme: Principal) -> None:
    job = submit(store, acme)
    store.claim(job.job_id, "worker-1")
    store.finish(job.job_id, "worker-1", JobStatus.FAILED, error="boom")
    assert not store.finish(job.job_id, "worker-1", JobStatus.SUCCEEDED, result={})
    done = store.get(job.job_id)
    assert done is not None
    assert (done.status, done.error, done.result) == (JobStatus.FAILED, "boom", None)


def test_a_queued_job_cannot_be_finished(store: JobStore, acme: Principal) -> None:
    job = submit(store, acme)
    assert not store.finish(job.job_id, "worker-1", JobStatus.SUCCEEDED, result={})
    assert status_of(store, job.job_id) == JobStatus.QUEUED


# --- cancel -----------------------------------------------------------------------------------


def test_cancel_of_a_queued_job_is_immediate_and_it_cannot_be_claimed(
    store: JobStore, acme: Principal
) -> None:
    job = submit(store, acme)
    canceled = store.cancel(job.job_id, acme.tenant_id)
    assert canceled is not None
    assert canceled.status == JobStatus.CANCELED
    assert canceled.finished_at is not None
    assert store.claim(job.job_id, "worker-1") is None
    assert status_of(store, job.job_id) == JobStatus.CANCELED


def test_cancel_of_a_running_job_asks_the_runner_and_it_stays_running(
    store: JobStore, acme: Principal
) -> None:
    job = submit(store, acme)
    store.claim(job.job_id, "worker-1")
    assert not store.cancel_requested(job.job_id)
    asked = store.cancel(job.job_id, acme.tenant_id)
    assert asked is not None
    assert asked.status == JobStatus.RUNNING
    assert asked.cancel_requested is True
    assert store.cancel_requested(job.job_id)
    # The runner sees the flag at its next checkpoint and stops.
    assert store.finish(job.job_id, "worker-1", JobStatus.CANCELED)
    assert status_of(store, job.job_id) == JobStatus.CANCELED


def test_cancel_of_a_finished_job_changes_nothing(store: JobStore, acme: Principal) -> None:
    job = submit(store, acme)
    store.claim(job.job_id, "worker-1")
    store.finish(job.job_id, "worker-1", JobStatus.SUCCEEDED, result={"x": 1})
    after = store.cancel(job.job_id, acme.tenant_id)
    assert after is not None
    assert (after.status, after.cancel_requested) == (JobStatus.SUCCEEDED, False)


# --- orphans ----------------------------------------------------------------------------------


def test_a_running_job_with_a_fresh_heartbeat_is_left_alone(
    store: JobStore, acme: Principal
) -> None:
    job = submit(store, acme)
    store.claim(job.job_id, "worker-1")
    assert store.requeue_orphans(stale_after_s=60, max_attempts=3) == []
    assert status_of(store, job.job_id) == JobStatus.RUNNING


def test_a_stale_running_job_is_queued_again_and_its_old_worker_loses_it(
    store: JobStore, sessions: sessionmaker[Session], acme: Principal
) -> None:
    job = submit(store, acme)
    store.claim(job.job_id, "worker-1")
    age_heartbeat(sessions, job.job_id, 600)
    taken = store.requeue_orphans(stale_after_s=60, max_attempts=3)
    assert [(t.job_id, t.failed) for t in taken] == [(job.job_id, False)]
    requeued = store.get(job.job_id)
    assert requeued is not None
    assert (requeued.status, requeued.worker_id) == (JobStatus.QUEUED, None)
    assert not store.finish(job.job_id, "worker-1", JobStatus.SUCCEEDED, result={})
    reclaimed = store.claim(job.job_id, "worker-2")
    assert reclaimed is not None
    assert reclaimed.attempts == 2


def test_a_heartbeat_keeps_a_running_job_from_being_requeued(
    store: JobStore, sessions: sessionmaker[Session], acme: Principal
) -> None:
    job = submit(store, acme)
    store.claim(job.job_id, "worker-1")
    age_heartbeat(sessions, job.job_id, 600)
    store.heartbeat("worker-1", {job.job_id})
    assert store.requeue_orphans(stale_after_s=60, max_attempts=3) == []


def test_a_running_job_no_thread_of_its_worker_runs_goes_stale_despite_heartbeats(
    store: JobStore, sessions: sessionmaker[Session], acme: Principal
) -> None:
    # A claim committed but its answer was lost: the worker beats only for the jobs it runs.
    stranded, worked_on = submit(store, acme), submit(store, acme)
    store.claim(stranded.job_id, "worker-1")
    store.claim(worked_on.job_id, "worker-1")
    age_heartbeat(sessions, stranded.job_id, 600)
    age_heartbeat(sessions, worked_on.job_id, 600)
    store.heartbeat("worker-1", {worked_on.job_id})
    requeued = store.requeue_orphans(stale_after_s=60, max_attempts=3)
    assert [r.job_id for r in requeued] == [stranded.job_id]


def test_a_job_of_a_dead_worker_is_requeued_even_with_a_fresh_heartbeat(
    store: JobStore, acme: Principal
) -> None:
    job = submit(store, acme)
    store.claim(job.job_id, "worker-1")
    taken = store.requeue_orphans(stale_after_s=60, max_attempts=3, dead_workers={"worker-1"})
    assert [t.job_id for t in taken] == [job.job_id]
    assert status_of(store, job.job_id) == JobStatus.QUEUED


def test_a_stale_job_fails_once_it_ran_out_of_attempts(
    store: JobStore, sessions: sessionmaker[Session], acme: Principal
) -> None:
    job = submit(store, acme)
    for attempt in (1, 2):
        claimed = store.claim(job.job_id, f"worker-{attempt}")
        assert claimed is not None
        assert claimed.attempts == attempt
        age_heartbeat(sessions, job.job_id, 600)
        taken = store.requeue_orphans(stale_after_s=60, max_attempts=2)
        assert [t.failed for t in taken] == [attempt == 2]
    failed = store.get(job.job_id)
    assert failed is not None
    assert failed.status == JobStatus.FAILED
    assert failed.error is not None
    assert "2 times" in failed.error
    assert failed.finished_at is not None


def test_a_stale_job_with_a_cancel_request_is_canceled_not_requeued(
    store: JobStore, sessions: sessionmaker[Session], acme: Principal
) -> None:
    job = submit(store, acme)
    store.claim(job.job_id, "worker-1")
    store.cancel(job.job_id, acme.tenant_id)
    age_heartbeat(sessions, job.job_id, 600)
    store.requeue_orphans(stale_after_s=60, max_attempts=3)
    assert status_of(store, job.job_id) == JobStatus.CANCELED


def test_queued_before_lists_only_jobs_queued_longer_than_the_age(
    store: JobStore, sessions: sessionmaker[Session], acme: Principal
) -> None:
    old, new, running = submit(store, acme), submit(store, acme), submit(store, acme)
    assert new.job_id in store.queued_before(0)
    store.claim(running.job_id, "worker-1")
    with sessions.begin() as session:
        session.execute(
            update(Job)
            .where(Job.job_id.in_([old.job_id, running.job_id]))
            .values(updated_at=utcnow() - timedelta(hours=2))
        )
    assert store.queued_before(3600) == [old.job_id]  # not the new one, not the running one
    store.touch_queued(old.job_id)
    assert store.queued_before(3600) == []


# --- a stopping worker releases its jobs ---------------------------------------------------------


def test_a_stopping_worker_releases_only_its_running_jobs_and_gets_the_attempt_back(
    store: JobStore, acme: Principal
) -> None:
    mine, theirs, done = submit(store, acme), submit(store, acme), submit(store, acme)
    store.claim(mine.job_id, "worker-1")
    store.claim(theirs.job_id, "worker-2")
    store.claim(done.job_id, "worker-1")
    store.finish(done.job_id, "worker-1", JobStatus.SUCCEEDED, result={})

    released = store.release("worker-1")

    assert released == [mine.job_id]
    job = store.get(mine.job_id)
    assert job is not None
    assert (job.status, job.attempts, job.worker_id) == (JobStatus.QUEUED, 0, None)
    assert status_of(store, theirs.job_id) == JobStatus.RUNNING
    assert status_of(store, done.job_id) == JobStatus.SUCCEEDED
    assert not store.finish(mine.job_id, "worker-1", JobStatus.SUCCEEDED, result={})


def test_a_released_job_with_a_cancel_request_is_canceled(store: JobStore, acme: Principal) -> None:
    job = submit(store, acme)
    store.claim(job.job_id, "worker-1")
    store.cancel(job.job_id, acme.tenant_id)

    assert store.release("worker-1") == []
    assert status_of(store, job.job_id) == JobStatus.CANCELED


# --- migrations -------------------------------------------------------------------------------


def test_migrate_is_idempotent_and_keeps_the_data(
    engine: Engine, store: JobStore, acme: Principal
) -> None:
    job = submit(store, acme)
    migrate(engine)
    migrate(engine)
    assert {"tenants", "users", "api_tokens", "tours", "jobs"} <= set(
        inspect(engine).get_table_names()
    )
    with engine.connect() as connection:
        versions = connection.execute(text("SELECT version_num FROM alembic_version")).all()
    assert len(versions) == 1
    assert store.get(job.job_id) is not None
