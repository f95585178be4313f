"""Station power curves through the API on the real Heidelberg region: a tenant's station with
its curve (import, read, plan with it), a request stop's curve, and bad curves answered with
their reasons: rejected rows in an import's report, a 422 in the contract's shape for a request."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from tests.api.test_driver_rules_api import dated_tour, planned, refusal
from tests.api.test_stations_api import DEPOT_A, depot, import_overlay, overlay
from tests.contract_schema import contract_errors, demo_tour

pytestmark = pytest.mark.integration  # plans or serves on the real Heidelberg tiles

# A legacy unit behind 400 kW charge points: 60 kW whatever the SoC.
SLOW = [[0.0, 60.0]]


def charging_stops(result: dict[str, Any], station_id: str) -> list[dict[str, Any]]:
    return [
        s["poi_summary"]
        for s in result["sections"]
        if s["poi_summary"]["station_id"] == station_id
        and s["poi_summary"]["stop_type"] == "charging"
    ]


def mean_kw(summary: dict[str, Any]) -> float:
    return float(summary["energy_kWh"]) / (float(summary["charge_time_min"]) / 60.0)


def depot_tour() -> dict[str, Any]:
    """The demo tour's first section from 12 %, charging only at the tenant's own depots."""
    body = demo_tour()
    body["section_list"] = body["section_list"][:1]
    body["battery_level_start"] = 0.12
    body["poi_info"] = {"cpo": ["Own fleet"]}
    return body


def test_a_tenant_station_s_curve_is_stored_read_and_planned_with(
    client: TestClient, auth: dict[str, str]
) -> None:
    report = import_overlay(
        client, auth, overlay(depot("slow", DEPOT_A, power_curve=SLOW)), source_key="depots"
    )
    assert (report["added"], report["rejected"]) == (1, [])
    station = client.get("/stations/tenant:slow", headers=auth).json()
    assert station["power_curve"] == SLOW
    assert station["max_power_kW"] == 400.0  # the charge points are as rated

    response = client.post("/planner", json=depot_tour(), headers=auth)
    assert response.status_code == 200, response.text
    [slow_stop] = charging_stops(response.json(), "tenant:slow")
    assert slow_stop["energy_kWh"] > 0
    assert mean_kw(slow_stop) == pytest.approx(60.0, rel=1e-3)

    # The same depot without its curve charges at the truck's curve under 400 kW.
    import_overlay(client, auth, overlay(depot("slow", DEPOT_A)), source_key="depots")
    assert client.get("/stations/tenant:slow", headers=auth).json()["power_curve"] is None
    flat = client.post("/planner", json=depot_tour(), headers=auth).json()
    [flat_stop] = charging_stops(flat, "tenant:slow")
    assert mean_kw(flat_stop) > 300.0


def test_a_bad_curve_in_an_import_rejects_its_row_with_the_reason(
    client: TestClient, auth: dict[str, str]
) -> None:
    report = import_overlay(
        client,
        auth,
        overlay(
            depot("good", DEPOT_A, power_curve=[[0.0, 400.0], [0.8, 400.0], [1.0, 80.0]]),
            depot("backwards", DEPOT_A, power_curve=[[0.8, 400.0], [0.5, 80.0]]),
            depot("zero", DEPOT_A, power_curve=[[0.9, 0.0]]),
        ),
    )
    assert report["added"] == 1
    assert {r["row"]: r["reason"] for r in report["rejected"]} == {
        "backwards": "power_curve: point 1: soc 0.5 is not above point 0's 0.8 (soc must "
        "increase strictly)",
        "zero": "power_curve: point 0: 0.0 kW is outside 1..5000 kW",
    }
    csv_text = (
        "id,name,lat,lon,ccs_kw,power_curve\n"
        f"csv-good,Depot CSV,{DEPOT_A[0]},{DEPOT_A[1]},400,0:400;0.85:400;1:60\n"
        f"csv-bad,Depot CSV,{DEPOT_A[0]},{DEPOT_A[1]},400,0:400;1.2:60\n"
    )
    response = client.post(
        "/stations/import", content=csv_text, headers={**auth, "Content-Type": "text/csv"}
    )
    assert response.status_code == 200, response.text
    assert [(r["row"], r["reason"]) for r in response.json()["rejected"]] == [
        ("csv-bad", "power_curve: point 1: soc 1.2 is outside 0..1")
    ]
    assert client.get("/stations/tenant:csv-good", headers=auth).json()["power_curve"] == [
        [0.0, 400.0],
        [0.85, 400.0],
        [1.0, 60.0],
    ]


@pytest.mark.parametrize(
    ("curve", "msg"),
    [
        ([[0.8, 150], [0.5, 20]], "point 1: soc 0.5 is not above point 0's 0.8 (soc must "
         "increase strictly)"),
        ([[0.5, 0]], "point 0: 0.0 kW is outside 1..5000 kW"),
        ([[1.5, 20]], "point 0: soc 1.5 is outside 0..1"),
        ([], "a power curve needs 1 to 32 points, got 0"),
        ([[i / 40, 20] for i in range(33)], "at most 32 items (breakpoints of a power curve)"),
    ],
)  # fmt: skip
def test_a_bad_stop_curve_is_a_422_in_the_contract_s_shape_naming_the_field(
    client: TestClient, auth: dict[str, str], curve: list[list[float]], msg: str
) -> None:
    body = dated_tour()
    body["section_list"][1]["power_curve"] = curve
    response = client.post("/planner/v2", json=body, headers=auth)
    assert response.status_code == 422, response.text
    assert contract_errors(response.json(), "HTTPValidationError") == []
    item = refusal(client, auth, body)
    assert item["loc"] == ["body", "section_list", 1, "power_curve"]
    assert msg in item["msg"]


@pytest.mark.parametrize(
    ("index", "curve", "msg"),
    [
        (1, [[0.0, 150], [0.9, 200]], "point 1: 200 kW is above the section's "
         "power_available_kW (150 kW): a curve only lowers the charger's power"),
        (0, [[0.0, 50]], "power_curve limits the charger of power_available_kW, which this "
         "section does not give (0 kW: no charging at the stop)"),
    ],
)  # fmt: skip
def test_a_stop_curve_above_its_power_or_without_one_is_a_422_naming_the_field(
    client: TestClient, auth: dict[str, str], index: int, curve: list[list[float]], msg: str
) -> None:
    body = dated_tour()
    body["section_list"][index]["power_curve"] = curve
    response = client.post("/planner/v2", json=body, headers=auth)
    assert response.status_code == 422, response.text
    assert contract_errors(response.json(), "HTTPValidationError") == []
    item = refusal(client, auth, body)
    assert item["loc"] == ["body", "section_list", index, "power_curve"]
    assert item["msg"] == msg


def test_a_curve_above_the_station_s_charge_points_rejects_its_row(
    client: TestClient, auth: dict[str, str]
) -> None:
    report = import_overlay(
        client, auth, overlay(depot("typo", DEPOT_A, power_curve=[[0.0, 400.0], [0.9, 4000.0]]))
    )
    assert report["added"] == 0
    assert [(r["row"], r["reason"]) for r in report["rejected"]] == [
        (
            "typo",
            "power_curve: point 1: 4000 kW is above the station's most powerful charge point "
            "(400 kW)",
        )
    ]


def test_a_stop_s_curve_caps_the_charging_during_its_service(
    client: TestClient, auth: dict[str, str]
) -> None:
    body = dated_tour()
    flat = planned(client, auth, body)["sections"][1]["poi_summary"]
    body["section_list"][1]["power_curve"] = [[0.0, 20.0]]  # a 20 kW wallbox behind 150 kW
    result = planned(client, auth, body)
    assert contract_errors(result, "OptimizationResultResponse") == []
    capped = result["sections"][1]["poi_summary"]
    assert capped["power_available_kW"] == flat["power_available_kW"] == 150
    assert mean_kw(flat) > 100.0
    assert mean_kw(capped) == pytest.approx(20.0, rel=1e-3)
    assert capped["energy_kWh"] < flat["energy_kWh"]
