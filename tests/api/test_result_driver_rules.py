"""The result's driver-rule extensions (`api/translate_activities.py`): each stop's activities,
the rules applied, each driver's timeline with its places, and the independent rule check.

Plans come from the planner on hand-made legs (no tiles).
"""

from __future__ import annotations

import itertools
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from tests.jobs.test_legacy_results import request as tour_request
from tests.jobs.test_results import (
    EACTROS,
    HEIDELBERG,
    drivable_plan_with_windows_and_charging,
    not_drivable_plan_with_warnings,
)
from tests.jobs.test_results import leg as make_leg

from voltroute.api.schemas import OptimizationResultResponse
from voltroute.api.translate_result import result_body
from voltroute.planner import Plan, PlanningProblem, plan_tour
from voltroute.planner.driver_rules import DriverRules
from voltroute.planning.tour_request import TourRequest
from voltroute.tachograph import DriverStartState, RuleOptions
from voltroute.timefmt import iso_utc, parse_iso

DEPARTURE = datetime(2026, 5, 4, 6, 0, tzinfo=UTC)
KINDS = {"driving", "other_work", "availability", "break", "daily_rest", "weekly_rest"}


def long_plan(rules: DriverRules | None = None, free: bool = False) -> Plan:
    """Three legs of 2.5 h with an hour's service between them: breaks are due."""
    legs = []
    start = HEIDELBERG
    for _ in range(3):
        leg = make_leg(start, 30.0, service_s=3600.0, dwell_kw=150.0, duration_s=9000.0)
        legs.append(replace(leg, driver_free_during_service=free))
        start = leg.stop
    problem = PlanningProblem(
        vehicle=EACTROS,
        legs=tuple(legs),
        soc_start=0.9,
        min_soc_end=0.2,
        earliest_departure=DEPARTURE,
        departure_service_s=900.0,
    )
    return plan_tour(replace(problem, driver_rules=rules) if rules else problem)


def body_of(plan: Plan, request: TourRequest | None = None) -> dict[str, Any]:
    return result_body(plan, request or tour_request(), 1, 1, "succeeded")


PLANS = {
    "windows-charging": drivable_plan_with_windows_and_charging,
    "breaks": long_plan,
    "free-during-service": lambda: long_plan(free=True),
}


@pytest.mark.parametrize("make", PLANS.values(), ids=PLANS.keys())
def test_each_stop_s_activities_cover_it_from_arrival_to_departure(make: Any) -> None:
    body = body_of(make())
    for section in body["sections"]:
        summary = section["poi_summary"]
        parts = summary["activities"]
        if summary["arrival_time"] == summary["departure_time"]:
            assert parts == []
            continue
        assert parts[0]["start"] == summary["arrival_time"]
        assert parts[-1]["end"] == summary["departure_time"]
        for before, after in itertools.pairwise(parts):
            assert before["end"] == after["start"]
        for part in parts:
            assert part["activity"] in KINDS
            assert parse_iso(part["start_local"]) == parse_iso(part["start"])
            assert part["start_local"].endswith("+02:00")  # Europe/Berlin in May
            length = (parse_iso(part["end"]) - parse_iso(part["start"])).total_seconds() / 60
            assert part["duration_min"] == pytest.approx(length, abs=0.02)
        for kind, key in (("break", "break_time_min"), ("daily_rest", "rest_time_min")):
            minutes = sum(p["duration_min"] for p in parts if p["activity"] == kind)
            assert summary[key] == pytest.approx(minutes, abs=0.05)


def test_service_is_work_unless_the_driver_is_free_during_it() -> None:
    def service_kinds(plan: Plan) -> list[set[str]]:
        body = body_of(plan)
        return [
            {p["activity"] for p in s["poi_summary"]["activities"]}
            for s in body["sections"]
            if s["poi_summary"]["stop_type"] == "customer"
        ]

    working = body_of(long_plan())["sections"]
    assert all(s["poi_summary"]["driver_free_during_service"] is False for s in working)
    assert all("other_work" in kinds for kinds in service_kinds(long_plan()))
    free = body_of(long_plan(free=True))["sections"]
    customers = [s for s in free if s["poi_summary"]["stop_type"] == "customer"]
    assert all(s["poi_summary"]["driver_free_during_service"] is True for s in customers)
    assert any("break" in kinds for kinds in service_kinds(long_plan(free=True)))


