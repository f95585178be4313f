"""The web page in headless Chromium against the real server: enter a tour with the keyboard,
submit, and see the plan's numbers on the map, in the stop list, the chart and the timeline.
Also `voltroute submit` against the same server."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path
from subprocess import PIPE, CompletedProcess
from typing import Any

import gpxpy
import pytest
from playwright.sync_api import ConsoleMessage, Page, Request
from tests.contract_schema import DEMO_TOUR
from tests.e2e.processes import Server

from voltroute.regions import Region
from voltroute.routing.flexpolyline import decode_polyline

pytestmark = [pytest.mark.e2e, pytest.mark.integration]

REPO = Path(__file__).resolve().parents[2]
SCREENSHOT = REPO / "artifacts" / "web-page.png"
# The page asks OpenStreetMap for base map tiles; offline those requests fail, and only those
# failures (the browser logs each as a console error) are expected.
TILE_HOST = "https://tile.openstreetmap.org/"
RESULT_TIMEOUT_MS = 120_000

# A two-section tour in Heidelberg: depot -> customer (window, service) -> old town.
STOPS: list[dict[str, str]] = [
    {"lat": "49.4350", "lon": "8.5900"},
    {"lat": "49.3720", "lon": "8.6340", "payload": "19300", "service": "30"},
    {"lat": "49.4122", "lon": "8.7100", "payload": "9000", "service": "20"},
]


@pytest.fixture
def web_server(embedded_server: Server) -> Server:
    """The embedded deployment, as `scripts/serve` runs it (the one `server` shares)."""
    return embedded_server


def run_together(runs: list[tuple[list[str], float]]) -> list[CompletedProcess[str]]:
    """Run the commands at once (each waits on the server, not on the others), each within its
    timeout in seconds; their results."""
    started_s = time.monotonic()
    started = [
        (command, timeout_s, subprocess.Popen(command, stdout=PIPE, stderr=PIPE, text=True))
        for command, timeout_s in runs
    ]
    done = []
    for command, timeout_s, process in started:
        left_s = max(0.0, started_s + timeout_s - time.monotonic())
        try:
            stdout, stderr = process.communicate(timeout=left_s)
        except subprocess.TimeoutExpired:
            for _, _, other in started:
                other.kill()
            raise
        done.append(CompletedProcess(command, process.returncode, stdout, stderr))
    return done


def unexpected_console_errors(messages: list[ConsoleMessage]) -> list[str]:
    problems = []
    for message in messages:
        if message.type != "error":
            continue
        url = message.location.get("url", "")
        if url.startswith(TILE_HOST) and message.text.startswith("Failed to load resource"):
            continue
        problems.append(f"{message.text} ({url})")
    return problems


def enter_tour_with_the_keyboard(page: Page, token: str) -> None:
    page.locator("#token").focus()
    page.keyboard.type(token)
    page.keyboard.press("Enter")  # stores the token and loads the vehicle catalogue
    for index, stop in enumerate(STOPS):
        page.locator("#add-stop").focus()
        page.keyboard.press("Enter")  # adds a stop and moves focus to its latitude
        assert page.evaluate("document.activeElement.id") == f"stop-{index}-lat"
        page.keyboard.type(stop["lat"])
        page.keyboard.press("Tab")
        page.keyboard.type(stop["lon"])
        if index > 0:
            page.keyboard.press("Tab")
            page.keyboard.press("Control+A")
            page.keyboard.type(stop["payload"])
            page.keyboard.press("Tab")
            page.keyboard.press("Control+A")
            page.keyboard.type(stop["service"])
    page.keyboard.press("Enter")  # Enter in a field submits the form


def map_centre(page: Page) -> tuple[float, float]:
    """The map view's centre, as the page writes it on the map element after each move."""
    element = page.locator("#map")
    return (
        float(element.get_attribute("data-center-lat") or "nan"),
        float(element.get_attribute("data-center-lon") or "nan"),
    )


def wait_for_regions(page: Page, count: int) -> list[str]:
    """The region selector's options once the page has loaded count served regions."""
    page.wait_for_function(f"document.querySelectorAll('#region option').length === {count}")
    return list(page.locator("#region option").evaluate_all("els => els.map(e => e.value)"))


