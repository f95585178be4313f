"""The page's timeline draws what the driver does (issue 20): a break taken at a customer stop
is a break beside the service, not part of it; a team has a bar per driver; an infringement the
rule check found is a visible warning; a result without the activity timeline is drawn from its
stops as before. Headless Chromium against one real `serve` on the Heidelberg region."""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Iterator
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import ConsoleMessage, Page, Route
from tests.e2e.conftest import region_env
from tests.e2e.processes import FINAL_STATUSES, Server
from tests.e2e.test_web_page import unexpected_console_errors

from voltroute.exports import read_result, result_geojson
from voltroute.regions import Region

pytestmark = [pytest.mark.e2e, pytest.mark.integration]

REPO = Path(__file__).resolve().parents[2]
SCREENSHOT = REPO / "artifacts" / "web-page-timeline.png"
RESULT_TIMEOUT_MS = 120_000
PLACES = {"heidelberg": [49.4100, 8.6500], "eberbach": [49.4650, 8.9850]}
WINDOWED_LEG = 6  # its customer opens at noon, after more than 4 h of driving
FINDING = {
    "driver": 2,
    "article": "561/2006 Art. 7",
    "rule": "break",
    "at": "2026-11-24T12:00:00Z",
    "detail": "4 h 40 min of driving without a 45-minute break",
}


def shuttle() -> dict[str, Any]:
    """Eight legs of about 35 minutes between Heidelberg and Eberbach, 10 minutes of service at
    each stop; the seventh customer opens at 12:00, which the truck reaches after more than
    4 h of driving: it waits there, and that wait is the driver's break, before the service."""
    places = (["heidelberg", "eberbach"] * 5)[:9]
    sections: list[dict[str, Any]] = [
        {
            "section_id": f"leg-{i + 1}",
            "start_pos": PLACES[a],
            "stop_pos": PLACES[b],
            "payload_kg": 5000,
            "service_time_min": 10,
        }
        for i, (a, b) in enumerate(pairwise(places))
    ]
    sections[WINDOWED_LEG] |= {"opening_time": ["12:00:00", "18:00:00"], "service_time_min": 30}
    return {
        "vehicle_id": "010160700001",
        "battery_level_start": 1.0,
        "battery_level_end": 0.1,
        "start_time_tour": "2026-11-24T06:00:00+01:00",
        "poi_info": {"truck_approved": "T", "connector_type": ["CCS"], "min_kW": 150},
        "section_list": sections,
    }


@pytest.fixture(scope="module")
def timeline_server(
    tmp_path_factory: pytest.TempPathFactory, heidelberg_region: Region, shared_data: Path
) -> Iterator[Server]:
    """The embedded deployment, as `scripts/serve` runs it."""
    server = Server(
        tmp_path_factory.mktemp("web-timeline"), region_env(heidelberg_region, shared_data), True
    )
    yield server
    server.stop()


@pytest.fixture(scope="module")
def planned(timeline_server: Server) -> dict[str, Any]:
    """The shuttle planned through the API."""
    submitted = timeline_server.client.post("/planner/v2?corridor=8000", json=shuttle())
    assert submitted.status_code == 202, submitted.text
    job = timeline_server.wait_for(submitted.json()["job_id"], FINAL_STATUSES, timeout_s=120)
    assert job["status"] == "succeeded", job
    result = timeline_server.client.get(f"/planner/optimizations/{job['optimization_id']}/result")
    return dict(result.json())


@pytest.fixture
def watched(page: Page) -> Iterator[Page]:
    """The page, failing the test on a script error or an unexpected console error."""
    console: list[ConsoleMessage] = []
    errors: list[str] = []
    page.on("console", lambda message: console.append(message))
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    assert errors == []
    assert unexpected_console_errors(console) == []


def serve_instead(page: Page, body: dict[str, Any]) -> None:
    """The page gets body (and its GeoJSON, exported as the server would) for that result:
    a stored result of another shape than the server writes today."""
    base = f"/planner/optimizations/{body['optimization_id']}"
    geojson = result_geojson(read_result(body))

    def fulfil(document: dict[str, Any]) -> Any:
        def handle(route: Route) -> None:
            route.fulfill(status=200, content_type="application/json", body=json.dumps(document))

        return handle

    page.route(re.compile(re.escape(base) + r"/result$"), fulfil(body))
    page.route(re.compile(re.escape(base) + r"/result\.geojson$"), fulfil(geojson))


def open_result(page: Page, server: Server, optimization_id: int) -> None:
    """The result by its link, the token already in this browser's storage."""
    page.add_init_script(f"localStorage.setItem('voltroute.token', {json.dumps(server.token)})")
    page.goto(f"{server.base_url}/#/optimizations/{optimization_id}")
    shown = "window.voltroute?.result?.optimization_id"
    page.wait_for_function(f"{shown} === {optimization_id}", timeout=RESULT_TIMEOUT_MS)


def segments(page: Page, selector: str) -> list[dict[str, str]]:
    """The timeline's segments as their data attributes, with their background colour."""
    found: list[dict[str, str]] = page.locator(selector).evaluate_all(
        "els => els.map(e => ({...e.dataset, colour: getComputedStyle(e).backgroundColor,"
        " row: e.closest('.timeline-row').dataset.driver || ''}))"
    )
    return found


