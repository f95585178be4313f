"""Tenant isolation: tenant B learns nothing about tenant A's jobs, results and vehicles.

Every operation that names a job, an optimization or a vehicle is answered for another tenant's
id exactly as for an id that never existed (404, same body but for the id), so ids cannot be
probed across tenants. Stations have their own tests (tests/api/test_stations_api.py).
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.testclient import TestClient
from tests.api.test_planner_api import submit_and_run
from tests.api.test_vehicles_api import REEFER
from tests.contract_schema import demo_tour

from voltroute.composition import Backend
from voltroute.tenancy.tenants import Principal

pytestmark = pytest.mark.integration  # plans or serves on the real Heidelberg tiles

ISOLATED_PARAMETERS = {"job_id", "optimization_id", "vehicle_id"}
UNUSED_CUSTOM_SLOT_ID = "909950400002"  # a well-formed custom ID in a slot nobody filled


@dataclass(frozen=True)
class Caller:
    principal: Principal
    auth: dict[str, str]


@dataclass(frozen=True)
class Owned:
    """Ids of tenant A's things, and ids of the same shape that exist nowhere."""

    theirs: dict[str, str]
    missing: dict[str, str]


def caller(client: TestClient, tenant: str, user: str) -> Caller:
    backend: Backend = client.app.state.backend  # type: ignore[attr-defined]
    token, principal = backend.tenants.create_token(tenant, user)
    return Caller(principal, {"Authorization": f"Bearer {token}"})


@pytest.fixture
def tenant_a(client: TestClient) -> Caller:
    return caller(client, "acme", "alice")


@pytest.fixture
def tenant_b(client: TestClient) -> Caller:
    return caller(client, "globex", "bob")


@pytest.fixture
def owned(client: TestClient, tenant_a: Caller, tenant_b: Caller) -> Owned:
    """A's finished job with a result, and A's custom vehicle; B has jobs of its own."""
    done = submit_and_run(client, tenant_a.auth, demo_tour())
    vehicle = client.post("/vehicles", json=REEFER, headers=tenant_a.auth)
    assert vehicle.status_code == 201, vehicle.text
    client.post("/planner/v2", json=demo_tour(), headers=tenant_b.auth)  # B is not empty
    return Owned(
        theirs={
            "job_id": done["job_id"],
            "optimization_id": str(done["optimization_id"]),
            "vehicle_id": vehicle.json()["vehicle_id"],
        },
        missing={
            "job_id": str(uuid.uuid4()),
            "optimization_id": str(done["optimization_id"] + 10_000),
            "vehicle_id": UNUSED_CUSTOM_SLOT_ID,
        },
    )


def isolated_operations(client: TestClient) -> list[tuple[str, str, bool]]:
    """(method, path, has body) of every operation whose path names a job, result or vehicle."""
    document: dict[str, Any] = client.app.openapi()  # type: ignore[attr-defined]
    found = []
    for path, item in document["paths"].items():
        names = set(re.findall(r"{(\w+)}", path))
        if names and names <= ISOLATED_PARAMETERS:
            found += [(method.upper(), path, "requestBody" in op) for method, op in item.items()]
    return found


def same_but_for_ids(theirs: str, missing: str, ids: Owned) -> bool:
    for name, value in ids.missing.items():
        missing = missing.replace(value, ids.theirs[name])
    return theirs == missing


def test_every_operation_answers_another_tenants_id_like_one_that_never_existed(
    client: TestClient, tenant_a: Caller, tenant_b: Caller, owned: Owned
) -> None:
    operations = isolated_operations(client)
    assert len(operations) >= 9  # jobs: status, cancel; results: json, geojson, gpx; vehicles
    for method, path, has_body in operations:
        body = REEFER if has_body else None
        theirs = client.request(
            method, path.format(**owned.theirs), json=body, headers=tenant_b.auth
        )
        never = client.request(
            method, path.format(**owned.missing), json=body, headers=tenant_b.auth
        )
        assert theirs.status_code == 404, (method, path, theirs.text)
        assert never.status_code == 404, (method, path, never.text)
        assert same_but_for_ids(theirs.text, never.text, owned), (method, path)


