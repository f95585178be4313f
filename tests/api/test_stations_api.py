"""The station endpoints on the real Heidelberg region: search, a tenant's own stations, scope."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from tests.contract_schema import contract_errors, demo_tour

pytestmark = pytest.mark.integration  # plans or serves on the real Heidelberg tiles

HEIDELBERG_BBOX = "8.55,49.33,8.75,49.47"  # min_lon,min_lat,max_lon,max_lat
SCENARIO_SITES = 7  # src/voltroute/stations/data/heidelberg_scenario.json
OCPI_BAD_LOCATIONS = Path(__file__).resolve().parents[1] / "stations/data/ocpi_bad_locations.json"

# Next to the A 5 / B 535 between the demo depot and its first customer, so inside the corridor
# of the demo tour's first section.
DEPOT_A = (49.4232, 8.6425)
DEPOT_B = (49.3716, 8.6226)


def overlay(*records: dict[str, Any]) -> str:
    return json.dumps({"format": "voltroute-station-overlay", "version": 1, "records": records})


def depot(record_id: str, position: tuple[float, float], **fields: Any) -> dict[str, Any]:
    lat, lon = position
    return {"id": record_id, "name": f"Depot {record_id}", "lat": lat, "lon": lon,
            "operator": "Own fleet", "ccs_kw": 400, "ccs_count": 2, "truck_access": "TT",
            "inlet_side": "BOTH", "opening_hours": "24/7", **fields}  # fmt: skip


def import_overlay(
    client: TestClient, auth: dict[str, str], body: str, **params: str
) -> dict[str, Any]:
    response = client.post(
        "/stations/import",
        content=body,
        params=params,
        headers={**auth, "Content-Type": "application/json"},
    )
    assert response.status_code == 200, response.text
    report: dict[str, Any] = response.json()
    return report


def search(client: TestClient, auth: dict[str, str], **params: Any) -> dict[str, Any]:
    response = client.get("/stations", params={"bbox": HEIDELBERG_BBOX, **params}, headers=auth)
    assert response.status_code == 200, response.text
    page: dict[str, Any] = response.json()
    return page


@pytest.fixture
def other_auth(client: TestClient) -> dict[str, str]:
    """A second tenant's token."""
    token, _ = client.app.state.backend.tenants.create_token("globex", "bob")  # type: ignore[attr-defined]
    return {"Authorization": f"Bearer {token}"}


# --- search ----------------------------------------------------------------------------------


def test_the_scenario_sites_are_found_in_their_box_and_labelled_scenario(
    client: TestClient, auth: dict[str, str]
) -> None:
    page = search(client, auth)
    assert page["total"] == SCENARIO_SITES
    assert page["next_offset"] is None
    ids = [s["station_id"] for s in page["stations"]]
    assert ids == sorted(ids)
    for station in page["stations"]:
        assert station["label"] == "scenario"
        assert station["scenario"] is True
        assert station["name"].startswith("Scenario: ")


def test_filters_work_like_the_planner_requests_poi_info(
    client: TestClient, auth: dict[str, str]
) -> None:
    every = search(client, auth)["stations"]
    tt = search(client, auth, truck_approved="TT")["stations"]
    t = search(client, auth, truck_approved="T")["stations"]
    assert {s["station_id"] for s in tt} == {
        s["station_id"] for s in every if s["truck_approved"] == "TT"
    }
    # TT implies T: a T search includes every TT site.
    assert {s["station_id"] for s in tt} < {s["station_id"] for s in t}
    mcs = search(client, auth, connector_type="MCS")["stations"]
    assert mcs
    assert all(any(cp["connector"] == "MCS" for cp in s["charge_points"]) for s in mcs)
    strong = search(client, auth, min_kW=350, connector_type="CCS")["stations"]
    assert all(
        any(cp["connector"] == "CCS" and cp["power_kW"] >= 350 for cp in s["charge_points"])
        for s in strong
    )
    assert len(strong) < len(every)
    assert search(client, auth, scenario="false")["total"] == 0
    assert search(client, auth, cpo="scenario cpo")["total"] == SCENARIO_SITES
    assert search(client, auth, cpo="Nobody")["total"] == 0


