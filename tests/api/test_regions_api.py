"""One app serving Berlin-Brandenburg (with the register) and Denmark (with its scenario overlay):
each tour goes to the region holding its stops, a tour across both is a 422, stations, /regions
and /health per region."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from tests.contract_schema import contract_errors

from voltroute.api.app import create_app
from voltroute.composition import Backend
from voltroute.config import Settings
from voltroute.jobs.runner import JobRunner
from voltroute.planning.tour_request import tour_request_from_json
from voltroute.regions import Region

pytestmark = pytest.mark.integration

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
BERLIN_TOUR = "berlin-brandenburg-tour.json"
DENMARK_TOUR = "denmark-long-haul-tour.json"
BERLIN_BBOX = "13.2,52.4,13.6,52.6"  # min_lon,min_lat,max_lon,max_lat
DENMARK_BBOX = "8.5,55.0,10.5,57.5"


def example(name: str) -> dict[str, Any]:
    body: dict[str, Any] = json.loads((EXAMPLES / name).read_text())
    return body


def backend_of(client: TestClient) -> Backend:
    backend: Backend = client.app.state.backend  # type: ignore[attr-defined]
    return backend


@pytest.fixture
def client(
    tmp_path: Path, berlin_brandenburg_region: Region, denmark_region: Region
) -> Iterator[TestClient]:
    settings = Settings(
        data_dir=tmp_path, region_dirs=[berlin_brandenburg_region.path, denmark_region.path]
    )
    with TestClient(create_app(settings), raise_server_exceptions=False) as test_client:
        yield test_client


@pytest.fixture
def auth(client: TestClient) -> dict[str, str]:
    token, _ = backend_of(client).tenants.create_token("acme", "dispatcher")
    return {"Authorization": f"Bearer {token}"}


def submit(client: TestClient, auth: dict[str, str], body: dict[str, Any]) -> str:
    response = client.post("/planner/v2", json=body, headers=auth)
    assert response.status_code == 202, response.text
    job_id: str = response.json()["job_id"]
    return job_id


@pytest.mark.parametrize(
    ("tour", "region_name", "station_prefix"),
    [(BERLIN_TOUR, "berlin-brandenburg", "bnetza:"), (DENMARK_TOUR, "denmark", "overlay:denmark")],
)
def test_a_job_is_stored_with_its_region_and_planned_on_it(
    client: TestClient, auth: dict[str, str], tour: str, region_name: str, station_prefix: str
) -> None:
    backend = backend_of(client)
    job_id = submit(client, auth, example(tour))
    stored = backend.store.get(job_id)
    assert stored is not None
    assert tour_request_from_json(stored.problem).region_name == region_name

    JobRunner(backend.store, backend.planning, "test-worker").run(job_id)

    job = client.get(f"/planner/jobs/{job_id}", headers=auth).json()
    assert job["status"] == "succeeded"
    result = client.get(f"/planner/optimizations/{job['optimization_id']}/result", headers=auth)
    own = backend.region_stations[region_name].by_id
    charging = [
        s["poi_summary"]["station_id"]
        for s in result.json()["sections"]
        if s["poi_summary"]["stop_type"] == "charging"
    ]
    assert charging
    assert all(station_id in own for station_id in charging)
    poi_ids = [poi["station_id"] for poi in result.json()["poi_list"]]
    assert poi_ids
    assert all(poi_id.startswith(station_prefix) and poi_id in own for poi_id in poi_ids)


def test_a_tour_across_both_regions_is_a_422_naming_stops_and_regions(
    client: TestClient, auth: dict[str, str]
) -> None:
    body = example(BERLIN_TOUR)
    body["section_list"][-1]["stop_pos"] = [54.83, 9.36]  # Padborg, Denmark

    response = client.post("/planner/v2", json=body, headers=auth)

    assert response.status_code == 422
    assert contract_errors(response.json(), "HTTPValidationError") == []
    [error] = response.json()["detail"]
    assert error["loc"] == ["body", "section_list"]
    assert "in 'berlin-brandenburg': section_list[0].start_pos (52.39060, 13.06450)" in error["msg"]
    assert "in 'denmark': section_list[6].stop_pos (54.83000, 9.36000)" in error["msg"]
    assert backend_of(client).store.status_counts() == {}  # nothing was stored


def test_a_stop_outside_every_region_is_a_422_at_its_place(
    client: TestClient, auth: dict[str, str]
) -> None:
    body = example(DENMARK_TOUR)
    body["section_list"][1]["stop_pos"] = [49.41, 8.69]  # Heidelberg: not served here

    response = client.post("/planner/v2", json=body, headers=auth)

    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert error["loc"] == ["body", "section_list", 1, "stop_pos"]
    assert "outside every served region: 'berlin-brandenburg' (lat 52.057" in error["msg"]
    assert "'denmark' (lat 54.574" in error["msg"]


def test_regions_lists_each_served_region_with_its_box_without_a_token(
    client: TestClient,
) -> None:
    response = client.get("/regions")

    assert response.status_code == 200
    regions = response.json()["regions"]
    assert [r["name"] for r in regions] == ["berlin-brandenburg", "denmark"]
    assert [r["default"] for r in regions] == [True, False]
    berlin = regions[0]
    assert (berlin["min_lat"], berlin["max_lat"]) == pytest.approx((52.0575, 52.9894), abs=1e-3)
    assert (berlin["min_lon"], berlin["max_lon"]) == pytest.approx((12.6443, 14.1597), abs=1e-3)
    assert berlin["min_lat"] < berlin["center"][0] < berlin["max_lat"]
    assert berlin["min_lon"] < berlin["center"][1] < berlin["max_lon"]


def test_health_lists_the_served_regions(client: TestClient) -> None:
    health = client.get("/health").json()
    assert health["region"] == "berlin-brandenburg"
    assert [r["name"] for r in health["regions"]] == ["berlin-brandenburg", "denmark"]


def test_the_box_of_a_station_search_picks_the_region(
    client: TestClient, auth: dict[str, str]
) -> None:
    berlin = client.get("/stations", params={"bbox": BERLIN_BBOX}, headers=auth).json()
    denmark = client.get("/stations", params={"bbox": DENMARK_BBOX}, headers=auth).json()

    assert berlin["total"] > 100
    assert {s["source"] for s in berlin["stations"]} == {"bnetza"}
    assert denmark["total"] > 0
    assert {(s["source"], s["label"]) for s in denmark["stations"]} == {("overlay", "scenario")}

    danish = denmark["stations"][0]["station_id"]
    found = client.get(f"/stations/{danish}", headers=auth)
    assert found.status_code == 200
    assert found.json()["name"] == denmark["stations"][0]["name"]