def test_nothing_tenant_b_tries_changes_tenant_a_s_job_or_vehicle(
    client: TestClient, tenant_a: Caller, tenant_b: Caller, owned: Owned
) -> None:
    job_id, vehicle_id = owned.theirs["job_id"], owned.theirs["vehicle_id"]
    before_job = client.get(f"/planner/jobs/{job_id}", headers=tenant_a.auth).json()
    before_vehicle = client.get(f"/vehicles/{vehicle_id}", headers=tenant_a.auth).json()
    client.post(f"/planner/jobs/{job_id}/cancel", headers=tenant_b.auth)
    client.put(f"/vehicles/{vehicle_id}", json={**REEFER, "model": "B"}, headers=tenant_b.auth)
    client.delete(f"/vehicles/{vehicle_id}", headers=tenant_b.auth)
    assert client.get(f"/planner/jobs/{job_id}", headers=tenant_a.auth).json() == before_job
    assert client.get(f"/vehicles/{vehicle_id}", headers=tenant_a.auth).json() == before_vehicle


def test_a_queued_job_of_another_tenant_cannot_be_canceled(
    client: TestClient, tenant_a: Caller, tenant_b: Caller
) -> None:
    queued = client.post("/planner/v2", json=demo_tour(), headers=tenant_a.auth).json()
    response = client.post(f"/planner/jobs/{queued['job_id']}/cancel", headers=tenant_b.auth)
    assert response.status_code == 404
    status = client.get(f"/planner/jobs/{queued['job_id']}", headers=tenant_a.auth).json()
    assert status["status"] == "queued"


def test_listing_another_tenants_user_gives_what_a_user_who_never_existed_gives(
    client: TestClient, tenant_a: Caller, tenant_b: Caller, owned: Owned
) -> None:
    a_user = tenant_a.principal.user_id
    assert client.get("/planner/jobs", params={"user_id": a_user}, headers=tenant_a.auth).json()
    theirs = client.get("/planner/jobs", params={"user_id": a_user}, headers=tenant_b.auth)
    never = client.get("/planner/jobs", params={"user_id": 987_654}, headers=tenant_b.auth)
    assert (theirs.status_code, theirs.json()) == (never.status_code, never.json()) == (200, [])
    vehicles = client.get("/vehicles", headers=tenant_b.auth).json()
    assert owned.theirs["vehicle_id"] not in {v["vehicle_id"] for v in vehicles}


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/planner/jobs/{job_id}"),
        ("GET", "/planner/jobs?user_id=1"),
        ("GET", "/planner/optimizations/{optimization_id}/result"),
        ("POST", "/planner/jobs/{job_id}/cancel"),
        ("GET", "/vehicles"),
        ("GET", "/vehicles/{vehicle_id}"),
    ],
)
def test_naming_another_tenant_id_is_answered_like_a_tenant_that_never_existed(
    client: TestClient,
    tenant_a: Caller,
    tenant_b: Caller,
    owned: Owned,
    method: str,
    path: str,
) -> None:
    url = path.format(**owned.theirs)
    joiner = "&" if "?" in url else "?"
    a_tenant = tenant_a.principal.tenant_id
    theirs = client.request(method, f"{url}{joiner}tenant_id={a_tenant}", headers=tenant_b.auth)
    never = client.request(method, f"{url}{joiner}tenant_id=424242", headers=tenant_b.auth)
    assert theirs.status_code == never.status_code == 404
    assert theirs.json()["detail"] == never.json()["detail"].replace("424242", str(a_tenant))


def test_planning_with_another_tenants_vehicle_is_answered_like_an_unused_id(
    client: TestClient, tenant_b: Caller, owned: Owned
) -> None:
    answers = []
    for vehicle_id in (owned.theirs["vehicle_id"], owned.missing["vehicle_id"]):
        body = {**demo_tour(), "vehicle_id": vehicle_id}
        response = client.post("/planner/v2", json=body, headers=tenant_b.auth)
        answers.append((response.status_code, response.text.replace(vehicle_id, "<id>")))
    assert answers[0] == answers[1]
    assert answers[0][0] == 404