def test_pages_cover_every_match_once(client: TestClient, auth: dict[str, str]) -> None:
    first = search(client, auth, limit=3)
    assert first["next_offset"] == 3
    second = search(client, auth, limit=3, offset=3)
    third = search(client, auth, limit=3, offset=6)
    assert third["next_offset"] is None
    paged = [s["station_id"] for p in (first, second, third) for s in p["stations"]]
    assert paged == [s["station_id"] for s in search(client, auth)["stations"]]


@pytest.mark.parametrize(
    ("params", "where"),
    [
        ({"bbox": "8.5,49.3,8.7"}, "bbox"),
        ({"bbox": "a,b,c,d"}, "bbox"),
        ({"bbox": "8.5,49.3,nan,49.5"}, "bbox"),
        ({"bbox": "8.7,49.3,8.5,49.5"}, "bbox"),  # min_lon > max_lon
        ({"bbox": "8.5,49.5,8.7,49.5"}, "bbox"),  # empty box
        ({"bbox": "8.5,49.3,181,49.5"}, "bbox"),
        ({"bbox": "8.5,-91,8.7,49.5"}, "bbox"),
        ({"bbox": "0,40,10,50"}, "bbox"),  # 100 square degrees
        ({}, "bbox"),
        ({"bbox": HEIDELBERG_BBOX, "connector_type": "WARP_DRIVE"}, "connector_type"),
        ({"bbox": HEIDELBERG_BBOX, "truck_approved": "TTT"}, "truck_approved"),
        ({"bbox": HEIDELBERG_BBOX, "min_kW": -1}, "min_kW"),
        ({"bbox": HEIDELBERG_BBOX, "min_kW": 400, "max_kW": 100}, "max_kW"),
        ({"bbox": HEIDELBERG_BBOX, "limit": 0}, "limit"),
        ({"bbox": HEIDELBERG_BBOX, "limit": 100000}, "limit"),
        ({"bbox": HEIDELBERG_BBOX, "offset": -1}, "offset"),
        ({"bbox": HEIDELBERG_BBOX, "source": "wikipedia"}, "source"),
    ],
)
def test_a_bad_search_gets_a_422_naming_the_parameter(
    client: TestClient, auth: dict[str, str], params: dict[str, Any], where: str
) -> None:
    response = client.get("/stations", params=params, headers=auth)
    assert response.status_code == 422, response.text
    [error] = response.json()["detail"]
    assert where in error["loc"]
    assert error["msg"]


def test_the_station_endpoints_need_a_token(client: TestClient) -> None:
    assert client.get("/stations", params={"bbox": HEIDELBERG_BBOX}).status_code == 401
    assert client.post("/stations/import", content=overlay()).status_code == 401
    assert client.delete("/stations/tenant:x").status_code == 401


# --- import ----------------------------------------------------------------------------------


def test_an_imported_depot_is_searchable_and_readable_as_the_tenants_own(
    client: TestClient, auth: dict[str, str]
) -> None:
    report = import_overlay(client, auth, overlay(depot("nord", DEPOT_A)))
    assert report["added"] == 1
    assert report["rejected"] == []
    assert report["tenant_station_count"] == 1
    page = search(client, auth, source="tenant")
    [own] = page["stations"]
    assert own["station_id"] == "tenant:nord"
    assert own["label"] == "tenant"
    assert own["scenario"] is False
    assert search(client, auth)["total"] == SCENARIO_SITES + 1
    fetched = client.get("/stations/tenant:nord", headers=auth)
    assert fetched.status_code == 200
    assert fetched.json() == own
    scenario = client.get("/stations/overlay:hd-sandhausen-pm", headers=auth).json()
    assert scenario["label"] == "scenario"


