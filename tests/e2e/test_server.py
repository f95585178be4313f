"""The real server and worker processes over HTTP, as a client uses them."""

from __future__ import annotations

import pytest
from tests.contract_schema import contract_errors, demo_tour
from tests.e2e.processes import FINAL_STATUSES, Server

pytestmark = [pytest.mark.e2e, pytest.mark.integration]


def test_a_submitted_tour_is_planned_and_its_result_matches_the_contract(server: Server) -> None:
    submitted = server.client.post("/planner/v2", json=demo_tour())
    assert submitted.status_code == 202, submitted.text
    assert contract_errors(submitted.json(), "PlannerV2SubmitResponse") == []
    job = server.wait_for(submitted.json()["job_id"], FINAL_STATUSES)
    assert contract_errors(job, "JobStatusResponse") == []
    assert job["status"] == "succeeded"
    result = server.client.get(f"/planner/optimizations/{job['optimization_id']}/result")
    assert result.status_code == 200
    body = result.json()
    assert contract_errors(body, "OptimizationResultResponse") == []
    assert [s["section_id"] for s in body["sections"] if s["section_id"]][-1] == "altstadt-to-depot"
    assert body["sections"][-1]["poi_summary"]["name"] == "Destination"
    listed = server.client.get("/planner/jobs", params={"user_id": 1}).json()
    assert job["job_id"] in {entry["job_id"] for entry in listed}


def test_the_synchronous_endpoint_answers_with_the_plan(server: Server) -> None:
    response = server.client.post("/planner", json=demo_tour())
    assert response.status_code == 200, response.text
    assert contract_errors(response.json(), "PlannerResponse") == []
    assert response.json()["qualification"] == "Driveable"


def test_a_queued_job_can_be_canceled_and_no_worker_revives_it(bare_server: Server) -> None:
    submitted = bare_server.client.post("/planner/v2", json=demo_tour()).json()
    assert bare_server.job(submitted["job_id"])["status"] == "queued"
    canceled = bare_server.client.post(f"/planner/jobs/{submitted['job_id']}/cancel")
    assert canceled.json()["status"] == "canceled"
    worker = bare_server.start_worker()
    try:
        later = bare_server.client.post("/planner/v2", json=demo_tour()).json()
        bare_server.wait_for(later["job_id"], FINAL_STATUSES)  # the worker has drained the queue
        assert bare_server.job(submitted["job_id"])["status"] == "canceled"
    finally:
        worker.stop()


def test_a_running_job_can_be_canceled(bare_server: Server) -> None:
    worker = bare_server.start_worker(fault_planning_delay_s="30")
    try:
        submitted = bare_server.client.post("/planner/v2", json=demo_tour()).json()
        bare_server.wait_for(submitted["job_id"], {"running"})
        bare_server.client.post(f"/planner/jobs/{submitted['job_id']}/cancel")
        job = bare_server.wait_for(submitted["job_id"], FINAL_STATUSES, timeout_s=20)
        assert job["status"] == "canceled"
    finally:
        worker.stop()


def test_a_job_survives_its_worker_being_killed_mid_job(bare_server: Server) -> None:
    slow_worker = bare_server.start_worker(fault_planning_delay_s="60")
    submitted = bare_server.client.post("/planner/v2", json=demo_tour()).json()
    bare_server.wait_for(submitted["job_id"], {"running"})
    slow_worker.kill_hard()
    assert bare_server.job(submitted["job_id"])["status"] == "running"  # the row still says so
    # The stale timeout is 120 s: finishing within wait_for's 60 s means the replacement took
    # the job back at start-up, because the dead worker's pid no longer exists.
    replacement = bare_server.start_worker()
    try:
        job = bare_server.wait_for(submitted["job_id"], FINAL_STATUSES, timeout_s=60)
        assert job["status"] == "succeeded", replacement.log_tail()
        result = bare_server.client.get(f"/planner/optimizations/{job['optimization_id']}/result")
        assert contract_errors(result.json(), "OptimizationResultResponse") == []
    finally:
        replacement.stop()
