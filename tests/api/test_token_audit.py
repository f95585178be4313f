"""The audit log of token use: a row per authenticated request, `voltroute tokens audit`."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from tests.contract_schema import demo_tour
from typer.testing import CliRunner

from voltroute.cli import app as cli
from voltroute.composition import Backend

pytestmark = pytest.mark.integration  # plans or serves on the real Heidelberg tiles


def backend_of(client: TestClient) -> Backend:
    backend: Backend = client.app.state.backend  # type: ignore[attr-defined]
    return backend


def test_each_authenticated_request_is_logged_with_its_answer(
    client: TestClient, auth: dict[str, str]
) -> None:
    missing = str(uuid.uuid4())
    client.post("/planner/v2", json=demo_tour(), headers=auth)
    client.get(f"/planner/jobs/{missing}", headers=auth)
    client.post("/planner/v2", json={"vehicle_id": "x"}, headers=auth)
    entries = backend_of(client).token_audit.recent()
    assert [(e.method, e.path, e.status_code) for e in entries] == [
        ("POST", "/planner/v2", 422),
        ("GET", f"/planner/jobs/{missing}", 404),
        ("POST", "/planner/v2", 202),
    ]
    assert {(e.tenant, e.client_address) for e in entries} == {("acme", "testclient")}


def test_requests_without_a_valid_token_are_not_logged_as_token_use(
    client: TestClient, auth: dict[str, str]
) -> None:
    client.get("/planner/jobs?user_id=1")
    client.get("/planner/jobs?user_id=1", headers={"Authorization": "Bearer vrt_wrong"})
    client.get("/health", headers=auth)  # no authentication on this endpoint
    assert backend_of(client).token_audit.recent() == []


def test_a_broken_audit_log_never_fails_the_request(
    client: TestClient, auth: dict[str, str]
) -> None:
    with backend_of(client).engine.begin() as connection:
        connection.execute(text("DROP TABLE token_audit"))
    response = client.get("/planner/jobs?user_id=1", headers=auth)
    assert response.status_code == 200
    assert response.json() == []


def test_the_cli_lists_recent_entries_of_a_tenant(
    client: TestClient, auth: dict[str, str], tmp_path: Path
) -> None:
    other, _ = backend_of(client).tenants.create_token("globex", "bob", label="bob's laptop")
    client.get("/planner/jobs?user_id=1", headers=auth)
    client.get("/vehicles", headers={"Authorization": f"Bearer {other}"})
    env = {"VOLTROUTE_DATA_DIR": str(tmp_path)}
    result = CliRunner().invoke(cli, ["tokens", "audit", "--tenant", "globex"], env=env)
    assert result.exit_code == 0, result.output
    assert "/vehicles" in result.output
    assert "bob's laptop" in result.output
    assert "/planner/jobs" not in result.output
    everyone = CliRunner().invoke(cli, ["tokens", "audit", "--limit", "5"], env=env)
    assert "/planner/jobs" in everyone.output
    assert "/vehicles" in everyone.output
