"""Worker rows on a real SQLite file: alive while beating and while the process exists."""

from __future__ import annotations

import socket
import subprocess
import sys
from datetime import timedelta

import pytest
from sqlalchemy import update
from sqlalchemy.orm import Session, sessionmaker

from voltroute.db.models import WorkerProcess, utcnow
from voltroute.jobs.worker_registry import WorkerRegistry, dead_local_workers, new_worker_id


@pytest.fixture
def registry(sessions: sessionmaker[Session]) -> WorkerRegistry:
    return WorkerRegistry(sessions)


def _dead_pid() -> int:
    """The pid of a real process that has ended and been reaped."""
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def _silence(sessions: sessionmaker[Session], worker_id: str, seconds: float) -> None:
    """Pretend the worker last beat seconds ago."""
    with sessions.begin() as session:
        session.execute(
            update(WorkerProcess)
            .where(WorkerProcess.worker_id == worker_id)
            .values(beat_at=utcnow() - timedelta(seconds=seconds))
        )


def test_a_beating_worker_is_alive_until_it_removes_itself(registry: WorkerRegistry) -> None:
    worker_id = new_worker_id()  # this process
    registry.beat(worker_id)
    registry.beat(worker_id)  # a second beat updates the same row

    assert registry.alive() == [worker_id]
    registry.remove(worker_id)
    assert registry.alive() == []


def test_a_silent_worker_is_not_alive(
    registry: WorkerRegistry, sessions: sessionmaker[Session]
) -> None:
    worker_id = "elsewhere:123:0"  # another host: only its beats tell
    registry.beat(worker_id)
    _silence(sessions, worker_id, 60)

    assert registry.alive(silent_after_s=10) == []


def test_a_local_worker_whose_process_is_gone_is_not_alive_and_is_forgotten(
    registry: WorkerRegistry,
) -> None:
    dead = f"{socket.gethostname()}:{_dead_pid()}:0"
    living = new_worker_id()
    registry.beat(dead)
    registry.beat(living)

    assert dead_local_workers([dead, living]) == {dead}
    assert registry.alive() == [living]
    assert registry.forget_dead() == 1
    assert registry.alive() == [living]


def test_rows_of_long_silent_workers_are_forgotten(
    registry: WorkerRegistry, sessions: sessionmaker[Session]
) -> None:
    registry.beat("elsewhere:123:0")
    registry.beat("elsewhere:456:0")
    _silence(sessions, "elsewhere:123:0", 7200)

    assert registry.forget_dead(forget_after_s=3600) == 1
    assert registry.alive() == ["elsewhere:456:0"]
