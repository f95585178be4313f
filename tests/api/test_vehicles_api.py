"""The vehicle endpoints (extension): custom vehicles per tenant and catalogue lookups."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from tests.api.test_bad_input import assert_422, tour

pytestmark = pytest.mark.integration  # plans or serves on the real Heidelberg tiles

REEFER: dict[str, Any] = {
    "model": "Reefer 500",
    "battery_usable_kwh": 500,
    "ccs_max_kw": 400,
    "inlet_side": "LEFT",
    "charging_curve": [[0.0, 300.0], [0.8, 400.0], [1.0, 100.0]],
    "curb_mass_kg": 19_000,
    "auxiliary_kw": 8.0,
}


@pytest.fixture
def other_auth(client: TestClient) -> dict[str, str]:
    token, _ = client.app.state.backend.tenants.create_token("globex", "bob")  # type: ignore[attr-defined]
    return {"Authorization": f"Bearer {token}"}


def _create(client: TestClient, auth: dict[str, str], **changes: Any) -> dict[str, Any]:
    response = client.post("/vehicles", json={**REEFER, **changes}, headers=auth)
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def test_a_custom_vehicle_is_created_listed_read_replaced_and_deleted(
    client: TestClient, auth: dict[str, str]
) -> None:
    created = _create(client, auth)
    vehicle_id = created["vehicle_id"]
    assert vehicle_id == "900150400002"
    assert created["origin"] == "custom"
    assert created["charging_curve"] == [[0.0, 300.0], [0.8, 400.0], [1.0, 100.0]]
    assert created["drag_area_m2"] == 5.4  # a default
    assert [v["vehicle_id"] for v in client.get("/vehicles", headers=auth).json()] == [vehicle_id]
    assert client.get(f"/vehicles/{vehicle_id}", headers=auth).json() == created

    replaced = client.put(
        f"/vehicles/{vehicle_id}", json={**REEFER, "battery_usable_kwh": 300}, headers=auth
    )
    assert replaced.status_code == 200
    assert replaced.json()["vehicle_id"] == "900130400002"

    assert client.delete(f"/vehicles/{vehicle_id}", headers=auth).status_code == 204
    assert client.get(f"/vehicles/{vehicle_id}", headers=auth).status_code == 404
    assert client.delete(f"/vehicles/{vehicle_id}", headers=auth).status_code == 404


def test_another_tenant_gets_404_for_a_custom_vehicle_and_cannot_plan_with_it(
    client: TestClient, auth: dict[str, str], other_auth: dict[str, str]
) -> None:
    vehicle_id = _create(client, auth)["vehicle_id"]
    assert client.get(f"/vehicles/{vehicle_id}", headers=other_auth).status_code == 404
    assert client.get(f"/vehicles/info/{vehicle_id}", headers=other_auth).status_code == 404
    assert client.put(f"/vehicles/{vehicle_id}", json=REEFER, headers=other_auth).status_code == 404
    assert client.get("/vehicles", headers=other_auth).json() == []
    response = client.post("/planner/v2", json=tour(vehicle_id=vehicle_id), headers=other_auth)
    assert response.status_code == 404
    assert vehicle_id in response.json()["detail"]


def test_a_custom_vehicle_plans_a_tour_of_its_tenant(
    client: TestClient, auth: dict[str, str]
) -> None:
    vehicle_id = _create(client, auth)["vehicle_id"]
    response = client.post("/planner", json=tour(vehicle_id=vehicle_id), headers=auth)
    assert response.status_code == 200, response.text
    assert response.json()["vehicle_id"] == vehicle_id


def test_the_vehicle_endpoints_need_a_token(client: TestClient) -> None:
    assert client.get("/vehicles").status_code == 401
    assert client.post("/vehicles", json=REEFER).status_code == 401
    assert client.get("/vehicles/info/oems").status_code == 401


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"curb_mass_kg": -100}, "curb_mass_kg"),
        ({"curb_mass_kg": 1e9}, "curb_mass_kg"),
        ({"drivetrain_efficiency": 1.2}, "drivetrain_efficiency"),
        ({"recuperation_efficiency": 1.01}, "recuperation_efficiency"),
        (
            {"charging_curve": [[0.0, 100.0], [0.6, 200.0], [0.5, 150.0], [1.0, 50.0]]},
            "charging_curve",
        ),
        ({"charging_curve": [[0.0, 100.0], [0.9, 50.0]]}, "charging_curve"),
        ({"charging_curve": [[0.0, -1.0], [1.0, 50.0]]}, "charging_curve"),
        # A 0 kW stretch below full strands the truck (it once made the search loop forever).
        (
            {"charging_curve": [[0.0, 0.0], [0.45, 0.0], [0.5, 400.0], [1.0, 100.0]]},
            "charging_curve",
        ),
        ({"charging_curve": [[0.0, 300.0], [0.5, 0.5], [1.0, 100.0]]}, "charging_curve"),
        ({"max_gross_mass_kg": 15_000}, "max_gross_mass_kg"),
        ({"battery_gross_kwh": 400}, "battery_gross_kwh"),
        ({"ccs_max_kw": 0, "mcs_max_kw": 0}, "mcs_max_kw"),
        ({"comfort_min_c": 30, "comfort_max_c": 20}, "comfort_max_c"),
        ({"wings": 2}, "wings"),
    ],
)
def test_bad_vehicle_figures_are_a_422_naming_the_field(
    client: TestClient, auth: dict[str, str], changes: dict[str, Any], field: str
) -> None:
    assert_422(client.post("/vehicles", json={**REEFER, **changes}, headers=auth), "body", field)


def test_a_payload_above_what_the_vehicle_may_carry_is_a_422_naming_the_section(
    client: TestClient, auth: dict[str, str]
) -> None:
    vehicle_id = _create(client, auth, max_gross_mass_kg=30_000)["vehicle_id"]
    body = tour(vehicle_id=vehicle_id)
    body["section_list"][1]["payload_kg"] = 12_000  # 11 t allowed
    details = assert_422(
        client.post("/planner/v2", json=body, headers=auth), "section_list", 1, "payload_kg"
    )
    assert "11000 kg" in details[0]["msg"]


@pytest.mark.parametrize(
    ("vehicle_id", "part"),
    [
        ("0101607000", "length"),
        ("01016070000x", "digits"),
        ("010160700002" + "1", "length"),
        ("010160700031", "MCS flag"),
        ("010160700007", "inlet position"),
        ("010100700001", "battery"),
    ],
)
def test_a_malformed_vehicle_id_is_a_422_naming_the_wrong_part(
    client: TestClient, auth: dict[str, str], vehicle_id: str, part: str
) -> None:
    details = assert_422(
        client.post("/planner/v2", json=tour(vehicle_id=vehicle_id), headers=auth), "vehicle_id"
    )
    assert part in details[0]["msg"]
    details = assert_422(client.get(f"/vehicles/info/{vehicle_id}", headers=auth), "vehicle_id")
    assert part in details[0]["msg"]


def test_oems_list_the_published_codes_and_ours(client: TestClient, auth: dict[str, str]) -> None:
    oems = {o["code"]: o for o in client.get("/vehicles/info/oems", headers=auth).json()}
    assert oems["01"]["code_published"] is True
    assert oems["01"]["model_count"] == 3
    assert oems["50"]["name"] == "Tesla"
    assert oems["50"]["code_published"] is False


def test_models_of_a_manufacturer_by_code_or_name(client: TestClient, auth: dict[str, str]) -> None:
    by_code = client.get("/vehicles/info/models?oem=05", headers=auth).json()
    by_name = client.get("/vehicles/info/models?oem=scania", headers=auth).json()
    assert by_code == by_name
    assert {m["model_code"] for m in by_code} == {"01", "02"}
    assert client.get("/vehicles/info/models?oem=04", headers=auth).status_code == 404
    assert client.get("/vehicles/info/models?oem=Trabant", headers=auth).status_code == 404


def test_vehicle_info_shows_catalogue_sources_and_decodes_unknown_ids(
    client: TestClient, auth: dict[str, str]
) -> None:
    info = client.get("/vehicles/info/010160700001", headers=auth).json()
    assert info["origin"] == "catalogue"
    assert info["figure_sources"]["battery_usable_kwh"]["url"].startswith("https://")
    decoded = client.get("/vehicles/info/010150400002", headers=auth).json()
    assert decoded["origin"] == "decoded"
    assert decoded["battery_usable_kwh"] == 500
    assert decoded["inlet_side"] == "LEFT"
    unknown = client.get("/vehicles/info/040150400002", headers=auth)
    assert unknown.status_code == 404
    assert "manufacturer code 04" in unknown.json()["detail"]