def test_reimporting_is_idempotent_and_reports_what_changed(
    client: TestClient, auth: dict[str, str]
) -> None:
    first = overlay(depot("nord", DEPOT_A), depot("sued", DEPOT_B))
    import_overlay(client, auth, first, source_key="depots")
    again = import_overlay(client, auth, first, source_key="depots")
    assert (again["added"], again["updated"], again["removed"], again["unchanged"]) == (0, 0, 0, 2)
    changed = overlay(depot("nord", DEPOT_A, ccs_kw=600), depot("west", (49.41, 8.60)))
    report = import_overlay(client, auth, changed, source_key="depots")
    assert (report["added"], report["updated"], report["removed"]) == (1, 1, 1)
    assert {s["station_id"] for s in search(client, auth, source="tenant")["stations"]} == {
        "tenant:nord",
        "tenant:west",
    }


def test_a_csv_overlay_imports_with_bad_rows_rejected(
    client: TestClient, auth: dict[str, str]
) -> None:
    csv_text = (
        "id,name,lat,lon,ccs_kw,ccs_count,truck_access,opening_hours\n"
        f"nord,Depot Nord,{DEPOT_A[0]},{DEPOT_A[1]},400,2,TT,Mo-Fr 06:00-20:00\n"
        "far,Depot Far,123.0,8.6,400,2,TT,\n"
        "hours,Depot Hours,49.42,8.64,400,2,TT,sometimes\n"
        "plug,Depot Plug,49.42,8.64,lots,2,TT,\n"
    )
    response = client.post(
        "/stations/import", content=csv_text, headers={**auth, "Content-Type": "text/csv"}
    )
    assert response.status_code == 200, response.text
    report = response.json()
    assert report["added"] == 1
    assert report["rows_read"] == 4
    reasons = {r["row"]: r["reason"] for r in report["rejected"]}
    assert "out of range" in reasons["far"]
    assert "invalid opening hours" in reasons["hours"]
    assert "not a number" in reasons["plug"]


def test_ocpi_locations_import_with_every_bad_location_listed(
    client: TestClient, auth: dict[str, str]
) -> None:
    report = import_overlay(client, auth, OCPI_BAD_LOCATIONS.read_text(), format="ocpi")
    assert report["format"] == "ocpi"
    assert report["added"] == 1
    reasons = " | ".join(r["reason"] for r in report["rejected"])
    assert len(report["rejected"]) == 4
    assert "out of range" in reasons
    assert "unknown connector standard 'WARP_DRIVE'" in reasons
    assert "weekday 9" in reasons
    assert "not a JSON object" in reasons
    own = client.get("/stations/ocpi:DE*OK*GOOD", headers=auth).json()
    assert own["label"] == "tenant"
    assert own["source"] == "tenant"


@pytest.mark.parametrize(
    ("body", "content_type", "params"),
    [
        ("{not json", "application/json", {}),
        ('{"records": []}', "application/json", {}),  # no "format" marker
        ("", "application/json", {}),
        ('{"data": 5}', "application/json", {"format": "ocpi"}),
        ("id,lat,lon\n1,49,8\n", "text/csv", {"format": "ocpi"}),
        ("name,lat,lon\nx,49,8\n", "text/csv", {}),  # no id column
    ],
)
def test_a_malformed_file_gets_a_422_and_imports_nothing(
    client: TestClient,
    auth: dict[str, str],
    body: str,
    content_type: str,
    params: dict[str, str],
) -> None:
    response = client.post(
        "/stations/import",
        content=body,
        params=params,
        headers={**auth, "Content-Type": content_type},
    )
    assert response.status_code == 422, response.text
    [error] = response.json()["detail"]
    assert error["loc"] == ["body"]
    assert search(client, auth, source="tenant")["total"] == 0


def test_an_upload_of_another_media_type_gets_a_415(
    client: TestClient, auth: dict[str, str]
) -> None:
    response = client.post(
        "/stations/import", content=b"\x00", headers={**auth, "Content-Type": "image/png"}
    )
    assert response.status_code == 415
    assert "application/json or text/csv" in response.json()["detail"]


