"""Runs one job: claim it, plan it, record the outcome. Safe to call twice for the same job."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import structlog
from sqlalchemy.exc import OperationalError

from voltroute.jobs.models import Job, JobStatus
from voltroute.jobs.pipeline import PlanningServices, TourInputError, plan_request
from voltroute.jobs.results import plan_to_json
from voltroute.jobs.retry import retry_while_database_down
from voltroute.jobs.store import JobStore, as_utc
from voltroute.jobs.tour_request import tour_request_from_json
from voltroute.routing import RoutingError
from voltroute.vehicles import UnknownVehicleError
from voltroute.vehicles.vehicle_id import MalformedVehicleIdError

log = structlog.get_logger(__name__)


class JobCanceledError(Exception):
    """A cancel request reached a checkpoint."""


class JobRunner:
    """Executes jobs for one worker identity."""

    def __init__(
        self,
        store: JobStore,
        services: PlanningServices,
        worker_id: str,
        planning_delay_s: float = 0.0,
        on_final: Callable[[str], None] | None = None,
    ) -> None:
        self.store = store
        self.services = services
        self.worker_id = worker_id
        self.planning_delay_s = planning_delay_s
        self.on_final = on_final  # told the job id once a final state is committed (webhooks)
        self._running: set[str] = set()  # jobs a thread of this worker is working on now
        self._running_lock = threading.Lock()

    def running_job_ids(self) -> frozenset[str]:
        """The jobs this worker's threads are running right now (for the heartbeat)."""
        with self._running_lock:
            return frozenset(self._running)

    def run(self, job_id: str) -> JobStatus | None:
        """Run a queued job to its final state; None when another worker had it already."""
        job = retry_while_database_down(lambda: self.store.claim(job_id, self.worker_id))
        if job is None:
            return None
        with self._running_lock:
            self._running.add(job_id)
        try:
            return self._run_claimed(job, job_id)
        finally:
            with self._running_lock:
                self._running.discard(job_id)

    def _run_claimed(self, job: Job, job_id: str) -> JobStatus | None:
        started = time.perf_counter()

        def checkpoint() -> None:
            try:
                canceled = self.store.cancel_requested(job_id)
            except OperationalError:
                return  # the database is away for a moment: look again at the next checkpoint
            if canceled:
                raise JobCanceledError

        try:
            if self.planning_delay_s:
                self._fault_injection_delay(checkpoint)
            request = tour_request_from_json(job.problem)
            # Planning reads the database too (custom vehicles): a restart there is waited out.
            plan = retry_while_database_down(
                lambda: plan_request(request, self.services, as_utc(job.created_at), checkpoint)
            )
        except JobCanceledError:
            status, result, error = JobStatus.CANCELED, None, None
        except (
            RoutingError,
            TourInputError,
            UnknownVehicleError,
            MalformedVehicleIdError,
        ) as problem:
            status, result, error = JobStatus.FAILED, None, str(problem)
        except Exception as crash:  # a bug must fail the job, never leave it running forever
            log.exception("job crashed", job_id=job_id)
            status, result, error = JobStatus.FAILED, None, f"internal error: {crash!r}"
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
        return status if recorded else None

    def run_quietly(self, job_id: str) -> None:
        """Queue handler: run the job, discard the status."""
        self.run(job_id)

    def _fault_injection_delay(self, checkpoint: Callable[[], None]) -> None:
        # Fault-injection setting for the crash tests: keeps a job "running" long enough to
        # kill its worker; it checks for cancels so a canceled job stops promptly.
        deadline = time.monotonic() + self.planning_delay_s
        while time.monotonic() < deadline:
            checkpoint()
            time.sleep(0.05)
