"""The planner page on Berlin-Brandenburg with the real Bundesnetzagentur register (4,514
stations), in headless Chromium against one real `serve`: filter presets that fit the register,
the not-drivable diagnosis and its "plan again", thousands of corridor stations in clusters,
tours imported and exported as JSON, results opened by link and from the recent jobs."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import ConsoleMessage, Page, Request
from tests.e2e.processes import FINAL_STATUSES, Server, wait_until
from tests.e2e.test_web_page import TILE_HOST, unexpected_console_errors

from voltroute.regions import Region

pytestmark = [pytest.mark.e2e, pytest.mark.integration]

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "artifacts"
TOUR_FILE = REPO / "examples" / "berlin-brandenburg-tour.json"
RESULT_TIMEOUT_MS = 120_000
CORRIDOR_M = 8000  # the page's default
MARKERS_AT_FULL_EXTENT = 300  # clusters and single stations drawn for thousands of stations


@pytest.fixture(scope="module")
def berlin_server(
    tmp_path_factory: pytest.TempPathFactory, berlin_brandenburg_region: Region
) -> Iterator[Server]:
    """One embedded deployment on Berlin-Brandenburg, once its worker has warmed up."""
    env = {
        "VOLTROUTE_QUEUE_POLL_S": "0.01",
        "VOLTROUTE_RATE_LIMIT_PER_MIN": "100000",  # the tests poll far faster than clients
    }
    server = Server(
        tmp_path_factory.mktemp("berlin-web"),
        env,
        True,
        serve_args=["--region", str(berlin_brandenburg_region.path)],
    )
    wait_until(
        lambda: "worker warmed up" in server.apis[0].log_path.read_text(errors="replace"),
        "worker warm-up",
        server.apis[0],
    )
    yield server
    server.discard()


@pytest.fixture(scope="module")
def listed_result(berlin_server: Server) -> dict[str, Any]:
    """The example tour planned through the API with every corridor station listed."""
    body = json.loads(TOUR_FILE.read_text()) | {"include_available_charging_stations": True}
    submitted = berlin_server.client.post(f"/planner/v2?corridor={CORRIDOR_M}", json=body)
    assert submitted.status_code == 202, submitted.text
    job = berlin_server.wait_for(submitted.json()["job_id"], FINAL_STATUSES, timeout_s=120)
    assert job["status"] == "succeeded"
    result = berlin_server.client.get(
        f"/planner/optimizations/{job['optimization_id']}/result"
    ).json()
    result["job_id"] = job["job_id"]
    return dict(result)


@pytest.fixture
def watched(page: Page) -> Iterator[Page]:
    """The page, failing the test on a script error, a console error or a failed request
    (base map tiles aside: offline, they fail)."""
    console: list[ConsoleMessage] = []
    failed: list[Request] = []
    errors: list[str] = []
    page.on("console", lambda message: console.append(message))
    page.on("requestfailed", lambda request: failed.append(request))
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    assert errors == []
    assert unexpected_console_errors(console) == []
    assert [r.url for r in failed if not r.url.startswith(TILE_HOST)] == []


def open_page(page: Page, server: Server, path: str = "/") -> None:
    """The page with the token already in this browser's storage, as after a first visit."""
    page.add_init_script(f"localStorage.setItem('voltroute.token', {json.dumps(server.token)})")
    page.goto(server.base_url + path)
    # The filter presets for the served region are in place once its coverage note is.
    page.wait_for_selector("#coverage-note[data-region='berlin-brandenburg']")


def wait_for_result(page: Page, other_than: int | None = None) -> int:
    shown = "window.voltroute?.result?.optimization_id"
    page.wait_for_function(f"{shown} && {shown} !== {other_than or 0}", timeout=RESULT_TIMEOUT_MS)
    return int(page.evaluate("window.voltroute.result.optimization_id"))


def wait_for_stops(page: Page, count: int) -> None:
    """The editor holds count stops (a file is read asynchronously)."""
    page.wait_for_function(f"document.querySelectorAll('#stops fieldset.stop').length === {count}")


def test_the_filters_preset_are_those_the_registers_stations_can_pass(
    berlin_server: Server, watched: Page
) -> None:
    open_page(watched, berlin_server)

    assert watched.locator("#truck-approved").input_value() == ""
    assert watched.locator("#connector-pos").input_value() == ""
    assert watched.locator("#min-kw").input_value() == "150"
    note = watched.locator("#coverage-note").inner_text()
    assert "Bundesnetzagentur register" in note
    assert "Truck access is not preset: none of the region's 4514 stations states" in note
    assert "Inlet side is not preset" in note


