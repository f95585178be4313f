"""Job state transitions. Every transition is one conditional UPDATE, so two workers can never
both run a job or both write its result."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from voltroute.db.models import Base, Job, JobStatus, Tour, as_utc, utcnow
from voltroute.db.session_store import SessionStore, rows_changed
from voltroute.jobs.fair_share import next_fair_job

MAX_CLAIM_RACES = 1_000
"""A guard only: a claim lost to another worker chooses again."""


def _fits_key(value: int) -> bool:
    """Integer keys are 64-bit in every database we support; larger ids cannot exist."""
    return -(2**63) <= value < 2**63


def _set_while_running(
    session: Session, job_id: str, worker_id: str | None, /, **values: Any
) -> bool:
    """Set values (worker_id among them, when it changes) on the job only while worker_id runs
    it: the compare-and-set of every move out of running; a job another took meanwhile stays."""
    return bool(
        rows_changed(
            session,
            update(Job)
            .where(
                Job.job_id == job_id,
                Job.worker_id == worker_id,
                Job.status == JobStatus.RUNNING.value,
            )
            .values(**values),
        )
    )


def _claim_in(session: Session, optimization_id: int, worker_id: str) -> Job | None:
    """Move the job from queued to running for worker_id, in session; None when not queued."""
    now = utcnow()
    claimed = rows_changed(
        session,
        update(Job)
        .where(Job.optimization_id == optimization_id, Job.status == JobStatus.QUEUED.value)
        .values(
            status=JobStatus.RUNNING.value,
            worker_id=worker_id,
            started_at=now,
            heartbeat_at=now,
            updated_at=now,
            attempts=Job.attempts + 1,
        ),
    )
    if not claimed:
        return None
    job = session.scalars(select(Job).where(Job.optimization_id == optimization_id)).one()
    session.expunge(job)
    return job


@dataclass(frozen=True, slots=True)
class Requeue:
    """A job the reaper took back from a dead or silent worker."""

    job_id: str
    failed: bool  # True when it ran out of attempts instead


class JobStore(SessionStore):
    """Reads and writes job rows; the only code that changes a job's status."""

    def submit(
        self,
        tenant_id: int,
        user_id: int,
        vehicle_id: str,
        raw_request: dict[str, Any],
        problem: dict[str, Any],
        attach: Callable[[Job], list[Base]] | None = None,
    ) -> Job:
        """Store the tour and a queued job for it; the caller enqueues after this commit.

        attach(job) gives rows that commit with the job or not at all (its webhook, its
        idempotency key); an IntegrityError from them rolls the job back too.
        """
        with self._sessions.begin() as session:
            tour = Tour(tenant_id=tenant_id, user_id=user_id, request=raw_request)
            session.add(tour)
            session.flush()
            now = utcnow()
            job = Job(
                job_id=str(uuid.uuid4()),
                tour_id=tour.id,
                tenant_id=tenant_id,
                user_id=user_id,
                vehicle_id=vehicle_id,
                status=JobStatus.QUEUED.value,
                problem=problem,
                created_at=now,
                updated_at=now,
            )
            session.add(job)
            session.flush()
            if attach is not None:
                session.add_all(attach(job))
                session.flush()
            session.expunge(job)
        return job

    def get(self, job_id: str, tenant_id: int | None = None) -> Job | None:
        """The job, or None when it does not exist or belongs to another tenant."""
        with self._sessions() as session:
            query = select(Job).where(Job.job_id == job_id)
            if tenant_id is not None:
                query = query.where(Job.tenant_id == tenant_id)
            return session.scalars(query).first()

    def get_by_optimization(self, optimization_id: int, tenant_id: int) -> Job | None:
        """The job of an optimization id, within the tenant."""
        if not _fits_key(optimization_id):
            return None
        with self._sessions() as session:
            query = select(Job).where(
                Job.optimization_id == optimization_id, Job.tenant_id == tenant_id
            )
            return session.scalars(query).first()

    def list_for_user(self, tenant_id: int, user_id: int) -> list[Job]:
        """A user's jobs, newest first."""
        if not _fits_key(user_id):
            return []
        with self._sessions() as session:
            query = (
                select(Job)
                .where(Job.tenant_id == tenant_id, Job.user_id == user_id)
                .order_by(Job.optimization_id.desc())
            )
            return list(session.scalars(query))

    def cancel(self, job_id: str, tenant_id: int) -> Job | None:
        """Cancel a queued job at once; ask a running one to stop at its next checkpoint."""
        now = utcnow()
        with self._sessions.begin() as session:
            rows_changed(
                session,
                update(Job)
                .where(
                    Job.job_id == job_id,
                    Job.tenant_id == tenant_id,
                    Job.status == JobStatus.QUEUED.value,
                )
                .values(status=JobStatus.CANCELED.value, updated_at=now, finished_at=now),
            )
            rows_changed(
                session,
                update(Job)
                .where(
                    Job.job_id == job_id,
                    Job.tenant_id == tenant_id,
                    Job.status == JobStatus.RUNNING.value,
                )
                .values(cancel_requested=True, updated_at=now),
            )
        return self.get(job_id, tenant_id)

    def cancel_requested(self, job_id: str) -> bool:
        """True when a cancel arrived while the job runs."""
        with self._sessions() as session:
            flag = session.scalar(select(Job.cancel_requested).where(Job.job_id == job_id))
            return bool(flag)

    def claim(self, job_id: str, worker_id: str) -> Job | None:
        """Move a queued job to running for this worker; None when someone else has it.

        The job is read in the claiming transaction: a read after the commit could fail (a
        database restart) and the retried claim would then find the job taken by this very
        claim, leaving it running with nobody working on it.
        """
        with self._sessions.begin() as session:
            optimization_id = session.scalar(
                select(Job.optimization_id).where(Job.job_id == job_id)
            )
            if optimization_id is None:
                return None
            return _claim_in(session, optimization_id, worker_id)

    def claim_next(self, worker_id: str) -> Job | None:
        """Claim the queued job whose turn it is (`fair_share`); None when none is queued.

        Two workers may choose the same job at once: one wins the conditional UPDATE, the other
        chooses again. Each lost race is another claimer's success, so this ends.
        """
        for _ in range(MAX_CLAIM_RACES):
            with self._sessions.begin() as session:
                chosen = next_fair_job(session)
                if chosen is None:
                    return None
                job = _claim_in(session, chosen, worker_id)
                if job is not None:
                    return job
        return None  # the sweep enqueues what stays queued

    def finish(
        self,
        job_id: str,
        worker_id: str,
        status: JobStatus,
        result: dict[str, Any] | None = None,
        error: str | None = None,
    ) -> bool:
        """Record the outcome, only if this worker still owns the running job."""
        now = utcnow()
        with self._sessions.begin() as session:
            return _set_while_running(
                session,
                job_id,
                worker_id,
                status=status.value,
                result=result,
                error=error,
                updated_at=now,
                finished_at=now,
                heartbeat_at=now,
            )

    def heartbeat(self, worker_id: str, job_ids: Collection[str]) -> None:
        """Tell the reaper these jobs, which this worker is running right now, are alive.

        Only the jobs a thread is actually working on: a job marked running for this worker
        that no thread runs (a claim whose answer was lost) must go stale and be requeued.
        """
        if not job_ids:
            return
        now = utcnow()
        with self._sessions.begin() as session:
            rows_changed(
                session,
                update(Job)
                .where(
                    Job.worker_id == worker_id,
                    Job.status == JobStatus.RUNNING.value,
                    Job.job_id.in_(list(job_ids)),
                )
                .values(heartbeat_at=now),
            )

    def requeue_orphans(
        self, stale_after_s: float, max_attempts: int, dead_workers: set[str] | None = None
    ) -> list[Requeue]:
        """Take running jobs back from dead or silent workers: queue them again, or fail them."""
        cutoff = utcnow() - timedelta(seconds=stale_after_s)
        taken: list[Requeue] = []
        with self._sessions.begin() as session:
            running = session.scalars(
                select(Job).where(Job.status == JobStatus.RUNNING.value)
            ).all()
            for job in running:
                beat = as_utc(job.heartbeat_at or job.updated_at)
                if beat >= cutoff and job.worker_id not in (dead_workers or set()):
                    continue
                out_of_attempts = job.attempts >= max_attempts
                values: dict[str, Any] = {"updated_at": utcnow(), "worker_id": None}
                if out_of_attempts:
                    values |= {
                        "status": JobStatus.FAILED.value,
                        "finished_at": utcnow(),
                        "error": f"the worker running this job stopped {job.attempts} times",
                    }
                elif job.cancel_requested:
                    values |= {"status": JobStatus.CANCELED.value, "finished_at": utcnow()}
                else:
                    values["status"] = JobStatus.QUEUED.value
                if _set_while_running(session, job.job_id, job.worker_id, **values):
                    taken.append(Requeue(job.job_id, out_of_attempts))
        return taken

    def release(self, worker_id: str) -> list[str]:
        """Queue again the running jobs of a worker that is stopping; the ids to enqueue.

        The worker was asked to stop, the job did not fail it: the attempt is given back, so a
        job is never failed for restarts of the service. A job with a pending cancel is canceled.
        """
        now = utcnow()
        requeued = []
        with self._sessions.begin() as session:
            running = session.scalars(
                select(Job).where(Job.worker_id == worker_id, Job.status == JobStatus.RUNNING.value)
            ).all()
            for job in running:
                values: dict[str, Any] = {"worker_id": None, "updated_at": now}
                if job.cancel_requested:
                    values |= {"status": JobStatus.CANCELED.value, "finished_at": now}
                else:
                    # Its claim counted the attempt (a running job has at least one).
                    values |= {"status": JobStatus.QUEUED.value, "attempts": Job.attempts - 1}
                moved = _set_while_running(session, job.job_id, worker_id, **values)
                if moved and not job.cancel_requested:
                    requeued.append(job.job_id)
        return requeued

    def queued_before(self, age_s: float) -> list[str]:
        """Queued jobs older than age_s (their queue message may have been lost)."""
        cutoff = utcnow() - timedelta(seconds=age_s)
        with self._sessions() as session:
            query = select(Job.job_id).where(
                Job.status == JobStatus.QUEUED.value, Job.updated_at <= cutoff
            )
            return list(session.scalars(query))

    def running_workers(self) -> set[str]:
        """worker_id of every worker that holds a running job."""
        with self._sessions() as session:
            query = select(Job.worker_id).where(Job.status == JobStatus.RUNNING.value).distinct()
            return {w for w in session.scalars(query) if w}

    def status_counts(self) -> dict[str, int]:
        """Number of jobs per status."""
        with self._sessions() as session:
            rows = session.execute(select(Job.status, func.count()).group_by(Job.status)).all()
            return dict(rows)

    def touch_queued(self, job_id: str) -> None:
        """Mark a re-enqueued job so the orphan sweep leaves it alone for a while."""
        with self._sessions.begin() as session:
            rows_changed(
                session,
                update(Job)
                .where(Job.job_id == job_id, Job.status == JobStatus.QUEUED.value)
                .values(updated_at=utcnow()),
            )