def test_a_tour_entered_on_the_page_shows_the_plans_numbers(
    web_server: Server, page: Page, heidelberg_region: Region
) -> None:
    console: list[ConsoleMessage] = []
    failed: list[Request] = []
    page_errors: list[str] = []
    page.on("console", lambda message: console.append(message))
    page.on("requestfailed", lambda request: failed.append(request))
    page.on("pageerror", lambda error: page_errors.append(str(error)))
    page.goto(web_server.base_url + "/")

    # The region selector lists the one served region, and the map shows it.
    assert wait_for_regions(page, 1) == ["heidelberg"]
    assert heidelberg_region.contains(*map_centre(page))

    enter_tour_with_the_keyboard(page, web_server.token)
    page.locator("#stop-list li").first.wait_for(timeout=RESULT_TIMEOUT_MS)

    optimization_id = page.evaluate("window.voltroute.result.optimization_id")
    result: dict[str, Any] = web_server.client.get(
        f"/planner/optimizations/{optimization_id}/result"
    ).json()
    sections = result["sections"]
    assert [s["section_id"] for s in sections if s["section_id"]] == ["leg-1", "leg-2"]
    assert sections[0]["start_pos"][:2] == [49.435, 8.59]

    # Map: one route line per result section, a marker per stop and the origin.
    assert page.locator("path.route-line").count() == len(sections)
    assert page.locator("path.stop-marker").count() == len(sections) + 1

    # Stop list: the result's stops in order, with their SoC and energy.
    items = page.locator("#stop-list li")
    assert items.count() == len(sections) + 1
    assert items.nth(0).get_attribute("data-stop-type") == "origin"
    for index, section in enumerate(sections, start=1):
        item, summary = items.nth(index), section["poi_summary"]
        assert item.get_attribute("data-stop-type") == summary["stop_type"]
        assert float(item.get_attribute("data-soc-arrival") or "nan") == summary["start_soc"]
        assert float(item.get_attribute("data-soc-departure") or "nan") == summary["stop_soc"]
        assert float(item.get_attribute("data-energy-kwh") or "nan") == summary["energy_kWh"]
        assert summary["name"] in item.inner_text()
        assert f"{int(summary['stop_soc'] * 100 + 0.5)} %" in item.inner_text()
    end_soc = page.locator("#summary-soc-end")
    assert float(end_soc.get_attribute("data-value") or "nan") == result["battery_level_end"]

    # Chart: every route point, SoC between the section ends the result gives.
    chart = page.locator("#chart")
    assert chart.locator("canvas").count() >= 1
    points = sum(len(decode_polyline(s["polyline"])) for s in sections)
    assert chart.get_attribute("data-points") == str(points)
    socs = [s["start_pos"][2] for s in sections] + [s["stop_pos"][2] for s in sections]
    assert float(chart.get_attribute("data-soc-min") or "nan") == pytest.approx(min(socs))
    assert float(chart.get_attribute("data-soc-max") or "nan") == pytest.approx(max(socs))

    # Timeline: a driving segment per section.
    assert page.locator("#timeline .segment.drive").count() == len(sections)

    # Stations in the corridor, on demand, by keyboard.
    assert page.locator("path.station-marker").count() == 0
    page.locator("#toggle-stations").focus()
    page.keyboard.press("Enter")
    stations = {str(s["id"]) for s in result["available_charging_stations"] or []}
    stations |= {str(p["station_id"]) for p in result["poi_list"]}
    assert stations
    assert page.locator("path.station-marker").count() == len(stations)
    assert page.locator("#stations-list").is_visible()

    # Export: the GPX button downloads the server's GPX of this result.
    with page.expect_download() as download_info:
        page.locator("#export-gpx").focus()
        page.keyboard.press("Enter")
    download = download_info.value
    assert download.suggested_filename == f"voltroute-{optimization_id}.gpx"
    gpx = gpxpy.parse(Path(download.path()).read_text())
    assert len(gpx.waypoints) == len(sections) + 1

    SCREENSHOT.parent.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOT), full_page=True)
    assert page_errors == []
    assert unexpected_console_errors(console) == []
    assert [r.url for r in failed if not r.url.startswith(TILE_HOST)] == []


def test_the_cli_submits_through_the_server_and_prints_the_result(web_server: Server) -> None:
    command = [sys.executable, "-m", "voltroute", "submit", str(DEMO_TOUR)]
    command += ["--url", web_server.base_url, "--token", web_server.token]
    done, table, refused = run_together(
        [([*command, "--json"], 180), (command, 180), ([*command[:-1], "not-a-token"], 60)]
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["qualification"] == "Driveable"
    assert result["sections"][-1]["poi_summary"]["name"] == "Destination"

    assert table.returncode == 0, table.stderr
    assert "altstadt-to-depot" in table.stdout

    assert refused.returncode == 1
    assert "401" in refused.stderr
    assert "Traceback" not in refused.stderr
