"""The worker process: a Huey consumer plus a reaper that recovers jobs of dead workers.

SIGTERM stops it gracefully: no new job is taken, running jobs get STOP_GRACE_S to finish, and
those still running then go back to the queue. SIGINT (Ctrl-C) skips the wait. Started by
`serve` (with a parent pid), it also stops when that process is gone.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Callable, Collection

import structlog

from voltroute.composition import Backend
from voltroute.config import Settings
from voltroute.db.retry import retry_while_database_down
from voltroute.jobs.queue import JobQueue
from voltroute.jobs.runner import JobRunner
from voltroute.jobs.store import JobStore
from voltroute.jobs.warm_up import WorkerWarmUp
from voltroute.jobs.worker_registry import WorkerRegistry, dead_local_workers, new_worker_id
from voltroute.webhooks.sender import WebhookSender

log = structlog.get_logger(__name__)

REAPER_INTERVAL_S = 2.0
HEARTBEAT_INTERVAL_S = 2.0
STOP_GRACE_S = 5.0  # on SIGTERM, running jobs get this long to finish before they are requeued
PARENT_CHECK_INTERVAL_S = 0.5
WARM_UP_HOOK = "voltroute-warm-up"


def recover(
    store: JobStore, queue: JobQueue, settings: Settings, *, include_queued_age_s: float
) -> int:
    """Re-enqueue jobs whose worker died or went silent, and queued jobs whose message was lost."""
    dead = dead_local_workers(store.running_workers())
    count = 0
    for taken in store.requeue_orphans(settings.job_stale_after_s, settings.max_job_attempts, dead):
        if not taken.failed:
            queue.enqueue(taken.job_id)
        count += 1
    for job_id in store.queued_before(include_queued_age_s):
        # Duplicate messages are harmless: only one claim of a queued job can succeed.
        store.touch_queued(job_id)
        queue.enqueue(job_id)
        count += 1
    return count


class Reaper(threading.Thread):
    """Beats this worker's heart and sweeps orphans, until stopped."""

    def __init__(
        self,
        store: JobStore,
        queue: JobQueue,
        settings: Settings,
        worker_id: str,
        running: Callable[[], Collection[str]],
        registry: WorkerRegistry,
    ) -> None:
        super().__init__(name="voltroute-reaper", daemon=True)
        self.store, self.queue, self.settings, self.worker_id = store, queue, settings, worker_id
        self.running = running
        self.registry = registry
        self.stopped = threading.Event()

    def run(self) -> None:
        last_sweep = 0.0
        while not self.stopped.wait(HEARTBEAT_INTERVAL_S):
            try:
                self.registry.beat(self.worker_id)
                self.store.heartbeat(self.worker_id, self.running())
                if time.monotonic() - last_sweep >= REAPER_INTERVAL_S:
                    recover(
                        self.store,
                        self.queue,
                        self.settings,
                        include_queued_age_s=self.settings.job_stale_after_s,
                    )
                    self.registry.forget_dead()
                    last_sweep = time.monotonic()
            except Exception:  # the database may be restarting; try again next beat
                log.exception("reaper pass failed")


class ParentWatch(threading.Thread):
    """Stops this worker (as SIGTERM does) once the process that started it is gone.

    A `serve` killed with SIGKILL cannot stop its worker; without this the worker would run on,
    orphaned, holding the queue and the region.
    """

    def __init__(self, parent_pid: int) -> None:
        super().__init__(name="voltroute-parent-watch", daemon=True)
        self.parent_pid = parent_pid

    def run(self) -> None:
        # An orphan is re-parented (to init or a subreaper): its parent pid changes.
        while os.getppid() == self.parent_pid:
            time.sleep(PARENT_CHECK_INTERVAL_S)
        log.warning(
            "the process that started this worker is gone: stopping", parent=self.parent_pid
        )
        os.kill(os.getpid(), signal.SIGTERM)


def release_running_jobs(store: JobStore, queue: JobQueue, worker_id: str) -> list[str]:
    """Put the jobs this stopping worker still runs back on the queue; their ids."""
    released = store.release(worker_id)
    for job_id in released:
        queue.enqueue(job_id)
    return released


def run_worker(settings: Settings, parent_pid: int | None = None) -> None:
    """Run a worker until SIGTERM (graceful) or SIGINT, or until parent_pid is gone."""
    if parent_pid is not None and os.getppid() != parent_pid:
        return  # started by a `serve` that has already stopped
    started_s = time.perf_counter()
    backend = Backend(settings)
    retry_while_database_down(backend.migrate)  # the database may still be starting
    worker_id = new_worker_id()
    # Webhooks go out from their own thread: a slow receiver never holds up planning or the reaper.
    webhooks = WebhookSender(backend.webhooks, settings)
    runner = JobRunner(
        backend.store,
        backend.planning,
        worker_id,
        settings.fault_planning_delay_s,
        on_final=webhooks.wake,
        time_limit_factor=settings.job_time_limit_factor,
    )
    # Warm up now rather than in the first job: every region's router in each planning thread
    # (a start-up hook runs in each before it takes a job), catalogues and time zones here.
    warm_up = WorkerWarmUp(backend.regions, backend.planning, settings.worker_threads, started_s)
    warm_up.warm_process()
    queue = JobQueue(settings, handler=runner.run_quietly)
    queue.huey.on_startup(WARM_UP_HOOK)(warm_up.warm_thread)
    recovered = retry_while_database_down(
        lambda: recover(backend.store, queue, settings, include_queued_age_s=0.0)
    )
    registry = WorkerRegistry(backend.sessions)
    retry_while_database_down(lambda: registry.beat(worker_id))
    log.info(
        "worker started",
        worker_id=worker_id,
        recovered=recovered,
        regions=list(backend.regions.names),
    )
    reaper = Reaper(backend.store, queue, settings, worker_id, runner.running_job_ids, registry)
    reaper.start()
    webhooks.start()
    consumer = queue.huey.create_consumer(
        workers=settings.worker_threads,
        worker_type="thread",
        initial_delay=min(0.01, settings.queue_poll_s),
        backoff=1.15,
        max_delay=settings.queue_poll_s,
        periodic=False,
        check_worker_health=True,
        graceful_signal="TERM",
        shutdown_timeout=STOP_GRACE_S,
    )
    if parent_pid is not None:
        ParentWatch(parent_pid).start()
    try:
        consumer.run()
    finally:
        reaper.stopped.set()
        webhooks.stop()
        _leave(backend.store, queue, registry, worker_id)


def _leave(store: JobStore, queue: JobQueue, registry: WorkerRegistry, worker_id: str) -> None:
    # Planning threads still running are abandoned with the process; their jobs must not wait
    # for the stale timeout. A thread that finishes first records its result instead.
    try:
        released = retry_while_database_down(
            lambda: release_running_jobs(store, queue, worker_id), timeout_s=STOP_GRACE_S
        )
        retry_while_database_down(lambda: registry.remove(worker_id), timeout_s=STOP_GRACE_S)
    except Exception:
        log.exception("stopping worker could not hand its jobs back; the reaper will")
        return
    log.info("worker stopped", worker_id=worker_id, requeued=released)
