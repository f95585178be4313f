"""WorkerSupervisor on real child processes: reaps, reports and restarts; stops for good."""

from __future__ import annotations

import os
import signal
import sys
import time
from collections.abc import Callable
from pathlib import Path

from tests.e2e.processes import is_running

from voltroute.processes.supervisor import WorkerSupervisor

WAIT_S = 30.0


def _eventually(check: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + WAIT_S
    while not check():
        assert time.monotonic() < deadline, f"{what}: not after {WAIT_S} s"
        time.sleep(0.05)


def _sleeper(ready_dir: Path, ignore_sigterm: bool = False) -> list[str]:
    """A stand-in worker: writes <pid>.ready once its signal handling is set, then sleeps."""
    ignore = "signal.signal(signal.SIGTERM, signal.SIG_IGN); " if ignore_sigterm else ""
    code = (
        f"import os, pathlib, signal, time; {ignore}"
        f"pathlib.Path({str(ready_dir)!r}, f'{{os.getpid()}}.ready').touch(); time.sleep(600)"
    )
    return [sys.executable, "-c", code]


def _ready(ready_dir: Path, pid: int | None) -> bool:
    return pid is not None and (ready_dir / f"{pid}.ready").exists()


def test_a_killed_worker_is_reaped_reported_and_replaced(tmp_path: Path) -> None:
    deaths: list[int] = []
    supervisor = WorkerSupervisor(_sleeper(tmp_path), deaths.append)
    supervisor.start()
    try:
        first = supervisor.pid
        assert first is not None
        _eventually(lambda: _ready(tmp_path, first), "first worker ready")

        os.kill(first, signal.SIGKILL)

        _eventually(lambda: deaths == [first], "death reported")
        assert not is_running(first)  # reaped, not a zombie
        _eventually(
            lambda: supervisor.pid != first and _ready(tmp_path, supervisor.pid),
            "replacement ready",
        )
    finally:
        supervisor.stop()
    assert len(deaths) == 2  # the replacement's end is reported too: its jobs are requeued


def test_stop_ends_the_worker_and_never_restarts_it(tmp_path: Path) -> None:
    deaths: list[int] = []
    supervisor = WorkerSupervisor(_sleeper(tmp_path), deaths.append)
    supervisor.start()
    pid = supervisor.pid
    _eventually(lambda: _ready(tmp_path, pid), "worker ready")

    supervisor.stop()

    assert pid is not None
    assert not is_running(pid)
    assert deaths == [pid]
    assert supervisor.pid == pid  # no new worker was started


def test_a_worker_that_ignores_sigterm_is_killed_after_the_stop_timeout(tmp_path: Path) -> None:
    deaths: list[int] = []
    supervisor = WorkerSupervisor(
        _sleeper(tmp_path, ignore_sigterm=True), deaths.append, stop_timeout_s=0.5
    )
    supervisor.start()
    pid = supervisor.pid
    _eventually(lambda: _ready(tmp_path, pid), "worker ready")

    supervisor.stop()

    assert pid is not None
    assert not is_running(pid)
    assert deaths == [pid]
