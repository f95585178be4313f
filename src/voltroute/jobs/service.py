"""The jobs as the API's routes see them: one call per endpoint, domain values in and out.

Submitting checks a tour (`admit_tour`), stores it as a queued job (idempotently) and queues
it; the legacy synchronous endpoint submits the same way and then runs the job in this process
through the worker's own `JobRunner`, taking the plan back as a domain value.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass

import structlog

from voltroute.db.models import Job, JobStatus
from voltroute.jobs.idempotency import IdempotencyKeys
from voltroute.jobs.queue import JobQueue
from voltroute.jobs.results import plan_from_json
from voltroute.jobs.runner import INTERNAL_ERROR, JobRunner
from voltroute.jobs.store import JobStore
from voltroute.jobs.submit import (
    JobSubmission,
    MalformedTourError,
    SubmitOptions,
    Submitted,
    TourRejectedError,
    TourSubmission,
)
from voltroute.planner import Plan
from voltroute.planning.region_planning import RegionPlanning
from voltroute.planning.tour_admission import admit_tour
from voltroute.planning.tour_request import (
    TourRequest,
    tour_request_from_json,
    tour_request_to_json,
)
from voltroute.planning.vehicle_directory import VehicleDirectory
from voltroute.regions import ServedRegions
from voltroute.tenancy.tenants import Principal

log = structlog.get_logger(__name__)


@dataclass(frozen=True, slots=True)
class PlannedNow:
    """A tour planned while its request waits: the job, and its plan or why it has none."""

    request: TourRequest
    job: Job  # as submitted: its ids and vehicle
    status: JobStatus  # not final: an earlier request with this key is still planning it
    plan: Plan | None = None
    error: str | None = None

    @property
    def crashed(self) -> bool:
        """The job failed on a bug, not on its tour."""
        return self.error is not None and self.error.startswith(INTERNAL_ERROR)


@dataclass(frozen=True, slots=True)
class JobResult:
    """A job with the tour it was asked and its plan (None while it has none)."""

    job: Job
    request: TourRequest | None = None
    plan: Plan | None = None


class JobService:
    """Submits tours as jobs and reads, cancels and (the legacy endpoint) plans them."""

    def __init__(
        self,
        store: JobStore,
        keys: IdempotencyKeys,
        vehicles: VehicleDirectory,
        regions: ServedRegions,
        queue: JobQueue,
        planning: Callable[[], RegionPlanning],
        worker_id: str,
    ) -> None:
        self.store = store
        self.keys = keys
        self.vehicles = vehicles
        self.regions = regions
        self.queue = queue
        self.planning = planning  # built on first use: only the legacy endpoint plans here
        self.worker_id = worker_id  # the job's worker while this process plans it

    def submit_tour(
        self, submission: TourSubmission, options: SubmitOptions, principal: Principal
    ) -> Submitted:
        """Store the tour as a queued job and queue it (`_accept`).

        Queued after the commit. If the queue is down or this process dies in between, the job
        is still stored as queued, and the workers' orphan sweep queues it: the job holds.
        """
        submitted = self._accept(submission, options, principal)
        try:
            self.queue.enqueue(submitted.job.job_id)
        except Exception:
            log.warning(
                "enqueue failed; the orphan sweep will pick the job up",
                job_id=submitted.job.job_id,
            )
        return submitted

    def plan_tour_now(
        self, submission: TourSubmission, options: SubmitOptions, principal: Principal
    ) -> PlannedNow:
        """Store the tour as a job (`_accept`) and run it here, as a worker would.

        A retry with the same key gets the first request's job: its stored outcome, or (status
        not final) word that it is still being planned.
        """
        submitted = self._accept(submission, options, principal)
        request, job = submitted.request, submitted.job
        runner = JobRunner(self.store, self.planning(), self.worker_id)
        outcome = runner.run_job(job.job_id, request)
        if outcome is not None:
            return PlannedNow(request, job, outcome.status, outcome.plan, outcome.error)
        done = self.store.get(job.job_id, principal.tenant_id)
        if done is None:
            return PlannedNow(request, job, JobStatus.FAILED, error="the job vanished")
        plan = plan_from_json(done.result) if done.result is not None else None
        return PlannedNow(request, job, JobStatus(done.status), plan, done.error)

    def job(self, job_id: str, tenant_id: int) -> Job | None:
        """The tenant's job (None: none with this id)."""
        return self.store.get(job_id, tenant_id)

    def jobs_of_user(self, tenant_id: int, user_id: int) -> list[Job]:
        """A user's jobs within the tenant, newest first."""
        return self.store.list_for_user(tenant_id, user_id)

    def cancel(self, job_id: str, tenant_id: int) -> Job | None:
        """Cancel a queued job at once, a running one at its next checkpoint (`JobStore`)."""
        return self.store.cancel(job_id, tenant_id)

    def result(self, optimization_id: int, tenant_id: int) -> JobResult | None:
        """The tenant's job of this optimization with its tour and plan; None: no such job."""
        job = self.store.get_by_optimization(optimization_id, tenant_id)
        if job is None:
            return None
        if job.result is None:
            return JobResult(job)
        return JobResult(job, tour_request_from_json(job.problem), plan_from_json(job.result))

    def _accept(
        self, submission: TourSubmission, options: SubmitOptions, principal: Principal
    ) -> Submitted:
        """Check the tour beyond the schema and store it as a queued job; for a retry with the
        same idempotency key, find the job the first request stored.

        Raises KeyReusedError, MalformedTourError, UnknownVehicleError, TourRejectedError.
        """
        stored = JobSubmission(
            options, principal.tenant_id, self.keys, submission.params, submission.body
        )
        earlier = stored.earlier_job()
        if earlier is not None:
            return Submitted(tour_request_from_json(earlier.problem), earlier)
        if submission.request is None:
            raise MalformedTourError(submission.malformed or "the tour does not translate")
        request = dataclasses.replace(
            submission.request,
            tenant_id=principal.tenant_id,
            accept_unknown_station_data=options.accept_unknown_station_data,
        )
        admission = admit_tour(request, self.vehicles, self.regions)
        if not submission.body_valid or admission.region is None:
            raise TourRejectedError(admission.problems)
        # The region is chosen here and stored with the job: the worker plans on that region.
        request = dataclasses.replace(request, region_name=admission.region.name)
        job = stored.store(
            lambda attach: self.store.submit(
                tenant_id=principal.tenant_id,
                user_id=principal.user_id,
                vehicle_id=request.vehicle_id,
                raw_request=submission.body,
                problem=tour_request_to_json(request),
                attach=attach,
            )
        )
        return Submitted(request, job)
