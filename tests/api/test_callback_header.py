"""X-Callback-Url on the job-creating POSTs, and a token's default callback URL."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from tests.api.conftest import make_settings
from tests.api.test_bad_input import assert_422
from tests.contract_schema import demo_tour

from voltroute.api.app import create_app
from voltroute.composition import Backend
from voltroute.regions import Region

pytestmark = pytest.mark.integration  # plans or serves on the real Heidelberg tiles

SECRET = "test-webhook-secret-0123456789"
HOOK = "https://hooks.example.com/voltroute?fleet=7"


@pytest.fixture
def hooked(tmp_path: Path, heidelberg_region: Region) -> TestClient:
    settings = make_settings(tmp_path, heidelberg_region, webhook_secret=SECRET)
    return TestClient(create_app(settings), raise_server_exceptions=False)


def backend_of(client: TestClient) -> Backend:
    backend: Backend = client.app.state.backend  # type: ignore[attr-defined]
    return backend


def bearer(client: TestClient, callback_url: str | None = None) -> dict[str, str]:
    token, _ = backend_of(client).tenants.create_token("acme", "alice", callback_url=callback_url)
    return {"Authorization": f"Bearer {token}"}


def test_a_callback_url_is_stored_with_the_job_and_its_result_url(hooked: TestClient) -> None:
    with hooked:
        headers = {**bearer(hooked), "X-Callback-Url": HOOK}
        submitted = hooked.post("/planner/v2", json=demo_tour(), headers=headers)
        assert submitted.status_code == 202, submitted.text
        delivery = backend_of(hooked).webhooks.for_job(submitted.json()["job_id"])
    assert delivery is not None
    assert (delivery.url, delivery.status, delivery.attempts) == (HOOK, "pending", 0)
    optimization_id = submitted.json()["optimization_id"]
    assert delivery.result_url == (
        f"http://testserver/planner/optimizations/{optimization_id}/result"
    )


def test_the_public_url_setting_names_the_result_url(
    tmp_path: Path, heidelberg_region: Region
) -> None:
    settings = make_settings(
        tmp_path,
        heidelberg_region,
        webhook_secret=SECRET,
        public_url="https://planner.example.com/",
    )
    with TestClient(create_app(settings)) as client:
        headers = {**bearer(client), "X-Callback-Url": HOOK}
        job_id = client.post("/planner/v2", json=demo_tour(), headers=headers).json()["job_id"]
        delivery = backend_of(client).webhooks.for_job(job_id)
    assert delivery is not None
    assert delivery.result_url.startswith("https://planner.example.com/planner/optimizations/")


def test_a_token_default_applies_unless_the_header_names_another(hooked: TestClient) -> None:
    with hooked:
        auth = bearer(hooked, callback_url="https://default.example.com/hook")
        plain = hooked.post("/planner/v2", json=demo_tour(), headers=auth).json()
        named = hooked.post(
            "/planner/v2", json=demo_tour(), headers={**auth, "X-Callback-Url": HOOK}
        ).json()
        webhooks = backend_of(hooked).webhooks
        by_default = webhooks.for_job(plain["job_id"])
        by_header = webhooks.for_job(named["job_id"])
    assert by_default is not None
    assert by_default.url == "https://default.example.com/hook"
    assert by_header is not None
    assert by_header.url == HOOK


def test_a_job_without_a_callback_has_no_delivery(hooked: TestClient) -> None:
    with hooked:
        job_id = hooked.post("/planner/v2", json=demo_tour(), headers=bearer(hooked)).json()[
            "job_id"
        ]
        assert backend_of(hooked).webhooks.for_job(job_id) is None


@pytest.mark.parametrize(
    "url",
    [
        "ftp://example.com/x",
        "example.com/hook",
        "https://u:p@example.com/",
        "https://" + "a" * 5000,
    ],
)
def test_a_bad_callback_url_is_a_422_and_no_job(hooked: TestClient, url: str) -> None:
    with hooked:
        headers = {**bearer(hooked), "X-Callback-Url": url}
        response = hooked.post("/planner/v2", json=demo_tour(), headers=headers)
        assert_422(response, "header", "X-Callback-Url")
        assert backend_of(hooked).store.status_counts() == {}


def test_without_a_webhook_secret_a_callback_is_refused_with_the_reason(
    client: TestClient, auth: dict[str, str]
) -> None:
    headers = {**auth, "X-Callback-Url": HOOK}
    response = client.post("/planner/v2", json=demo_tour(), headers=headers)
    [error] = assert_422(response, "header", "X-Callback-Url")
    assert "VOLTROUTE_WEBHOOK_SECRET" in error["msg"]
