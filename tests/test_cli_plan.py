"""`voltroute plan`: plans a tour file in-process on the Heidelberg region; bad files: a message."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import gpxpy
import pytest
from geojson_pydantic import FeatureCollection
from tests.contract_schema import DEMO_TOUR, SIX_OCLOCK_START_UTC, six_oclock_tour
from typer.testing import CliRunner

from voltroute.cli import app
from voltroute.regions import Region

pytestmark = pytest.mark.integration  # plans or serves on the real Heidelberg tiles

Invoke = Callable[..., tuple[int, str, str]]
"""Runs `voltroute plan ARGS --region-dir <heidelberg>`: exit code, stdout, stderr."""


@pytest.fixture
def run(heidelberg_region: Region) -> Invoke:
    runner = CliRunner()

    def invoke(*args: str) -> tuple[int, str, str]:
        result = runner.invoke(app, ["plan", *args, "--region-dir", str(heidelberg_region.path)])
        return result.exit_code, result.stdout, result.stderr

    return invoke


def test_the_table_lists_legs_and_stops(run: Invoke) -> None:
    code, out, _ = run(str(DEMO_TOUR))
    assert code == 0
    assert "Legs" in out
    assert "Stops" in out
    for section_id in ("depot-to-south", "south-to-altstadt", "altstadt-to-depot"):
        assert section_id in out
    assert "Destination" in out


def test_json_geojson_and_gpx_outputs_parse(run: Invoke) -> None:
    code, out, _ = run(str(DEMO_TOUR), "--json")
    assert code == 0
    result = json.loads(out)
    assert result["qualification"] == "Driveable"
    stops = len(result["sections"]) + 1

    code, out, _ = run(str(DEMO_TOUR), "--geojson")
    assert code == 0
    collection = FeatureCollection.model_validate(json.loads(out))
    assert sum(f.properties["feature_type"] == "stop" for f in collection.features) == stops  # type: ignore[index]

    code, out, _ = run(str(DEMO_TOUR), "--gpx")
    assert code == 0
    assert len(gpxpy.parse(out).waypoints) == stops


def test_a_tour_asked_to_start_at_six_starts_at_six_in_every_output(
    run: Invoke, tmp_path: Path
) -> None:
    tour = tmp_path / "six.json"
    tour.write_text(json.dumps(six_oclock_tour()))

    code, out, _ = run(str(tour))
    assert code == 0
    start_row = next(line for line in out.splitlines() if "Start" in line)
    assert "01-13 06:00" in start_row

    code, out, _ = run(str(tour), "--json")
    assert code == 0
    assert json.loads(out)["sections"][0]["start_departure_time"] == SIX_OCLOCK_START_UTC

    code, out, _ = run(str(tour), "--geojson")
    assert code == 0
    origin = next(
        f["properties"]
        for f in json.loads(out)["features"]
        if f["properties"].get("stop_type") == "origin"
    )
    assert origin["departure_time"] == SIX_OCLOCK_START_UTC


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"vehicle_id": ', "not JSON (line 1, column 16"),
        ("[1, 2]", "expected a JSON object"),
        (
            '{"vehicle_id": "010160700001", "battery_level_start": 2, "poi_info": {},'
            ' "section_list": [{"start_pos": [49.43, 8.59], "stop_pos": [49.37, 8.63]}]}',
            "battery_level_start: Input should be less than or equal to 1",
        ),
        (
            '{"vehicle_id": "010160700001", "battery_level_start": 0.8, "poi_info": {},'
            ' "section_list": [{"start_pos": [52.52, 13.40], "stop_pos": [49.37, 8.63]}]}',
            "section_list.0.start_pos: position 52.52000, 13.40000 is outside the served region",
        ),
        (
            '{"vehicle_id": "010160700001", "battery_level_start": 0.8, "poi_info": {},'
            ' "start_time_tour": "25:99",'
            ' "section_list": [{"start_pos": [49.43, 8.59], "stop_pos": [49.37, 8.63]}]}',
            "25:99",
        ),
    ],
    ids=["truncated", "not-an-object", "soc-out-of-range", "outside-region", "bad-time"],
)
def test_a_bad_tour_file_fails_with_a_message_and_no_traceback(
    run: Invoke,
    tmp_path: Path,
    content: str,
    message: str,
) -> None:
    tour = tmp_path / "tour.json"
    tour.write_text(content)
    code, out, err = run(str(tour))
    assert code == 1
    assert out == ""
    assert "Cannot plan" in err
    assert message in " ".join(err.split())
    assert "Traceback" not in err


def test_a_missing_file_and_two_formats_are_refused(run: Invoke, tmp_path: Path) -> None:
    code, _, err = run(str(tmp_path / "absent.json"))
    assert code == 1
    assert "cannot read the file" in err
    code, _, err = run(str(DEMO_TOUR), "--json", "--gpx")
    assert code == 2
    assert "at most one of --json, --geojson, --gpx" in err


@pytest.fixture
def regions_dir(tmp_path: Path, berlin_brandenburg_region: Region, denmark_region: Region) -> Path:
    """A directory of regions: links to the cached Berlin-Brandenburg and Denmark regions."""
    regions = tmp_path / "regions"
    regions.mkdir()
    for region in (berlin_brandenburg_region, denmark_region):
        (regions / region.name).symlink_to(region.path, target_is_directory=True)
    return regions


@pytest.mark.integration
def test_a_directory_of_regions_plans_each_tour_on_the_region_holding_it(
    regions_dir: Path,
) -> None:
    runner = CliRunner()
    for tour, station_prefix in (
        ("berlin-brandenburg-tour.json", "bnetza:"),
        ("denmark-long-haul-tour.json", "overlay:denmark"),
    ):
        args = ["plan", str(DEMO_TOUR.parent / tour), "--json", "--region-dir", str(regions_dir)]
        done = runner.invoke(app, args)
        assert done.exit_code == 0, done.stderr
        charging = [
            s["poi_summary"]["station_id"]
            for s in json.loads(done.stdout)["sections"]
            if s["poi_summary"]["stop_type"] == "charging"
        ]
        assert charging
        assert all(station_id.startswith(station_prefix) for station_id in charging)


@pytest.mark.integration
def test_a_tour_across_two_regions_names_its_stops_and_their_regions(
    regions_dir: Path, tmp_path: Path
) -> None:
    body = json.loads((DEMO_TOUR.parent / "denmark-long-haul-tour.json").read_text())
    body["section_list"][0]["start_pos"] = [52.3906, 13.0645]  # Potsdam
    tour = tmp_path / "across.json"
    tour.write_text(json.dumps(body))

    done = CliRunner().invoke(app, ["plan", str(tour), "--region-dir", str(regions_dir)])

    assert done.exit_code == 1
    message = " ".join(done.stderr.split())
    assert "no one region holds them all" in message
    assert "in 'berlin-brandenburg': section_list[0].start_pos (52.39060, 13.06450)" in message
    assert "in 'denmark': section_list[0].stop_pos (57.44000, 10.53000)" in message


def test_the_driver_options_reach_the_plan(run: Invoke, tmp_path: Path) -> None:
    tour = tmp_path / "dated.json"
    tour.write_text(json.dumps(six_oclock_tour()))
    state = tmp_path / "state.json"
    state.write_text(
        json.dumps({"driving_since_break_min": 120, "last_daily_rest_end": SIX_OCLOCK_START_UTC})
    )

    code, out, err = run(
        str(tour),
        "--json",
        "--team-driving",
        "--no-working-time",
        "--driver-free-during-service",
        "--driver-state",
        str(state),
    )

    assert code == 0, err
    result = json.loads(out)
    applied = result["driver_rules_applied"]
    assert (applied["team_driving"], applied["working_time"]) == (True, False)
    assert applied["driver_free_during_service"] is True
    assert [t["driver"] for t in result["activity_timeline"]] == [1, 2]
    assert result["rule_check"] == []


def test_without_driver_options_the_plan_is_lawful_for_one_driver(run: Invoke) -> None:
    code, out, _ = run(str(DEMO_TOUR), "--json")
    assert code == 0
    result = json.loads(out)
    applied = result["driver_rules_applied"]
    assert (applied["team_driving"], applied["working_time"]) == (False, True)
    assert applied["driver_free_during_service"] is False
    assert len(result["activity_timeline"]) == 1
    assert result["rule_check"] == []


@pytest.mark.parametrize(
    ("state", "message"),
    [
        (
            '{"driving_since_break_min": 300}',
            "driver_state.driving_since_break_min: driving_since_break_min is 5 h: over the "
            "4 h 30 min of 561/2006 art. 7 already",
        ),
        ('{"driving_today_min": -3}', "driver_state.driving_today_min: Input should be greater"),
        ("[1]", "expected a JSON object (the API's driver_state)"),
    ],
    ids=["already-an-infringement", "negative", "not-an-object"],
)
def test_a_bad_driver_state_file_fails_naming_the_field(
    run: Invoke, tmp_path: Path, state: str, message: str
) -> None:
    path = tmp_path / "state.json"
    path.write_text(state)
    code, out, err = run(str(DEMO_TOUR), "--driver-state", str(path))
    assert code == 1
    assert out == ""
    assert message in " ".join(err.split())
