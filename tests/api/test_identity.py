"""GET /me: the tenant and user of a token, so the page can list the user's jobs."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient
from tests.contract_schema import DEMO_TOUR

pytestmark = pytest.mark.integration  # plans or serves on the real Heidelberg tiles


def test_me_names_the_tokens_user_whose_jobs_the_list_shows(
    client: TestClient, auth: dict[str, str]
) -> None:
    submitted = client.post("/planner/v2", json=json.loads(DEMO_TOUR.read_text()), headers=auth)
    assert submitted.status_code == 202

    me = client.get("/me", headers=auth)

    assert me.status_code == 200
    assert set(me.json()) == {"tenant_id", "user_id"}
    jobs = client.get("/planner/jobs", params={"user_id": me.json()["user_id"]}, headers=auth)
    assert jobs.status_code == 200
    assert [job["job_id"] for job in jobs.json()] == [submitted.json()["job_id"]]


def test_me_without_a_token_is_a_401(client: TestClient) -> None:
    assert client.get("/me").status_code == 401
