"""The worker process: a Huey consumer plus a reaper that recovers jobs of dead workers."""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Callable, Collection

import structlog

from voltroute.config import Settings
from voltroute.jobs.queue import JobQueue
from voltroute.jobs.retry import retry_while_database_down
from voltroute.jobs.runner import JobRunner
from voltroute.jobs.services import Backend
from voltroute.jobs.store import JobStore
from voltroute.jobs.webhook_sender import WebhookSender

log = structlog.get_logger(__name__)

REAPER_INTERVAL_S = 2.0
HEARTBEAT_INTERVAL_S = 2.0


def new_worker_id() -> str:
    """host:pid:start, so a restarted worker never shares an identity with its predecessor."""
    return f"{socket.gethostname()}:{os.getpid()}:{int(time.time() * 1000)}"


def dead_local_workers(worker_ids: set[str]) -> set[str]:
    """Workers on this host whose process no longer exists."""
    host = socket.gethostname()
    dead = set()
    for worker_id in worker_ids:
        parts = worker_id.split(":")
        if len(parts) != 3 or parts[0] != host or not parts[1].isdigit():
            continue
        try:
            os.kill(int(parts[1]), 0)
        except ProcessLookupError:
            dead.add(worker_id)
        except PermissionError:
            continue
    return dead


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
    ) -> None:
        super().__init__(name="voltroute-reaper", daemon=True)
        self.store, self.queue, self.settings, self.worker_id = store, queue, settings, worker_id
        self.running = running
        self.stopped = threading.Event()

    def run(self) -> None:
        last_sweep = 0.0
        while not self.stopped.wait(HEARTBEAT_INTERVAL_S):
            try:
                self.store.heartbeat(self.worker_id, self.running())
                if time.monotonic() - last_sweep >= REAPER_INTERVAL_S:
                    recover(
                        self.store,
                        self.queue,
                        self.settings,
                        include_queued_age_s=self.settings.job_stale_after_s,
                    )
                    last_sweep = time.monotonic()
            except Exception:  # the database may be restarting; try again next beat
                log.exception("reaper pass failed")


def run_worker(settings: Settings) -> None:
    """Run a worker until SIGINT/SIGTERM."""
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
    )
    # Warm the router so the first job does not pay for loading tiles.
    _ = backend.router
    queue = JobQueue(settings, handler=runner.run_quietly)
    recovered = retry_while_database_down(
        lambda: recover(backend.store, queue, settings, include_queued_age_s=0.0)
    )
    log.info("worker started", worker_id=worker_id, recovered=recovered)
    reaper = Reaper(backend.store, queue, settings, worker_id, runner.running_job_ids)
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
    )
    try:
        consumer.run()
    finally:
        reaper.stopped.set()
        webhooks.stop()
