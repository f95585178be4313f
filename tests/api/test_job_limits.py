"""Bounded work: a job past its time limit fails with the reason, a cancel stops it at any phase.

Jobs are submitted through the in-process API and run by the worker's JobRunner on the real
Heidelberg region; the runner's clock is the test's, so nothing depends on how fast this
machine plans.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any

import pytest
from fastapi.testclient import TestClient
from tests.contract_schema import demo_tour

from voltroute.composition import Backend
from voltroute.domain import LatLon
from voltroute.jobs.runner import JobRunner
from voltroute.planning.region_planning import RegionPlanning
from voltroute.routing import RouteLeg, Router, TravelCost, TruckProfile

pytestmark = pytest.mark.integration  # plans or serves on the real Heidelberg tiles


class SteppedClock:
    """Moves step_s further at every reading: the test decides how fast time passes."""

    def __init__(self, step_s: float) -> None:
        self.step_s = step_s
        self.now_s = 0.0

    def __call__(self) -> float:
        self.now_s += self.step_s
        return self.now_s


class CancelingRouter:
    """The real router; during its call number cancel_at, the job is canceled (as a client
    would, through the API); counts the calls that start after that."""

    def __init__(self, router: Router, cancel: Any, cancel_at: int | None) -> None:
        self.router, self.cancel, self.cancel_at = router, cancel, cancel_at
        self.calls = 0
        self.calls_after_cancel = 0

    def _call(self) -> None:
        self.calls += 1
        if self.cancel_at is not None and self.calls > self.cancel_at:
            self.calls_after_cancel += 1
        if self.calls == self.cancel_at:
            self.cancel()

    def route(self, start: LatLon, stop: LatLon, truck: TruckProfile) -> RouteLeg:
        self._call()
        return self.router.route(start, stop, truck)

    def match(self, shape: Sequence[LatLon], truck: TruckProfile) -> RouteLeg:
        self._call()
        return self.router.match(shape, truck)

    def matrix(
        self, sources: Sequence[LatLon], targets: Sequence[LatLon], truck: TruckProfile
    ) -> list[list[TravelCost | None]]:
        self._call()
        return self.router.matrix(sources, targets, truck)

    def heights(self, points: Sequence[LatLon]) -> list[float | None]:
        self._call()
        return self.router.heights(points)


def backend_of(client: TestClient) -> Backend:
    backend: Backend = client.app.state.backend  # type: ignore[attr-defined]
    return backend


def submit(client: TestClient, auth: dict[str, str]) -> dict[str, Any]:
    submitted = client.post("/planner/v2", json=demo_tour(), headers=auth)
    assert submitted.status_code == 202, submitted.text
    return dict(submitted.json())


def status_of(client: TestClient, auth: dict[str, str], job_id: str) -> str:
    return str(client.get(f"/planner/jobs/{job_id}", headers=auth).json()["status"])


def test_a_job_past_its_time_limit_fails_with_the_reason_and_the_worker_goes_on(
    client: TestClient, auth: dict[str, str]
) -> None:
    backend = backend_of(client)
    clock = SteppedClock(step_s=3_600.0)  # an hour between two checkpoints
    runner = JobRunner(backend.store, backend.planning, "test-worker", clock=clock)
    slow = submit(client, auth)
    runner.run_next()
    assert status_of(client, auth, slow["job_id"]) == "failed"
    result = client.get(f"/planner/optimizations/{slow['optimization_id']}/result", headers=auth)
    assert result.status_code == 404
    assert "longer than its time limit" in result.json()["detail"]
    assert "3 sections" in result.json()["detail"]
    clock.step_s = 0.001  # the same runner, a machine at its usual pace
    normal = submit(client, auth)
    runner.run_next()
    assert status_of(client, auth, normal["job_id"]) == "succeeded"


def run_canceling_at(client: TestClient, auth: dict[str, str], cancel_at: int | None) -> Any:
    """Run the demo tour, canceling it during routing call number cancel_at (None: never)."""
    backend = backend_of(client)
    job = submit(client, auth)

    def cancel() -> None:
        response = client.post(f"/planner/jobs/{job['job_id']}/cancel", headers=auth)
        assert response.status_code == 200

    default = backend.planning.default_region
    services = backend.planning.for_region(default)
    router = CancelingRouter(services.router, cancel, cancel_at)
    planning = RegionPlanning({default: dataclasses.replace(services, router=router)}, default)
    # Every reading is past the cancel poll interval: each checkpoint asks the database.
    runner = JobRunner(
        backend.store, planning, "test-worker", time_limit_factor=100.0, clock=SteppedClock(1.0)
    )
    runner.run(job["job_id"])
    return router, status_of(client, auth, job["job_id"])


def test_the_demo_tour_routes_in_several_phases(client: TestClient, auth: dict[str, str]) -> None:
    router, status = run_canceling_at(client, auth, None)
    assert status == "succeeded"
    assert router.calls > len(demo_tour()["section_list"])  # legs, then the corridor's detours


@pytest.mark.parametrize("cancel_at", [1, 2, 3, 4, 6, 8])
def test_a_cancel_during_any_routing_call_stops_the_job_before_the_next(
    client: TestClient, auth: dict[str, str], cancel_at: int
) -> None:
    router, status = run_canceling_at(client, auth, cancel_at)
    assert router.calls >= cancel_at
    assert status == "canceled"
    assert router.calls_after_cancel == 0
