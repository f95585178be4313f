"""Bad input gets a precise 4xx in the contract's error shape, never a 500."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from fastapi.testclient import TestClient
from tests.api.conftest import make_settings
from tests.contract_schema import contract_errors, demo_tour

from voltroute.api.app import create_app
from voltroute.regions import Region

pytestmark = pytest.mark.integration  # plans or serves on the real Heidelberg tiles


def tour(**changes: Any) -> dict[str, Any]:
    body = demo_tour()
    body.update(changes)
    return body


def assert_422(response: Any, *loc_parts: object) -> list[dict[str, Any]]:
    assert response.status_code == 422, response.text
    body = response.json()
    assert contract_errors(body, "HTTPValidationError") == []
    locs = [entry["loc"] for entry in body["detail"]]
    assert any(all(part in loc for part in loc_parts) for loc in locs), locs
    return list(body["detail"])


@pytest.mark.parametrize(
    ("field", "value"),
    [("battery_level_start", 0.05), ("battery_level_start", 1.2), ("battery_level_end", 0.9)],
)
def test_out_of_range_battery_levels_get_the_contracts_422(
    client: TestClient, auth: dict[str, str], field: str, value: float
) -> None:
    assert_422(client.post("/planner/v2", json=tour(**{field: value}), headers=auth), field)


def test_corridor_outside_its_bounds_is_rejected(client: TestClient, auth: dict[str, str]) -> None:
    response = client.post("/planner/v2?corridor=500", json=tour(), headers=auth)
    assert_422(response, "query", "corridor")


def test_a_body_that_is_not_json_is_a_422(client: TestClient, auth: dict[str, str]) -> None:
    response = client.post(
        "/planner/v2", content=b"{not json", headers={**auth, "Content-Type": "application/json"}
    )
    assert response.status_code == 422
    assert contract_errors(response.json(), "HTTPValidationError") == []


def test_missing_required_fields_are_named(client: TestClient, auth: dict[str, str]) -> None:
    body = tour()
    del body["vehicle_id"]
    assert_422(client.post("/planner/v2", json=body, headers=auth), "vehicle_id")


def test_latitude_beyond_90_is_rejected_although_the_schema_allows_180(
    client: TestClient, auth: dict[str, str]
) -> None:
    body = tour()
    body["section_list"][0]["start_pos"] = [95.0, 8.6]
    details = assert_422(client.post("/planner/v2", json=body, headers=auth), "start_pos")
    assert "latitude 95.0" in details[0]["msg"]


def test_a_position_outside_the_region_is_rejected_with_the_region_named(
    client: TestClient, auth: dict[str, str]
) -> None:
    body = tour()
    body["section_list"][1]["stop_pos"] = [54.5, 5.0]  # North Sea
    details = assert_422(client.post("/planner/v2", json=body, headers=auth), 1, "stop_pos")
    assert "outside the served region 'heidelberg'" in details[0]["msg"]


def test_a_section_without_positions_or_polyline_is_rejected(
    client: TestClient, auth: dict[str, str]
) -> None:
    body = tour()
    body["section_list"][1] = {"section_id": "nothing"}
    assert_422(client.post("/planner/v2", json=body, headers=auth), "section_list", 1)


def test_a_polyline_that_does_not_decode_is_rejected(
    client: TestClient, auth: dict[str, str]
) -> None:
    body = tour(section_list=[{"polyline": "this is not a polyline!"}])
    assert_422(client.post("/planner/v2", json=body, headers=auth), "polyline")


def test_negative_service_time_is_rejected(client: TestClient, auth: dict[str, str]) -> None:
    body = tour()
    body["section_list"][0]["service_time_min"] = -5
    assert_422(client.post("/planner/v2", json=body, headers=auth), "service_time_min")


@pytest.mark.parametrize("start", ["25:00:00", "tomorrow morning", "2026-13-40T08:00:00"])
def test_malformed_start_time_is_a_400_naming_it(
    client: TestClient, auth: dict[str, str], start: str
) -> None:
    response = client.post("/planner/v2", json=tour(start_time_tour=start), headers=auth)
    assert response.status_code == 400
    assert start in response.json()["detail"]


def test_malformed_opening_time_is_a_400(client: TestClient, auth: dict[str, str]) -> None:
    body = tour()
    body["section_list"][0]["opening_time"] = ["9 o'clock", "12:00:00"]
    response = client.post("/planner/v2", json=body, headers=auth)
    assert response.status_code == 400
    assert "9 o'clock" in response.json()["detail"]


def test_an_unknown_vehicle_is_a_404(client: TestClient, auth: dict[str, str]) -> None:
    # Well-formed, but manufacturer code 04 is not known (999999999999 is malformed: a 422).
    response = client.post("/planner/v2", json=tour(vehicle_id="040160700001"), headers=auth)
    assert response.status_code == 404
    assert "040160700001" in response.json()["detail"]


@pytest.mark.parametrize("header", [None, "Bearer ", "Basic abc", "Bearer not-a-token"])
def test_requests_without_a_valid_token_get_401(client: TestClient, header: str | None) -> None:
    headers = {"Authorization": header} if header is not None else {}
    response = client.post("/planner/v2", json=tour(), headers=headers)
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
    assert isinstance(response.json()["detail"], str)


def test_a_tenant_id_other_than_the_tokens_is_a_404(
    client: TestClient, auth: dict[str, str]
) -> None:
    response = client.post("/planner/v2?tenant_id=987654", json=tour(), headers=auth)
    assert response.status_code == 404


def test_another_tenants_job_and_result_are_404(client: TestClient, auth: dict[str, str]) -> None:
    submitted = client.post("/planner/v2", json=tour(), headers=auth).json()
    other, _ = client.app.state.backend.tenants.create_token("rival", "spy")  # type: ignore[attr-defined]
    spy = {"Authorization": f"Bearer {other}"}
    assert client.get(f"/planner/jobs/{submitted['job_id']}", headers=spy).status_code == 404
    result_url = f"/planner/optimizations/{submitted['optimization_id']}/result"
    assert client.get(result_url, headers=spy).status_code == 404
    cancel_url = f"/planner/jobs/{submitted['job_id']}/cancel"
    assert client.post(cancel_url, headers=spy).status_code == 404
    listed = client.get("/planner/jobs?user_id=1", headers=spy).json()
    assert submitted["job_id"] not in {job["job_id"] for job in listed}


def test_an_unknown_job_is_a_404(client: TestClient, auth: dict[str, str]) -> None:
    response = client.get("/planner/jobs/00000000-0000-0000-0000-000000000000", headers=auth)
    assert response.status_code == 404


def test_oversized_bodies_are_refused_before_parsing(
    client: TestClient, auth: dict[str, str]
) -> None:
    body = tour()
    body["section_list"][0]["section_id"] = "x" * 3_000_000
    response = client.post("/planner/v2", json=body, headers=auth)
    assert response.status_code == 413


def test_the_rate_limit_answers_429_with_retry_after(
    tmp_path: Any, heidelberg_region: Region
) -> None:
    settings = make_settings(tmp_path, heidelberg_region, rate_limit_per_min=3)
    with TestClient(create_app(settings)) as client:
        token, _ = client.app.state.backend.tenants.create_token("acme", "a")  # type: ignore[attr-defined]
        headers = {"Authorization": f"Bearer {token}"}
        codes = [
            client.get("/planner/jobs?user_id=1", headers=headers).status_code for _ in range(4)
        ]
        assert codes == [200, 200, 200, 429]
        limited = client.get("/planner/jobs?user_id=1", headers=headers)
        assert int(limited.headers["retry-after"]) >= 1
        assert "Rate limit" in limited.json()["detail"]


def test_a_non_default_corridor_adds_a_warning(client: TestClient, auth: dict[str, str]) -> None:
    response = client.post("/planner/v2?corridor=12000", json=tour(), headers=auth)
    assert response.status_code == 202
    assert any("12000" in warning for warning in response.json()["warnings"])
    plain = client.post("/planner/v2", json=copy.deepcopy(tour()), headers=auth).json()
    assert plain.get("warnings") is None
