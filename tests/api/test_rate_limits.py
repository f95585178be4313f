"""Rate limits by tenant: counted after authentication, per tenant; everything else per address.

The probes of issue 18: garbage tokens from one address locked the next valid call out; a
spoofed X-Forwarded-For gave every request a fresh budget and reached the audit log.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from tests.api.conftest import make_settings

from voltroute.api.app import create_app
from voltroute.composition import Backend
from voltroute.regions import Region

pytestmark = pytest.mark.integration  # plans or serves on the real Heidelberg tiles

JOBS = "/planner/jobs?user_id=1"
PEER = ("127.0.0.1", 50_000)  # what uvicorn gives the app for a local client


def backend_of(client: TestClient) -> Backend:
    backend: Backend = client.app.state.backend  # type: ignore[attr-defined]
    return backend


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def limited(tmp_path: Path, heidelberg_region: Region) -> Iterator[TestClient]:
    """The default budget (120 per minute), a local peer and no trusted proxy."""
    settings = make_settings(tmp_path, heidelberg_region)
    with TestClient(create_app(settings), client=PEER) as client:
        yield client


def test_garbage_tokens_cannot_lock_a_valid_tenant_out_of_its_address(
    limited: TestClient,
) -> None:
    token, _ = backend_of(limited).tenants.create_token("acme", "dispatcher")
    codes = [limited.get(JOBS, headers=bearer("vrt_garbage")).status_code for _ in range(130)]
    assert codes[:120] == [401] * 120
    assert set(codes[120:]) == {429}  # the garbage gets its own 429s
    assert limited.get(JOBS, headers=bearer(token)).status_code == 200


def test_requests_without_a_token_are_counted_per_address_too(limited: TestClient) -> None:
    codes = [limited.get(JOBS).status_code for _ in range(121)]
    assert codes[-2:] == [401, 429]


def test_a_tenant_over_its_budget_gets_429_and_another_tenant_does_not(
    tmp_path: Path, heidelberg_region: Region
) -> None:
    settings = make_settings(tmp_path, heidelberg_region, rate_limit_per_min=3)
    with TestClient(create_app(settings), client=PEER) as client:
        tenants = backend_of(client).tenants
        busy, _ = tenants.create_token("acme", "dispatcher")
        colleague, _ = tenants.create_token("acme", "planner")
        quiet, _ = tenants.create_token("globex", "bob")
        codes = [client.get(JOBS, headers=bearer(busy)).status_code for _ in range(3)]
        limited = client.get(JOBS, headers=bearer(colleague))  # the same tenant's budget
        assert [*codes, limited.status_code] == [200, 200, 200, 429]
        assert set(limited.json()) == {"detail"}  # the contract's error shape
        assert "per tenant" in limited.json()["detail"]
        assert int(limited.headers["retry-after"]) >= 1
        assert client.get(JOBS, headers=bearer(quiet)).status_code == 200


def test_a_spoofed_forwarded_for_neither_refreshes_the_budget_nor_reaches_the_audit_log(
    limited: TestClient,
) -> None:
    token, _ = backend_of(limited).tenants.create_token("acme", "dispatcher")
    codes = [
        limited.get(
            JOBS, headers={**bearer("vrt_garbage"), "X-Forwarded-For": f"198.51.100.{i % 250}"}
        ).status_code
        for i in range(121)
    ]
    assert codes[-1] == 429  # one budget: the peer's
    limited.get(JOBS, headers={**bearer(token), "X-Forwarded-For": "203.0.113.9"})
    assert [e.client_address for e in backend_of(limited).token_audit.recent()] == ["127.0.0.1"]


def test_a_trusted_proxy_names_the_client_for_the_budget_and_the_audit_log(
    tmp_path: Path, heidelberg_region: Region
) -> None:
    settings = make_settings(
        tmp_path, heidelberg_region, rate_limit_per_min=2, trusted_proxies=["127.0.0.0/8"]
    )
    with TestClient(create_app(settings), client=PEER) as client:
        token, _ = backend_of(client).tenants.create_token("acme", "dispatcher")
        # What the client wrote ("192.0.2.66") is left of what the proxy appended.
        via_proxy = {"X-Forwarded-For": "192.0.2.66, 203.0.113.9"}
        client.get(JOBS, headers={**bearer(token), **via_proxy})
        assert backend_of(client).token_audit.recent()[0].client_address == "203.0.113.9"
        garbage = bearer("vrt_garbage")
        first = [
            client.get(JOBS, headers={**garbage, "X-Forwarded-For": "198.51.100.1"}).status_code
            for _ in range(3)
        ]
        other = client.get(JOBS, headers={**garbage, "X-Forwarded-For": "198.51.100.2"})
        assert (first, other.status_code) == ([401, 401, 429], 401)


def test_an_address_or_network_is_required_for_trusted_proxies(
    tmp_path: Path, heidelberg_region: Region
) -> None:
    with pytest.raises(ValueError, match=r"proxy\.example"):
        make_settings(tmp_path, heidelberg_region, trusted_proxies=["proxy.example"])