def customer_with_a_break(result: dict[str, Any]) -> int:
    """The sequence of the customer stop where the plan has a break (the first)."""
    for sequence, section in enumerate(result["sections"], start=1):
        summary = section["poi_summary"]
        kinds = [part["activity"] for part in summary.get("activities") or []]
        if summary["stop_type"] == "customer" and "break" in kinds:
            return sequence
    raise AssertionError("no customer stop of the plan has a break")


def test_a_break_at_a_customer_is_drawn_apart_from_the_service(
    timeline_server: Server, planned: dict[str, Any], watched: Page
) -> None:
    page = watched
    sequence = customer_with_a_break(planned)
    summary = planned["sections"][sequence - 1]["poi_summary"]
    assert [part["activity"] for part in summary["activities"]] == ["break", "other_work"]
    open_result(page, timeline_server, planned["optimization_id"])

    timeline = page.locator("#timeline")
    assert timeline.get_attribute("data-mode") == "activities"
    assert page.locator("#timeline .timeline-row").count() == 1
    assert page.locator("#timeline .row-label").inner_text() == "Driver"
    # One driving segment per section, as before.
    assert page.locator("#timeline .segment.drive").count() == len(planned["sections"])

    at_stop = segments(page, f"#timeline .segment[data-stop='{sequence}']")
    assert [s["activity"] for s in at_stop] == ["break", "other_work"]
    pause, service = at_stop
    assert pause["end"] == service["start"]  # the break ends where the service begins
    assert pause["stopType"] == service["stopType"] == "customer"
    assert pause["colour"] != service["colour"]
    # The break is the 45 minutes the rules ask for, the service the stop's 30 minutes.
    assert page.locator(f"#timeline .segment.break[data-stop='{sequence}']").count() == 1
    title = page.locator(f"#timeline .segment.other_work[data-stop='{sequence}']")
    assert title.get_attribute("title") is not None
    assert "Service (work) at leg-7" in (title.get_attribute("title") or "")
    assert "(30 min)" in (title.get_attribute("title") or "")

    legend = page.locator("#timeline-legend").inner_text()
    for label in ("Driving", "Work (service, plugging)", "Waiting (availability)", "Break"):
        assert label in legend
    item = page.locator(f"#stop-list li[data-sequence='{sequence}']").inner_text()
    assert "driver: break 45 min, service 30 min (work)" in item
    assert page.locator("#rule-check").is_hidden()
    assert "service at a stop is work" in page.locator("#rules-applied").inner_text()

    SCREENSHOT.parent.mkdir(exist_ok=True)
    page.locator("#timeline").scroll_into_view_if_needed()
    page.screenshot(path=str(SCREENSHOT), full_page=True)


def test_a_team_has_a_bar_per_driver_and_an_infringement_is_a_warning(
    timeline_server: Server, planned: dict[str, Any], watched: Page
) -> None:
    page = watched
    body = copy.deepcopy(planned)
    second = copy.deepcopy(body["activity_timeline"][0])
    second["driver"] = 2
    body["activity_timeline"] = [body["activity_timeline"][0], second]
    body["rule_check"] = [FINDING]
    serve_instead(page, body)
    open_result(page, timeline_server, body["optimization_id"])

    rows = page.locator("#timeline .timeline-row")
    assert rows.count() == 2
    assert page.locator("#timeline .row-label").all_inner_texts() == ["Driver 1", "Driver 2"]
    for driver in ("1", "2"):
        drawn = segments(page, f"#timeline .timeline-row[data-driver='{driver}'] .segment")
        assert len(drawn) >= len(body["sections"])
        assert {s["row"] for s in drawn} == {driver}
    warning = page.locator("#rule-check")
    assert warning.is_visible()
    assert warning.get_attribute("role") == "alert"
    text = warning.inner_text()
    assert "561/2006 Art. 7" in text
    assert "4 h 40 min of driving without a 45-minute break" in text
    assert "Driver 2" in text


def test_a_result_without_the_activity_timeline_is_drawn_from_its_stops(
    timeline_server: Server, planned: dict[str, Any], watched: Page
) -> None:
    page = watched
    body = copy.deepcopy(planned)
    for key in ("activity_timeline", "rule_check", "driver_rules_applied"):
        body.pop(key, None)
    for section in body["sections"]:
        for key in ("activities", "driver_free_during_service"):
            section["poi_summary"].pop(key, None)
    serve_instead(page, body)
    open_result(page, timeline_server, body["optimization_id"])

    assert page.locator("#timeline").get_attribute("data-mode") == "stops"
    assert page.locator("#timeline .row-label").count() == 0
    assert page.locator("#timeline .segment.drive").count() == len(body["sections"])
    sequence = customer_with_a_break(planned)
    # As before the timeline: the whole stop after the wait is drawn as service.
    kinds = [s["kind"] for s in segments(page, f"#timeline .segment[data-stop='{sequence}']")]
    assert kinds[-1] == "service"
    assert "Service" in page.locator("#timeline-legend").inner_text()
    assert page.locator("#rule-check").is_hidden()
    assert page.locator("#rules-applied").count() == 0
