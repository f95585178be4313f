"""Idempotency-Key on the job-creating POSTs: a retry gets the first answer, never a second job."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from tests.api.conftest import make_settings
from tests.api.test_bad_input import assert_422
from tests.contract_schema import demo_tour
from tests.db.databases import BACKENDS, database_url

from voltroute.api.app import create_app
from voltroute.api.schemas import PlannerRequest
from voltroute.composition import Backend
from voltroute.db.models import IdempotencyKey, Job, Tour
from voltroute.jobs.submit import JobSubmission, SubmitOptions
from voltroute.regions import Region

pytestmark = pytest.mark.integration  # plans or serves on the real Heidelberg tiles


def backend_of(client: TestClient) -> Backend:
    backend: Backend = client.app.state.backend  # type: ignore[attr-defined]
    return backend


def count(client: TestClient, model: type[Any]) -> int:
    with backend_of(client).sessions() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def with_key(auth: dict[str, str], key: str) -> dict[str, str]:
    return {**auth, "Idempotency-Key": key}


def test_a_retry_with_the_same_key_gets_the_same_answer_and_no_second_job(
    client: TestClient, auth: dict[str, str]
) -> None:
    first = client.post("/planner/v2", json=demo_tour(), headers=with_key(auth, "order-4711"))
    again = client.post("/planner/v2", json=demo_tour(), headers=with_key(auth, "order-4711"))
    assert first.status_code == again.status_code == 202
    assert again.json() == first.json()
    assert count(client, Job) == count(client, Tour) == 1


def test_a_retry_keeps_the_first_answer_s_warnings(
    client: TestClient, auth: dict[str, str]
) -> None:
    url = "/planner/v2?corridor=5000"
    first = client.post(url, json=demo_tour(), headers=with_key(auth, "k-corridor"))
    again = client.post(url, json=demo_tour(), headers=with_key(auth, "k-corridor"))
    assert first.json()["warnings"]
    assert again.json() == first.json()


def test_the_same_key_with_another_body_or_parameter_is_a_422(
    client: TestClient, auth: dict[str, str]
) -> None:
    headers = with_key(auth, "k-1")
    assert client.post("/planner/v2", json=demo_tour(), headers=headers).status_code == 202
    changed = {**demo_tour(), "battery_level_start": 0.7}
    response = client.post("/planner/v2", json=changed, headers=headers)
    assert_422(response, "header", "Idempotency-Key")
    assert "different request" in response.json()["detail"][0]["msg"]
    other_corridor = client.post("/planner/v2?corridor=9000", json=demo_tour(), headers=headers)
    assert_422(other_corridor, "header", "Idempotency-Key")
    other_endpoint = client.post("/planner", json=demo_tour(), headers=headers)
    assert_422(other_endpoint, "header", "Idempotency-Key")
    assert count(client, Job) == 1


def test_keys_belong_to_one_tenant(client: TestClient, auth: dict[str, str]) -> None:
    other, _ = backend_of(client).tenants.create_token("globex", "bob")
    other_auth = {"Authorization": f"Bearer {other}"}
    mine = client.post("/planner/v2", json=demo_tour(), headers=with_key(auth, "shared"))
    theirs = client.post("/planner/v2", json=demo_tour(), headers=with_key(other_auth, "shared"))
    assert mine.status_code == theirs.status_code == 202
    assert mine.json()["job_id"] != theirs.json()["job_id"]
    assert count(client, Job) == 2


@pytest.mark.parametrize("key", ["", "has space", "x" * 256, "umlaut-ä".encode("latin-1")])
def test_a_malformed_key_is_a_422(
    client: TestClient, auth: dict[str, str], key: str | bytes
) -> None:
    headers: dict[str, str | bytes] = {**auth, "Idempotency-Key": key}
    response = client.post("/planner/v2", json=demo_tour(), headers=headers)
    assert_422(response, "header", "Idempotency-Key")


def test_a_request_without_a_key_always_creates_a_job(
    client: TestClient, auth: dict[str, str]
) -> None:
    for _ in range(2):
        assert client.post("/planner/v2", json=demo_tour(), headers=auth).status_code == 202
    assert count(client, Job) == 2


def test_the_synchronous_endpoint_replays_the_plan(
    client: TestClient, auth: dict[str, str]
) -> None:
    first = client.post("/planner", json=demo_tour(), headers=with_key(auth, "sync-1"))
    again = client.post("/planner", json=demo_tour(), headers=with_key(auth, "sync-1"))
    assert first.status_code == again.status_code == 200
    assert again.json() == first.json()
    assert count(client, Job) == 1


def test_a_request_losing_the_race_for_its_key_rolls_back_and_returns_the_winner(
    client: TestClient, auth: dict[str, str]
) -> None:
    """Both requests looked the key up before either committed; the unique index decides."""
    winner = client.post("/planner/v2", json=demo_tour(), headers=with_key(auth, "race"))
    backend = backend_of(client)
    principal = backend.tenants.authenticate(auth["Authorization"].split()[1])
    assert principal is not None
    options = SubmitOptions("POST /planner/v2", "race", None, "http://testserver")
    params = {"corridor": 8000, "min_charge_duration_min": 0}
    body = PlannerRequest.model_validate(demo_tour()).model_dump(mode="json")
    late = JobSubmission(options, principal.tenant_id, backend.idempotency, params, body)
    job = late.store(
        lambda attach: backend.store.submit(
            principal.tenant_id, principal.user_id, "010160700001", {}, {}, attach
        )
    )
    assert job.job_id == winner.json()["job_id"]
    assert count(client, Job) == count(client, Tour) == count(client, IdempotencyKey) == 1


@pytest.fixture(params=BACKENDS)
def any_database_client(
    request: pytest.FixtureRequest, tmp_path: Path, heidelberg_region: Region
) -> Iterator[TestClient]:
    with database_url(request.param, tmp_path) as url:
        settings = make_settings(tmp_path, heidelberg_region, database_url=url)
        with TestClient(create_app(settings), raise_server_exceptions=False) as test_client:
            yield test_client


def test_concurrent_requests_with_one_key_create_one_job(
    any_database_client: TestClient,
) -> None:
    client = any_database_client
    token, _ = backend_of(client).tenants.create_token("acme", "dispatcher")
    headers = {"Authorization": f"Bearer {token}", "Idempotency-Key": "burst"}
    start = threading.Barrier(8)
    answers: list[httpx.Response] = []
    lock = threading.Lock()

    def submit() -> None:
        start.wait()
        response = client.post("/planner/v2", json=demo_tour(), headers=headers)
        with lock:
            answers.append(response)

    threads = [threading.Thread(target=submit) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [a.status_code for a in answers] == [202] * 8, [a.text for a in answers]
    assert len({a.json()["job_id"] for a in answers}) == 1
    assert count(client, Job) == count(client, Tour) == 1