@pytest.mark.parametrize("params", [{"source_key": "a b"}, {"format": "bnetza"}])
def test_bad_import_parameters_get_a_422(
    client: TestClient, auth: dict[str, str], params: dict[str, str]
) -> None:
    response = client.post(
        "/stations/import",
        content=overlay(),
        params=params,
        headers={**auth, "Content-Type": "application/json"},
    )
    assert response.status_code == 422


# --- tenant scope ----------------------------------------------------------------------------


def test_a_tenant_cannot_list_read_or_delete_another_tenants_stations(
    client: TestClient, auth: dict[str, str], other_auth: dict[str, str]
) -> None:
    import_overlay(client, other_auth, overlay(depot("secret", DEPOT_B)))
    assert search(client, auth, source="tenant")["total"] == 0
    assert search(client, auth)["total"] == SCENARIO_SITES
    # Answered exactly as for an id that never existed, so ids cannot be probed across tenants.
    for method in ("GET", "DELETE"):
        theirs = client.request(method, "/stations/tenant:secret", headers=auth)
        nobodys = client.request(method, "/stations/tenant:nothing", headers=auth)
        assert theirs.status_code == nobodys.status_code == 404
        assert theirs.json()["detail"] == nobodys.json()["detail"].replace("nothing", "secret")
    # Region stations are not the tenant's to delete either.
    assert client.delete("/stations/overlay:hd-sandhausen-pm", headers=auth).status_code == 404
    assert client.get("/stations/tenant:secret", headers=other_auth).status_code == 200
    assert client.delete("/stations/tenant:secret", headers=other_auth).status_code == 204
    assert client.get("/stations/tenant:secret", headers=other_auth).status_code == 404


def test_plans_search_their_tenants_stations_and_never_another_tenants(
    client: TestClient, auth: dict[str, str], other_auth: dict[str, str]
) -> None:
    import_overlay(client, auth, overlay(depot("mine", DEPOT_A)))
    import_overlay(client, other_auth, overlay(depot("theirs", DEPOT_B)))
    body = demo_tour()
    body["section_list"] = body["section_list"][:1]  # depot to the south, past both depots
    body["battery_level_start"] = 0.12  # so that the plan has to charge
    body["include_available_charging_stations"] = True
    response = client.post("/planner", json=body, headers=auth)
    assert response.status_code == 200, response.text
    result = response.json()
    listed = {entry["station_id"] for entry in result["poi_list"]}
    available = {entry["id"] for entry in result["available_charging_stations"]}
    assert "tenant:mine" in listed
    assert "tenant:mine" in available
    assert "tenant:theirs" not in listed | available
    # The same tour in the other tenant sees its own depot and not the first one's.
    theirs = client.post("/planner", json=body, headers=other_auth).json()
    other_available = {entry["id"] for entry in theirs["available_charging_stations"]}
    assert "tenant:theirs" in other_available
    assert "tenant:mine" not in other_available
    check_poi_annotations(result)


def check_poi_annotations(result: dict[str, Any]) -> None:
    """poi_list times and the chosen stations' alternatives, as the contract shapes them."""
    for entry in result["poi_list"]:
        assert contract_errors(entry, "ResultPOI") == []
        if entry["detour_from_route"] is not None:
            assert entry["poi_arrival_time"].endswith("Z")
        if entry["opening_hours"] == "24/7":
            assert (entry["opening_time"], entry["closing_time"]) == (None, None)
        elif entry["opening_time"] is not None and entry["closing_time"] is not None:
            assert entry["opening_time"] < entry["closing_time"]
    charging = [
        (index, s["poi_summary"])
        for index, s in enumerate(result["sections"])
        if s["poi_summary"]["stop_type"] == "charging"
    ]
    assert charging
    for index, summary in charging:
        assert contract_errors(summary, "ResultPOISummary") == []
        [chosen] = [e for e in result["poi_list"] if index in e["used_in_sections"]]
        assert chosen["station_id"] == summary["station_id"]
        assert chosen["poi_arrival_time"] == summary["arrival_time"]
        for alternative in summary["alternatives"]:
            assert contract_errors(alternative, "ResultPOIAlternative") == []
            assert alternative["station_id"] != summary["station_id"]
