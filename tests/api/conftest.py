"""An in-process app on the real Heidelberg region with a real SQLite database."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from voltroute.api.app import create_app
from voltroute.config import Settings
from voltroute.regions import Region


def make_settings(data_dir: Path, region: Region, **overrides: object) -> Settings:
    return Settings(data_dir=data_dir, region_dir=region.path, **overrides)  # type: ignore[arg-type]


@pytest.fixture
def settings(tmp_path: Path, heidelberg_region: Region) -> Settings:
    return make_settings(tmp_path, heidelberg_region)


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(settings), raise_server_exceptions=False) as test_client:
        yield test_client


@pytest.fixture
def token(client: TestClient) -> str:
    created, _ = client.app.state.backend.tenants.create_token("acme", "dispatcher")  # type: ignore[attr-defined]
    return created


@pytest.fixture
def auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}
