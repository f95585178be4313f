"""GET /regions/{name}/station-coverage: what each served region's stations carry, so that a
client presets only filters stations can pass (the register states no truck approval)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from voltroute.api.app import create_app
from voltroute.config import Settings
from voltroute.regions import Region

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def client(
    tmp_path_factory: pytest.TempPathFactory,
    berlin_brandenburg_region: Region,
    denmark_region: Region,
) -> Iterator[TestClient]:
    settings = Settings(
        data_dir=tmp_path_factory.mktemp("coverage"),
        region_dirs=[berlin_brandenburg_region.path, denmark_region.path],
    )
    with TestClient(create_app(settings), raise_server_exceptions=False) as test_client:
        yield test_client


def coverage(client: TestClient, name: str, **params: Any) -> dict[str, Any]:
    response = client.get(f"/regions/{name}/station-coverage", params=params)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def test_the_register_states_no_truck_approval_side_or_booking_but_every_operator(
    client: TestClient,
) -> None:
    berlin = coverage(client, "berlin-brandenburg")

    assert berlin["stations"] > 4000
    assert berlin["sources"] == {"bnetza": berlin["stations"]}
    for name in ("truck_approved", "connector_pos", "bookable"):
        assert berlin[name] == {"known": 0, "share_known": 0.0, "values": {}}
    assert berlin["cpo"]["known"] == berlin["stations"]
    assert berlin["cpo"]["share_known"] == 1.0
    assert len(berlin["cpo"]["values"]) == 10
    assert sum(band["stations"] for band in berlin["max_power"]) == berlin["stations"]
    fast = sum(b["stations"] for b in berlin["max_power"] if b["min_kW"] >= 150)
    assert fast > 100
    assert berlin["max_power"][-1]["max_kW"] is None
    assert berlin["connector_type"]["CCS"] > 100
    assert berlin["passing"] is None


def test_the_scenario_overlay_states_truck_approval_for_every_site(client: TestClient) -> None:
    denmark = coverage(client, "denmark")

    assert denmark["truck_approved"]["known"] == denmark["stations"] > 0
    assert denmark["truck_approved"]["share_known"] == 1.0
    assert set(denmark["truck_approved"]["values"]) <= {"T", "TT"}


def test_passing_counts_the_stations_that_pass_the_filters_given(client: TestClient) -> None:
    strict = coverage(
        client, "berlin-brandenburg", truck_approved="T", connector_pos="RIGHT", min_kW=150
    )
    power_only = coverage(client, "berlin-brandenburg", min_kW=150)
    accepted = coverage(
        client,
        "berlin-brandenburg",
        truck_approved="T",
        connector_pos="RIGHT",
        min_kW=150,
        unknown_station_data="accept",
    )

    assert strict["passing"] == 0
    assert power_only["passing"] > 100
    assert accepted["passing"] == power_only["passing"]


def test_an_unknown_region_is_a_404_naming_the_served_ones(client: TestClient) -> None:
    response = client.get("/regions/atlantis/station-coverage")
    assert response.status_code == 404
    assert "berlin-brandenburg, denmark" in response.json()["detail"]


def test_a_minimum_above_the_maximum_is_a_422(client: TestClient) -> None:
    response = client.get(
        "/regions/denmark/station-coverage", params={"min_kW": 300, "max_kW": 150}
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "max_kW"]
