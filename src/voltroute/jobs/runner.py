"""Runs one job: claim it, plan it, record the outcome. Safe to call twice for the same job."""

from __future__ import annotations

import dataclasses
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

import structlog

from voltroute.db.models import Job, JobStatus, as_utc
from voltroute.db.retry import retry_while_database_down
from voltroute.jobs.checkpointed_router import CheckpointedRouter
from voltroute.jobs.job_guard import JobCanceledError, JobGuard, JobTimeLimitError, TimeLimit
from voltroute.jobs.results import plan_to_json
from voltroute.jobs.store import JobStore
from voltroute.planner import Plan
from voltroute.planning.pipeline import TourInputError, plan_request
from voltroute.planning.region_planning import RegionPlanning, UnservedRegionError
from voltroute.planning.tour_request import TourRequest, tour_request_from_json
from voltroute.routing import RoutingError
from voltroute.vehicles import UnknownVehicleError
from voltroute.vehicles.vehicle_id import MalformedVehicleIdError

log = structlog.get_logger(__name__)

INTERNAL_ERROR = "internal error"
"""How the error of a job that crashed (a bug, not the tour) begins."""


@dataclass(frozen=True, slots=True)
class JobOutcome:
    """The final state a run recorded, with the plan (succeeded, not drivable) or the error."""

    status: JobStatus
    plan: Plan | None = None
    error: str | None = None


class JobRunner:
    """Executes jobs for one worker identity."""

    def __init__(
        self,
        store: JobStore,
        planning: RegionPlanning,
        worker_id: str,
        planning_delay_s: float = 0.0,
        on_final: Callable[[str], None] | None = None,
        time_limit_factor: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.store = store
        self.planning = planning  # each region's services; a job names its region
        self.worker_id = worker_id
        self.planning_delay_s = planning_delay_s
        self.on_final = on_final  # told the job id once a final state is committed (webhooks)
        self._running: set[str] = set()  # jobs a thread of this worker is working on now
        self._running_lock = threading.Lock()
        self.time_limit_factor = time_limit_factor  # scales each job's TimeLimit
        self.clock = clock  # of the time limit and the cancel polls (tests step it)

    def running_job_ids(self) -> frozenset[str]:
        """The jobs this worker's threads are running right now (for the heartbeat)."""
        with self._running_lock:
            return frozenset(self._running)

    def run(self, job_id: str) -> JobStatus | None:
        """Run a queued job to its final state; None when another worker had it already."""
        outcome = self.run_job(job_id)
        return None if outcome is None else outcome.status

    def run_job(self, job_id: str, request: TourRequest | None = None) -> JobOutcome | None:
        """Run a queued job to its final state and return it with the plan; None when another
        worker had it already. request: the job's tour when the caller holds it (the same the
        job row stores), else it is read from the row."""
        job = retry_while_database_down(lambda: self.store.claim(job_id, self.worker_id))
        return None if job is None else self._run_held(job, job_id, request)

    def run_next(self) -> JobStatus | None:
        """Run the queued job whose turn it is (`fair_share`); None when none is queued."""
        job = retry_while_database_down(lambda: self.store.claim_next(self.worker_id))
        outcome = None if job is None else self._run_held(job, job.job_id, None)
        return None if outcome is None else outcome.status

    def _run_held(self, job: Job, job_id: str, request: TourRequest | None) -> JobOutcome | None:
        with self._running_lock:
            self._running.add(job_id)
        try:
            return self._run_claimed(job, job_id, request)
        finally:
            with self._running_lock:
                self._running.discard(job_id)

    def _run_claimed(self, job: Job, job_id: str, given: TourRequest | None) -> JobOutcome | None:
        started = time.perf_counter()
        plan: Plan | None = None
        try:
            request = given if given is not None else tour_request_from_json(job.problem)

            def cancel_requested() -> bool:
                return self.store.cancel_requested(job_id)

            if self.planning_delay_s:
                # Stands for a worker stuck before planning (crash tests): not planning time.
                self._fault_injection_delay(JobGuard(cancel_requested, TimeLimit.NONE).checkpoint)
            limit = TimeLimit.of(request, self.time_limit_factor)
            checkpoint = JobGuard(cancel_requested, limit, self.clock).checkpoint
            services = self.planning.for_region(request.region_name)
            # Checked before every routing call too: phases route hundreds of times in between.
            services = dataclasses.replace(
                services, router=CheckpointedRouter(services.router, checkpoint)
            )
            # Planning reads the database too (custom vehicles): a restart there is waited out.
            plan = retry_while_database_down(
                lambda: plan_request(request, services, as_utc(job.created_at), checkpoint)
            )
        except JobCanceledError:
            status, result, error = JobStatus.CANCELED, None, None
        except JobTimeLimitError as over:
            status, result, error = JobStatus.FAILED, None, str(over)
        except (
            RoutingError,
            TourInputError,
            UnknownVehicleError,
            MalformedVehicleIdError,
            UnservedRegionError,
        ) as problem:
            status, result, error = JobStatus.FAILED, None, str(problem)
        except Exception as crash:  # a bug must fail the job, never leave it running forever
            log.exception("job crashed", job_id=job_id)
            status, result, error = JobStatus.FAILED, None, f"{INTERNAL_ERROR}: {crash!r}"
        else:
            status = JobStatus.SUCCEEDED if plan.drivable else JobStatus.NOT_DRIVABLE
            result, error = plan_to_json(plan), None
        recorded = retry_while_database_down(
            lambda: self.store.finish(job_id, self.worker_id, status, result, error)
        )
        log.info(
            "job finished",
            job_id=job_id,
            status=status.value,
            recorded=recorded,
            seconds=round(time.perf_counter() - started, 4),
        )
        if recorded and self.on_final is not None:
            self.on_final(job_id)
        return JobOutcome(status, plan, error) if recorded else None

    def run_quietly(self, job_id: str) -> None:
        """Queue handler: a message is a turn of a free thread, not an order for its job.

        The thread runs the queued job whose tenant's turn it is (`fair_share`), which may be
        another than job_id; every queued job has a message of its own, so each gets a turn.
        """
        self.run_next()

    def _fault_injection_delay(self, checkpoint: Callable[[], None]) -> None:
        # Fault-injection setting for the crash tests: keeps a job "running" long enough to
        # kill its worker; it checks for cancels so a canceled job stops promptly.
        deadline = time.monotonic() + self.planning_delay_s
        while time.monotonic() < deadline:
            checkpoint()
            time.sleep(0.05)
