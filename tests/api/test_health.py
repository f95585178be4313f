"""/health says `degraded` while no worker is alive; workers are real processes' rows."""

from __future__ import annotations

import socket
import subprocess
import sys

import pytest
from fastapi.testclient import TestClient

from voltroute.composition import Backend
from voltroute.jobs.worker_registry import new_worker_id

pytestmark = pytest.mark.integration  # plans or serves on the real Heidelberg tiles


def _backend(client: TestClient) -> Backend:
    backend: Backend = client.app.state.backend  # type: ignore[attr-defined]
    return backend


def test_health_is_degraded_while_no_worker_is_alive(client: TestClient) -> None:
    response = client.get("/health")

    assert response.status_code == 200  # the API itself works: jobs queue up
    assert response.json()["status"] == "degraded"
    assert response.json()["workers_alive"] == 0


def test_health_is_ok_while_a_worker_beats(client: TestClient) -> None:
    workers = _backend(client).workers
    worker_id = new_worker_id()  # this test process: alive
    workers.beat(worker_id)

    alive = client.get("/health").json()
    workers.remove(worker_id)
    gone = client.get("/health").json()

    assert (alive["status"], alive["workers_alive"]) == ("ok", 1)
    assert (gone["status"], gone["workers_alive"]) == ("degraded", 0)


def test_a_local_worker_whose_process_is_gone_does_not_count(client: TestClient) -> None:
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()  # reaped: its pid no longer exists
    workers = _backend(client).workers
    workers.beat(f"{socket.gethostname()}:{dead.pid}:0")  # its last beat was just now

    health = client.get("/health").json()

    assert health["status"] == "degraded"
    assert workers.forget_dead() == 1
