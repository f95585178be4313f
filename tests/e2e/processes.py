"""Real voltroute processes for end-to-end tests: servers and workers on loopback."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import httpx

FINAL_STATUSES = {"succeeded", "not_drivable", "failed", "canceled"}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class VoltrouteProcess:
    """One `python -m voltroute ...` child with its output in a log file."""

    def __init__(self, args: list[str], env: Mapping[str, str], log_path: Path) -> None:
        self.log_path = log_path
        self._log = log_path.open("ab")
        self.popen = subprocess.Popen(
            [sys.executable, "-m", "voltroute", *args],
            env={**os.environ, **env},
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def kill_hard(self) -> None:
        """SIGKILL the whole process group: no clean-up runs, as in a crash."""
        os.killpg(self.popen.pid, signal.SIGKILL)
        self.popen.wait(timeout=10)

    def stop(self) -> None:
        if self.popen.poll() is None:
            os.killpg(self.popen.pid, signal.SIGTERM)
            try:
                self.popen.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.popen.pid, signal.SIGKILL)
                self.popen.wait(timeout=10)
        self._log.close()

    def log_tail(self, lines: int = 40) -> str:
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])


class Server:
    """`voltroute serve` on a free port, with or without its worker."""

    def __init__(self, data_dir: Path, env: Mapping[str, str], with_worker: bool) -> None:
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.env = {**env, "VOLTROUTE_DATA_DIR": str(data_dir)}
        args = ["serve", "--port", str(self.port)] + ([] if with_worker else ["--no-worker"])
        self.process = VoltrouteProcess(args, self.env, data_dir / f"serve-{self.port}.log")
        self._wait_healthy()
        self.token = (data_dir / "demo-token.txt").read_text().strip()
        self.client = httpx.Client(
            base_url=self.base_url, headers={"Authorization": f"Bearer {self.token}"}, timeout=30
        )

    def _wait_healthy(self, timeout_s: float = 90.0) -> None:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.process.popen.poll() is not None:
                raise RuntimeError(f"server exited:\n{self.process.log_tail()}")
            try:
                if httpx.get(f"{self.base_url}/health", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"server not healthy after {timeout_s} s:\n{self.process.log_tail()}")

    def start_worker(self, **settings: str) -> VoltrouteProcess:
        env = {**self.env, **{f"VOLTROUTE_{k.upper()}": v for k, v in settings.items()}}
        log = Path(self.env["VOLTROUTE_DATA_DIR"]) / f"worker-{time.monotonic_ns()}.log"
        return VoltrouteProcess(["worker"], env, log)

    def job(self, job_id: str) -> dict[str, Any]:
        response = self.client.get(f"/planner/jobs/{job_id}")
        response.raise_for_status()
        return dict(response.json())

    def wait_for(self, job_id: str, statuses: set[str], timeout_s: float = 60.0) -> dict[str, Any]:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            job = self.job(job_id)
            if job["status"] in statuses:
                return job
            time.sleep(0.05)
        raise AssertionError(f"job {job_id} not in {statuses} after {timeout_s} s: {job}")

    def stop(self) -> None:
        self.client.close()
        self.process.stop()
