"""The job queue: Huey on SQLite (embedded) or on Redis (scaled out), with the same task code."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from huey import Huey, RedisHuey, SqliteHuey

from voltroute.config import Settings

TASK_NAME = "voltroute.run_job"


def _not_a_worker(job_id: str) -> None:
    raise RuntimeError(f"job {job_id} reached a process that is not a worker")


class JobQueue:
    """Enqueues job ids; in a worker process it also runs them with the given handler."""

    def __init__(self, settings: Settings, handler: Callable[[str], None] | None = None) -> None:
        # results=False: the job row holds the outcome; huey only carries job ids.
        self.huey: Huey
        if settings.redis_url:
            # Blocking reads: an idle worker wakes the moment a job arrives instead of polling.
            self.huey = RedisHuey(
                name=settings.queue_name,
                url=settings.redis_url,
                results=False,
                blocking=True,
                read_timeout=1,
            )
        else:
            path = settings.resolved_queue_path
            path.parent.mkdir(parents=True, exist_ok=True)
            self.huey = SqliteHuey(
                name=settings.queue_name,
                filename=str(path),
                results=False,
                journal_mode="wal",
                timeout=30,
            )
        run = handler or _not_a_worker

        # Huey keys a task by its function's module and name; defining it here keeps that key the
        # same in the API (no handler) and in the worker (the runner's method).
        def run_job(job_id: str) -> None:
            run(job_id)

        self._task: Any = self.huey.task(name=TASK_NAME, retries=0)(run_job)

    def enqueue(self, job_id: str) -> None:
        """Put a job id on the queue."""
        self._task(job_id)

    def pending(self) -> int:
        """Number of messages waiting in the queue."""
        return int(self.huey.pending_count())