@pytest.mark.parametrize("make", PLANS.values(), ids=PLANS.keys())
def test_the_timeline_runs_from_the_start_of_service_to_the_last_departure(make: Any) -> None:
    plan = make()
    body = body_of(plan)
    [driver] = body["activity_timeline"]
    assert driver["driver"] == 1
    parts = driver["activities"]
    assert parts[0]["start"] == iso_utc(plan.tour_start)
    assert parts[-1]["end"] == iso_utc(plan.sections[-1].planned_stop.departure)
    for before, after in itertools.pairwise(parts):
        assert before["end"] == after["start"]
    assert parts[0]["place"] == "Start"
    assert parts[0]["section"] is None
    for part in parts:
        if part["activity"] == "driving":
            stop = plan.sections[part["section"]].planned_stop
            assert part["place"] == f"on the road to {stop.name}"
        elif part["section"] is not None:
            assert part["place"] == plan.sections[part["section"]].planned_stop.name


@pytest.mark.parametrize("make", PLANS.values(), ids=PLANS.keys())
def test_the_rule_check_finds_nothing_in_a_planned_tour(make: Any) -> None:
    assert body_of(make())["rule_check"] == []


def test_a_team_has_two_timelines_and_passes_the_check() -> None:
    plan = long_plan(DriverRules(law=RuleOptions(team_driving=True)))
    request = replace(tour_request(), rule_options=RuleOptions(team_driving=True))
    body = body_of(plan, request)
    assert [t["driver"] for t in body["activity_timeline"]] == [1, 2]
    assert body["rule_check"] == []
    assert body["driver_rules_applied"]["team_driving"] is True


def test_the_check_reports_what_the_stated_driver_state_makes_an_infringement() -> None:
    # Planned for a rested driver, shown for one who drove 4 h since the last break.
    plan = long_plan()
    tired = DriverStartState(
        driving_since_break_s=4 * 3600,
        driving_today_s=4 * 3600,
        work_today_s=4 * 3600,
        work_since_break_s=4 * 3600,
    )
    body = body_of(plan, replace(tour_request(), driver_state=tired))
    found = body["rule_check"]
    assert found, "a break is due half an hour into the tour"
    first = found[0]
    assert set(first) == {"driver", "article", "rule", "at", "detail"}
    assert (first["driver"], first["article"], first["rule"]) == (1, "561/2006 art. 7", "break")
    assert parse_iso(first["at"]) < DEPARTURE + timedelta(hours=1)


def test_the_rules_applied_are_the_request_s_filled_in() -> None:
    request = replace(
        tour_request(),
        rule_options=RuleOptions(working_time=False, break_after_driving_s=4 * 3600),
        driver_free_during_service=True,
    )
    applied = body_of(drivable_plan_with_windows_and_charging(), request)["driver_rules_applied"]
    assert applied["driver_free_during_service"] is True
    assert applied["working_time"] is False
    assert applied["team_driving"] is False
    assert applied["break_after_driving_min"] == 240
    assert applied["daily_driving_h"] == 9
    assert applied["daily_rest_h"] == 11


def test_the_contract_s_result_model_keeps_the_extensions() -> None:
    body = body_of(long_plan())
    served = OptimizationResultResponse.model_validate(body).model_dump(mode="json")
    for key in ("driver_rules_applied", "activity_timeline", "rule_check"):
        assert served[key] == body[key], key
    for section, kept in zip(body["sections"], served["sections"], strict=True):
        assert kept["poi_summary"]["activities"] == section["poi_summary"]["activities"]
        assert kept["poi_summary"]["driver_free_during_service"] is False


def test_a_tour_that_is_not_drivable_has_no_timeline_to_check() -> None:
    body = body_of(not_drivable_plan_with_warnings())
    assert body["qualification"] == "not_drivable"
    assert (body["activity_timeline"], body["rule_check"]) == (None, None)
    assert body["driver_rules_applied"]["working_time"] is True