def test_a_tour_the_filters_make_undrivable_says_why_and_plans_again_without_them(
    berlin_server: Server, watched: Page
) -> None:
    page = watched
    open_page(page, berlin_server)
    page.set_input_files("#import-file", str(TOUR_FILE))
    wait_for_stops(page, 8)
    page.select_option("#truck-approved", "T")
    page.select_option("#connector-pos", "RIGHT")
    assert page.locator("#min-kw").input_value() == "150"
    page.locator("#submit").click()

    # The diagnosis: first in the result, each filter with the stations it removed.
    diagnosis = page.locator("#diagnosis")
    diagnosis.wait_for(state="visible", timeout=RESULT_TIMEOUT_MS)
    first_id = wait_for_result(page)
    result: dict[str, Any] = page.evaluate("window.voltroute.result")
    reason = result["not_drivable_reason"]
    assert reason["code"] == "no_chargers_available"
    message = page.locator("#diagnosis-message").inner_text()
    assert message == reason["message"]
    assert "the Bundesnetzagentur register has no truck-approval field" in message
    for name, removed in reason["removed_by_filter"].items():
        row = page.locator(f"#diagnosis-filters tr[data-filter='{name}']")
        assert row.get_attribute("data-removed") == str(removed)
    binding = page.locator("#diagnosis-filters tr.binding")
    assert binding.evaluate_all("rows => rows.map(r => r.dataset.filter)") == [
        "truck_approved",
        "connector_pos",
    ]
    again = page.locator("#plan-without-filters")
    assert again.inner_text() == "Plan again without the truck access and inlet side filters"
    assert page.locator("#plan-accepting-unknown").is_visible()
    assert diagnosis.is_visible()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "bb-not-drivable.png"), full_page=True)

    again.click()

    second_id = wait_for_result(page, other_than=first_id)
    assert page.locator("#summary-qualification").inner_text() == "Driveable"
    assert diagnosis.is_hidden()
    charging = page.locator("#stop-list li[data-stop-type='charging']")
    assert charging.count() >= 1
    assert page.locator("#truck-approved").input_value() == ""
    assert page.locator("#connector-pos").input_value() == ""
    planned = berlin_server.client.get(f"/planner/optimizations/{second_id}/result").json()
    assert planned["poi_filter"]["truck_approved"] is None
    assert planned["poi_filter"]["connector_pos"] is None
    assert planned["poi_filter"]["min_kW"] == 150
    assert page.evaluate("location.hash") == f"#/optimizations/{second_id}"
    # The recent jobs list both, newest first.
    page.locator(f"#jobs-list li[data-optimization-id='{second_id}']").wait_for()
    jobs = page.locator("#jobs-list li").evaluate_all("els => els.map(e => e.dataset.status)")
    assert jobs[:2] == ["succeeded", "not_drivable"]
    page.screenshot(path=str(ARTIFACTS / "bb-plan-again.png"), full_page=True)


def test_plan_again_accepting_unknown_station_data_warns_at_the_stop_chosen_so(
    berlin_server: Server, watched: Page
) -> None:
    page = watched
    open_page(page, berlin_server)
    page.set_input_files("#import-file", str(TOUR_FILE))
    wait_for_stops(page, 8)
    page.select_option("#truck-approved", "T")
    page.select_option("#connector-pos", "RIGHT")
    page.locator("#submit").click()
    accept = page.locator("#plan-accepting-unknown")
    accept.wait_for(timeout=RESULT_TIMEOUT_MS)
    first_id = wait_for_result(page)

    accept.click()

    second_id = wait_for_result(page, other_than=first_id)
    assert page.locator("#summary-qualification").inner_text() == "Driveable"
    assert page.locator("#accept-unknown").is_checked()
    # Every filter kept; the stop chosen on unknown data says so.
    planned = berlin_server.client.get(f"/planner/optimizations/{second_id}/result").json()
    assert planned["poi_filter"]["truck_approved"] == "T"
    assert planned["poi_filter"]["connector_pos"] == "RIGHT"
    charging = page.locator("#stop-list li[data-stop-type='charging']").first
    assert "truck approval unknown" in charging.locator(".warnings").inner_text()


