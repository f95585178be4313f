"""One `voltroute serve --region ... --region ...` for Berlin-Brandenburg (with the register) and
Denmark (with its scenario overlay): each example tour is planned on its own region, a tour
across both is refused, the worker warmed both regions before its first job, and the page
switches between them."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page
from tests.e2e.processes import FINAL_STATUSES, Server, wait_until
from tests.e2e.test_web_page import map_centre, wait_for_regions

from voltroute.regions import Region
from voltroute.stations import StationCatalogue, StationRegistry

pytestmark = [pytest.mark.e2e, pytest.mark.integration]

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
REGION_NAMES = ["berlin-brandenburg", "denmark"]


@pytest.fixture(scope="module")
def regions(berlin_brandenburg_region: Region, denmark_region: Region) -> dict[str, Region]:
    return {"berlin-brandenburg": berlin_brandenburg_region, "denmark": denmark_region}


@pytest.fixture(scope="module")
def two_regions(
    tmp_path_factory: pytest.TempPathFactory, regions: dict[str, Region]
) -> Iterator[Server]:
    """One embedded deployment serving both regions, once its worker has warmed up."""
    env = {
        "VOLTROUTE_QUEUE_POLL_S": "0.01",
        "VOLTROUTE_RATE_LIMIT_PER_MIN": "100000",  # the tests poll far faster than clients
    }
    serve_args = [arg for r in regions.values() for arg in ("--region", str(r.path))]
    server = Server(tmp_path_factory.mktemp("regions"), env, True, serve_args=serve_args)
    # The worker logs to serve's output; waiting here keeps job logs after the warm-up's.
    wait_until(
        lambda: "worker warmed up" in server.apis[0].log_path.read_text(errors="replace"),
        "worker warm-up",
        server.apis[0],
    )
    yield server
    server.discard()


def example(name: str) -> dict[str, Any]:
    body: dict[str, Any] = json.loads((EXAMPLES / name).read_text())
    return body


def station_ids(region: Region) -> set[str]:
    return set(StationCatalogue.load(StationRegistry.in_region(region.path)).by_id)


def test_health_and_regions_list_both_regions(two_regions: Server) -> None:
    health = two_regions.client.get("/health").json()
    served = two_regions.client.get("/regions").json()["regions"]

    assert [r["name"] for r in health["regions"]] == REGION_NAMES
    assert [r["name"] for r in served] == REGION_NAMES
    assert served[0]["stations"] > 4000  # the register, counted by serve into the manifest
    assert served[1]["stations"] > 0  # the scenario overlay serve seeded for "denmark"


@pytest.mark.parametrize(
    ("tour", "region_name"),
    [
        ("berlin-brandenburg-tour.json", "berlin-brandenburg"),
        ("denmark-long-haul-tour.json", "denmark"),
    ],
)
def test_each_example_is_planned_with_the_stations_of_its_own_region(
    two_regions: Server, regions: dict[str, Region], tour: str, region_name: str
) -> None:
    submitted = two_regions.client.post("/planner/v2", json=example(tour))
    assert submitted.status_code == 202, submitted.text

    job = two_regions.wait_for(submitted.json()["job_id"], FINAL_STATUSES, timeout_s=120)
    assert job["status"] == "succeeded", job
    optimization = f"/planner/optimizations/{job['optimization_id']}"
    result = two_regions.client.get(f"{optimization}/result").json()

    own = station_ids(regions[region_name])
    others = set().union(*(station_ids(r) for name, r in regions.items() if name != region_name))
    charging = [
        s["poi_summary"]["station_id"]
        for s in result["sections"]
        if s["poi_summary"]["stop_type"] == "charging"
    ]
    listed = [poi["station_id"] for poi in result["poi_list"]]
    assert charging
    assert listed
    assert set(charging) | set(listed) <= own - others


def test_a_tour_across_both_regions_is_refused_naming_stops_and_regions(
    two_regions: Server,
) -> None:
    body = example("denmark-long-haul-tour.json")
    body["section_list"][0]["start_pos"] = [52.3906, 13.0645]  # Potsdam

    response = two_regions.client.post("/planner/v2", json=body)

    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert error["loc"] == ["body", "section_list"]
    assert "in 'berlin-brandenburg': section_list[0].start_pos (52.39060, 13.06450)" in error["msg"]
    assert "in 'denmark': section_list[0].stop_pos (57.44000, 10.53000)" in error["msg"]


def test_the_worker_warmed_every_region_in_each_planning_thread(two_regions: Server) -> None:
    lines = two_regions.apis[0].log_path.read_text(errors="replace").splitlines()
    threads = [line for line in lines if "planning thread warmed up" in line]
    whole = [line for line in lines if "worker warmed up" in line]

    assert len(threads) == 2  # VOLTROUTE_WORKER_THREADS' default
    assert len(whole) == 1
    for line in threads + whole:
        assert all(name in line for name in REGION_NAMES), line


def test_the_page_shows_the_region_chosen_in_its_selector(
    two_regions: Server, regions: dict[str, Region], page: Page
) -> None:
    page.goto(two_regions.base_url + "/")
    assert wait_for_regions(page, 2) == REGION_NAMES
    page.wait_for_function("Number(document.querySelector('#map').dataset.centerLat) < 54")
    assert regions["berlin-brandenburg"].contains(*map_centre(page))

    page.locator("#region").focus()
    page.locator("#region").select_option("denmark")

    page.wait_for_function("Number(document.querySelector('#map').dataset.centerLat) > 54")
    assert regions["denmark"].contains(*map_centre(page))
