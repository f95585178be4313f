"""Revoked, expired and rotated tokens at the API: refused (401) from the next request on.

The token is revoked through the real CLI, on the same SQLite database the app reads.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from voltroute.cli import app
from voltroute.composition import Backend
from voltroute.config import Settings
from voltroute.db.models import utcnow

pytestmark = pytest.mark.integration  # plans or serves on the real Heidelberg tiles


@pytest.fixture
def cli(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("VOLTROUTE_DATA_DIR", str(settings.data_dir))
    monkeypatch.setenv("VOLTROUTE_REGION_DIR", str(settings.resolved_region_dir))
    return CliRunner()


def _backend(client: TestClient) -> Backend:
    backend: Backend = client.app.state.backend  # type: ignore[attr-defined]
    return backend


def _status(client: TestClient, token: str) -> int:
    response = client.get("/vehicles", headers={"Authorization": f"Bearer {token}"})
    return response.status_code


def test_a_revoked_token_is_refused_at_once(client: TestClient, cli: CliRunner) -> None:
    token, principal = _backend(client).tenants.create_token("acme", "dispatcher")
    assert _status(client, token) == 200

    revoked = cli.invoke(app, ["tokens", "revoke", str(principal.token_id)])

    assert revoked.exit_code == 0, revoked.stderr
    response = client.get("/vehicles", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"


def test_an_expired_token_is_refused(client: TestClient) -> None:
    tenants = _backend(client).tenants
    expired, _ = tenants.create_token("acme", "dispatcher", expires_at=utcnow() - timedelta(1))
    valid, _ = tenants.create_token("acme", "dispatcher", expires_at=utcnow() + timedelta(1))

    assert _status(client, expired) == 401
    assert _status(client, valid) == 200


def test_after_a_rotation_the_new_token_works_and_the_old_one_is_refused(
    client: TestClient, cli: CliRunner
) -> None:
    old, principal = _backend(client).tenants.create_token("acme", "dispatcher")

    rotated = cli.invoke(app, ["tokens", "rotate", str(principal.token_id)])

    assert rotated.exit_code == 0, rotated.stderr
    assert _status(client, old) == 401
    assert _status(client, rotated.stdout.strip()) == 200