def test_a_result_opened_by_link_draws_thousands_of_stations_in_clusters(
    berlin_server: Server, listed_result: dict[str, Any], watched: Page
) -> None:
    page = watched
    optimization_id = listed_result["optimization_id"]
    open_page(page, berlin_server, f"/#/optimizations/{optimization_id}")
    assert wait_for_result(page) == optimization_id
    assert page.locator("#summary-qualification").inner_text() == "Driveable"

    stations = {str(s["id"]) for s in listed_result["available_charging_stations"]}
    stations |= {str(p["station_id"]) for p in listed_result["poi_list"]}
    assert len(stations) > 2000
    page.locator("#toggle-stations").click()
    clusters = page.locator(".marker-cluster")
    singles = page.locator(".station-marker")
    assert clusters.count() > 0
    assert clusters.count() + singles.count() < MARKERS_AT_FULL_EXTENT
    # Every station is in a cluster or drawn alone.
    counted = clusters.evaluate_all("els => els.reduce((n, e) => n + Number(e.innerText), 0)")
    assert counted + singles.count() == len(stations)
    ARTIFACTS.mkdir(exist_ok=True)
    page.locator("#map").screenshot(path=str(ARTIFACTS / "bb-clusters.png"))

    # A station out of its cluster, with what the register says about it.
    row = page.locator("#stations-list tr[data-station-id]").first
    station_id = row.get_attribute("data-station-id")
    row.locator("button").click()
    popup = page.locator(f".station-popup[data-station-id='{station_id}']")
    popup.locator(".source").wait_for(timeout=30_000)
    station = berlin_server.client.get(f"/stations/{station_id}").json()
    text = popup.inner_text()
    assert station["name"] in text
    assert f"Operator: {station['operator']}" in text
    assert "Connectors: " in text
    assert "Hours: " in text
    assert "Source: Bundesnetzagentur register (public)" in text


def test_a_recent_job_opens_its_result_in_one_click(
    berlin_server: Server, listed_result: dict[str, Any], watched: Page
) -> None:
    page = watched
    open_page(page, berlin_server)
    optimization_id = listed_result["optimization_id"]
    job = page.locator(f"#jobs-list li[data-optimization-id='{optimization_id}']")
    job.wait_for()
    assert job.get_attribute("data-status") == "succeeded"

    job.locator("a").click()

    assert wait_for_result(page) == optimization_id
    assert page.evaluate("location.hash") == f"#/optimizations/{optimization_id}"


def test_a_dropped_tour_file_exports_as_the_same_request_body(
    berlin_server: Server, watched: Page
) -> None:
    page = watched
    open_page(page, berlin_server)
    transfer = page.evaluate_handle(
        """text => {
            const transfer = new DataTransfer();
            transfer.items.add(new File([text], "tour.json", { type: "application/json" }));
            return transfer;
        }""",
        TOUR_FILE.read_text(),
    )
    page.dispatch_event("body", "dragenter", {"dataTransfer": transfer})
    assert page.locator("#drop-hint").is_visible()
    page.dispatch_event("body", "drop", {"dataTransfer": transfer})
    wait_for_stops(page, 8)
    assert page.locator("#drop-hint").is_hidden()
    assert (
        "Loaded tour.json: 7 sections in berlin-brandenburg"
        in page.locator("#import-note").inner_text()
    )

    with page.expect_download() as download_info:
        page.locator("#export-tour").click()
    exported = json.loads(Path(download_info.value.path()).read_text())

    assert exported == json.loads(TOUR_FILE.read_text())


def test_a_tour_file_the_editor_cannot_hold_is_refused_naming_the_field(
    berlin_server: Server, watched: Page, tmp_path: Path
) -> None:
    page = watched
    open_page(page, berlin_server)
    body = json.loads(TOUR_FILE.read_text())
    body["section_list"][2]["start_pos"] = [52.0, 13.0]
    broken = tmp_path / "gap-in-the-chain.json"
    broken.write_text(json.dumps(body))

    page.set_input_files("#import-file", str(broken))

    error = page.locator("#errors")
    error.wait_for()
    assert error.inner_text().startswith("gap-in-the-chain.json: section_list[2].start_pos:")
    assert page.locator("#stops fieldset.stop").count() == 0
