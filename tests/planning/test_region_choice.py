"""Which served region plans a tour: Berlin-Brandenburg, Denmark, or none for a tour across both."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from voltroute.api.schemas import PlannerRequest
from voltroute.api.translate_request import to_tour_request
from voltroute.domain import LatLon
from voltroute.planning.region_choice import choose_region, tour_problems
from voltroute.planning.tour_request import TourRequest
from voltroute.regions import Region, ServedRegions

pytestmark = pytest.mark.integration

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
PADBORG = LatLon(54.83, 9.36)
NORTH_SEA = LatLon(54.5, 5.0)


def example(name: str) -> TourRequest:
    body = PlannerRequest.model_validate(json.loads((EXAMPLES / name).read_text()))
    request, problems = to_tour_request(body, 8000, 0)
    assert problems.errors == []
    return request


def with_stop(request: TourRequest, index: int, stop: LatLon) -> TourRequest:
    sections = list(request.sections)
    sections[index] = dataclasses.replace(sections[index], stop=stop)
    return dataclasses.replace(request, sections=tuple(sections))


@pytest.fixture
def both(berlin_brandenburg_region: Region, denmark_region: Region) -> ServedRegions:
    return ServedRegions((berlin_brandenburg_region, denmark_region))


@pytest.mark.parametrize(
    ("tour", "region_name"),
    [
        ("berlin-brandenburg-tour.json", "berlin-brandenburg"),
        ("denmark-long-haul-tour.json", "denmark"),
        ("denmark-two-day-tour.json", "denmark"),
    ],
)
def test_a_tour_is_planned_on_the_region_holding_all_its_stops(
    both: ServedRegions, tour: str, region_name: str
) -> None:
    choice = choose_region(example(tour), both)
    assert choice.problems == []
    assert choice.region is not None
    assert choice.region.name == region_name


def test_the_served_order_does_not_change_the_choice(
    berlin_brandenburg_region: Region, denmark_region: Region
) -> None:
    reversed_order = ServedRegions((denmark_region, berlin_brandenburg_region))
    choice = choose_region(example("berlin-brandenburg-tour.json"), reversed_order)
    assert choice.region is not None
    assert choice.region.name == "berlin-brandenburg"


def test_a_tour_across_both_regions_is_refused_naming_its_stops_and_their_regions(
    both: ServedRegions,
) -> None:
    straddling = with_stop(example("berlin-brandenburg-tour.json"), 6, PADBORG)

    choice = choose_region(straddling, both)

    assert choice.region is None
    assert len(choice.problems) == 1
    loc, message = choice.problems[0]
    assert loc == ("section_list",)
    assert "no one region holds them all" in message
    assert "in 'berlin-brandenburg': section_list[0].start_pos (52.39060, 13.06450)" in message
    assert "in 'denmark': section_list[6].stop_pos (54.83000, 9.36000)" in message
    # 13 Berlin positions: three are named, the rest counted.
    assert "and 10 more" in message


def test_a_stop_outside_every_region_is_refused_at_its_place_naming_every_region(
    both: ServedRegions,
) -> None:
    lost = with_stop(example("denmark-long-haul-tour.json"), 2, NORTH_SEA)

    choice = choose_region(lost, both)

    assert choice.region is None
    assert [loc for loc, _ in choice.problems] == [("section_list", 2, "stop_pos")]
    message = choice.problems[0][1]
    assert message.startswith("position 54.50000, 5.00000 is outside every served region: ")
    assert "'berlin-brandenburg' (lat 52.057..52.989, lon 12.644..14.160)" in message
    assert "'denmark' (lat 54.574..57.738, lon 8.117..15.128)" in message


def test_with_one_region_the_message_names_the_served_region(
    berlin_brandenburg_region: Region,
) -> None:
    lost = with_stop(example("berlin-brandenburg-tour.json"), 0, PADBORG)

    problems = tour_problems(lost, berlin_brandenburg_region)

    assert [loc for loc, _ in problems] == [("section_list", 0, "stop_pos")]
    assert "is outside the served region 'berlin-brandenburg' (lat 52.057" in problems[0][1]


def test_an_undecodable_polyline_is_a_problem_and_leaves_no_region(both: ServedRegions) -> None:
    request = example("denmark-long-haul-tour.json")
    broken = dataclasses.replace(
        request.sections[0], start=None, stop=None, polyline="not a polyline!"
    )
    choice = choose_region(
        dataclasses.replace(request, sections=(broken, *request.sections[1:])), both
    )
    assert choice.region is None
    assert [loc for loc, _ in choice.problems] == [("section_list", 0, "polyline")]
