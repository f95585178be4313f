"""Issue 20's fields in the job row: a plan's stop activities, the stop's choice of service as work
or free time, team driving, and the tour request's driver rules and state, stored and read back;
rows stored before them still read (empty activities, the law, a rested driver).
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

from tests.api.test_result_driver_rules import long_plan
from tests.jobs.test_legacy_results import request as tour_request
from tests.jobs.test_results import drivable_plan_with_windows_and_charging

from voltroute.api.translate_result import result_body
from voltroute.jobs.results import plan_from_json, plan_to_json
from voltroute.planner import Plan
from voltroute.planner.driver_rules import DriverRules
from voltroute.planning.tour_request import (
    SectionSpec,
    TourRequest,
    tour_request_from_json,
    tour_request_to_json,
)
from voltroute.tachograph import LAW, RESTED, DriverStartState, RuleOptions

STOP_FIELDS = ("activities", "driver_free_during_service")


def stored(document: dict[str, Any]) -> dict[str, Any]:
    """As the job row holds it: through JSON text."""
    loaded: dict[str, Any] = json.loads(json.dumps(document))
    return loaded


def test_a_plan_with_activities_and_a_team_comes_back_unchanged() -> None:
    free = long_plan(free=True)
    team = long_plan(DriverRules(law=RuleOptions(team_driving=True)))
    assert team.team_driving
    for plan in (free, team):
        assert all(s.planned_stop.activities for s in plan.sections[:-1])
        assert plan_from_json(stored(plan_to_json(plan))) == plan
    restored = plan_from_json(stored(plan_to_json(free)))
    assert restored.sections[0].planned_stop.driver_free_during_service is True


def old_plan_row(plan: Plan) -> dict[str, Any]:
    """The plan as stored before issue 20: no stop activities, no team flag."""
    document = stored(plan_to_json(plan))
    del document["team_driving"]
    for section in document["sections"]:
        for name in STOP_FIELDS:
            del section["planned_stop"][name]
    return document


def test_an_old_plan_row_reads_back_without_activities() -> None:
    plan = plan_from_json(old_plan_row(drivable_plan_with_windows_and_charging()))
    assert plan.team_driving is False
    for section in plan.sections:
        assert section.planned_stop.activities == ()
        assert section.planned_stop.driver_free_during_service is False


def test_an_old_plan_row_answers_without_a_timeline_to_check() -> None:
    old = plan_from_json(old_plan_row(long_plan()))
    body = result_body(old, tour_request(), 1, 1, "succeeded")
    assert body["activity_timeline"] is None
    assert body["rule_check"] is None
    assert all(s["poi_summary"]["activities"] == [] for s in body["sections"])
    assert body["driver_rules_applied"]["working_time"] is True
    # The rest of the result is what the plan with activities answers.
    current = result_body(long_plan(), tour_request(), 1, 1, "succeeded")
    for section, again in zip(body["sections"], current["sections"], strict=True):
        assert section["poi_summary"]["arrival_time"] == again["poi_summary"]["arrival_time"]


def test_an_old_plan_row_stored_again_reads_the_same() -> None:
    old = plan_from_json(old_plan_row(long_plan()))
    assert plan_from_json(stored(plan_to_json(old))) == old


def new_request() -> TourRequest:
    sections = (
        SectionSpec(None, None, None, None, 12_500, 30, 0, None, driver_free_during_service=True),
        SectionSpec(None, None, None, None, 12_500, 0, 0, None),
    )
    return replace(
        tour_request(),
        sections=sections,
        rule_options=RuleOptions(team_driving=True, working_time=False, break_s=3600),
        driver_state=DriverStartState(
            driving_since_break_s=1800,
            driving_today_s=3600,
            work_today_s=4000,
            last_daily_rest_end=datetime(2026, 5, 4, 4, 0, tzinfo=UTC),
            weekly_period_start=datetime(2026, 5, 3, 4, 0, tzinfo=UTC) - timedelta(hours=1),
            reduced_rests_used=2,
        ),
        driver_free_during_service=True,
    )


def test_a_tour_request_with_driver_rules_comes_back_unchanged() -> None:
    request = new_request()
    restored = tour_request_from_json(stored(tour_request_to_json(request)))
    assert restored == request
    assert restored.driver_state.last_daily_rest_end == datetime(2026, 5, 4, 4, 0, tzinfo=UTC)


def test_an_old_tour_request_row_reads_with_the_lawful_defaults() -> None:
    document = stored(tour_request_to_json(new_request()))
    for name in ("rule_options", "driver_state", "driver_free_during_service"):
        del document[name]
    for section in document["sections"]:
        del section["driver_free_during_service"]
    old = tour_request_from_json(document)
    assert old.rule_options == LAW
    assert old.driver_state == RESTED
    assert old.driver_free_during_service is False
    assert [old.driver_free_at(i) for i in range(2)] == [False, False]


def test_a_row_with_only_some_rule_options_fills_in_the_law() -> None:
    document = stored(tour_request_to_json(tour_request()))
    document["rule_options"] = {"team_driving": True}
    document["driver_state"] = {"driving_today_s": 600.0, "work_today_s": 600.0}
    request = tour_request_from_json(document)
    assert request.rule_options == RuleOptions(team_driving=True)
    assert request.driver_state.driving_today_s == 600.0
