"""The queue as two processes see it: the API enqueues, a worker with a handler runs."""

from __future__ import annotations

from pathlib import Path

from voltroute.config import Settings
from voltroute.jobs.queue import JobQueue


def test_a_job_enqueued_by_the_api_reaches_the_workers_handler(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path)
    api_side = JobQueue(settings)
    received: list[str] = []
    worker_side = JobQueue(settings, handler=received.append)

    api_side.enqueue("job-1")
    assert worker_side.pending() == 1
    message = worker_side.huey.dequeue()
    assert message is not None
    worker_side.huey.execute(message)
    assert received == ["job-1"]
