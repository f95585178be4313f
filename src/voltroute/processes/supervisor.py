"""Keeps `serve`'s worker process running, and stops it with the server.

A worker that dies (a crash, an OOM kill, kill -9) is reaped at once, so no zombie stays
behind; its running jobs go back to the queue right then (on_death), not after the stale
timeout; and a new worker starts. A worker that keeps dying soon after its start is restarted
with a growing delay, so a broken setup does not spin.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence

import structlog

from voltroute.config import Settings
from voltroute.processes.worker import STOP_GRACE_S, recover

log = structlog.get_logger(__name__)

POLL_INTERVAL_S = 0.2
RESTART_DELAY_MIN_S = 0.5
RESTART_DELAY_MAX_S = 30.0
STABLE_AFTER_S = 30.0  # a worker that ran this long restarts without a growing delay
STOP_TIMEOUT_S = STOP_GRACE_S + 10.0  # then a worker that has not stopped is killed


def worker_argv(parent_pid: int) -> list[str]:
    """The command line of a worker that stops when parent_pid is gone."""
    return [sys.executable, "-m", "voltroute", "worker", "--parent-pid", str(parent_pid)]


class WorkerSupervisor:
    """Runs one worker process; restarts it when it dies, stops it on stop()."""

    def __init__(
        self,
        command: Sequence[str],
        on_death: Callable[[int], None],
        stop_timeout_s: float = STOP_TIMEOUT_S,
    ) -> None:
        self._command = list(command)
        self._on_death = on_death  # called with the pid of a dead (reaped) worker
        self._stop_timeout_s = stop_timeout_s
        self._stopping = threading.Event()
        self._lock = threading.Lock()
        self._child: subprocess.Popen[bytes] | None = None
        self._started_at = 0.0
        self._quick_deaths = 0
        self._thread = threading.Thread(
            target=self._watch, name="voltroute-supervisor", daemon=True
        )

    @property
    def pid(self) -> int | None:
        """The current worker's pid."""
        with self._lock:
            return self._child.pid if self._child is not None else None

    def start(self) -> None:
        """Start the worker and watch it."""
        self._spawn()
        self._thread.start()

    def stop(self) -> None:
        """Stop the worker: SIGTERM, its grace period, then SIGKILL; its jobs are requeued."""
        self._stopping.set()
        if self._thread.is_alive():
            self._thread.join()
        with self._lock:
            child = self._child
        if child is None:
            return
        try:
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)
                child.wait(timeout=self._stop_timeout_s)
        except (subprocess.TimeoutExpired, KeyboardInterrupt):
            # Too slow, or a second Ctrl-C: the worker goes now; its jobs are requeued below.
            child.kill()
            child.wait()
        self._report_death(child)

    def _spawn(self) -> None:
        with self._lock:
            if self._stopping.is_set():
                return
            # Its own process group: a Ctrl-C in the terminal reaches `serve` only, which then
            # stops the worker gracefully instead of both racing to exit.
            self._child = subprocess.Popen(self._command, process_group=0)
            self._started_at = time.monotonic()
        log.info("worker started", pid=self._child.pid)

    def _watch(self) -> None:
        while not self._stopping.wait(POLL_INTERVAL_S):
            with self._lock:
                child = self._child
            if child is None or child.poll() is None:  # poll() reaps a dead child
                continue
            self._report_death(child)
            delay_s = self._restart_delay_s(time.monotonic() - self._started_at)
            log.warning("restarting the worker", delay_s=delay_s)
            if self._stopping.wait(delay_s):
                return
            self._spawn()

    def _report_death(self, child: subprocess.Popen[bytes]) -> None:
        code = child.returncode
        how = f"signal {-code}" if code is not None and code < 0 else f"exit code {code}"
        log.info("worker ended", pid=child.pid, how=how)
        try:
            self._on_death(child.pid)
        except Exception:  # the database may be away: the reaper sweep takes the jobs back later
            log.exception("could not requeue the jobs of a dead worker", pid=child.pid)

    def _restart_delay_s(self, uptime_s: float) -> float:
        self._quick_deaths = 0 if uptime_s >= STABLE_AFTER_S else self._quick_deaths + 1
        return min(RESTART_DELAY_MAX_S, RESTART_DELAY_MIN_S * 2.0**self._quick_deaths)


def requeue_jobs_of_dead_workers(settings: Settings) -> Callable[[int], None]:
    """on_death for a supervisor: at once, queue again the jobs of workers that are gone."""
    from voltroute.composition import Backend
    from voltroute.jobs.queue import JobQueue
    from voltroute.jobs.worker_registry import WorkerRegistry

    backend = Backend(settings)
    queue = JobQueue(settings)
    registry = WorkerRegistry(backend.sessions)

    def on_death(pid: int) -> None:
        # The dead worker is reaped, so its pid no longer exists: recover() takes back its
        # running jobs now, whatever JOB_STALE_AFTER_S says.
        requeued = recover(
            backend.store, queue, settings, include_queued_age_s=settings.job_stale_after_s
        )
        registry.forget_dead()
        log.info("jobs of the ended worker requeued", pid=pid, requeued=requeued)

    return on_death
