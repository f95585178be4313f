"""The request's driver-rule extensions: `driver_rules`, `driver_state`, a section's
`driver_free_during_service`, their translation to the domain, and each refusal naming its field.

No tiles: the body is translated (`to_tour_request`) as the API and `voltroute plan` do; what
needs the tour's start (`state_problems_at`) is checked on its own.
"""

from __future__ import annotations

import re
from dataclasses import fields
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from pydantic import ValidationError
from tests.contract_schema import contract_errors, demo_tour

from voltroute.api.schemas import PlannerRequest
from voltroute.api.schemas.request import DriverRulesRequest, DriverStateRequest
from voltroute.api.translate_request import to_tour_request
from voltroute.planning.driver_rules_request import (
    RULE_FIELDS,
    STATE_FIELDS,
    rules_on_the_wire,
    state_problems_at,
)
from voltroute.planning.tour_request import TourRequest
from voltroute.tachograph import LAW, RESTED, DriverStartState, RuleOptions

NOW = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)
START = datetime(2026, 5, 4, 6, 0, tzinfo=UTC)


def translated(**extensions: Any) -> tuple[TourRequest, list[dict[str, Any]]]:
    body = demo_tour() | extensions
    request, problems = to_tour_request(PlannerRequest.model_validate(body), 8000, 0, NOW)
    return request, problems.errors


def only_problem(**extensions: Any) -> dict[str, Any]:
    _, errors = translated(**extensions)
    assert len(errors) == 1, errors
    return errors[0]


# --- The wire table covers the tachograph's value objects ------------------------------------


def test_the_wire_tables_cover_every_rule_option_and_state_field() -> None:
    assert {f.domain for f in RULE_FIELDS} == {f.name for f in fields(RuleOptions)}
    assert {f.domain for f in STATE_FIELDS} == {f.name for f in fields(DriverStartState)}
    rules = set(DriverRulesRequest.model_fields) - {"driver_free_during_service"}
    assert rules == {f.wire for f in RULE_FIELDS}
    assert set(DriverStateRequest.model_fields) == {f.wire for f in STATE_FIELDS}


def test_each_wire_unit_is_in_the_name() -> None:
    for field in (*RULE_FIELDS, *STATE_FIELDS):
        if field.unit_s == 60.0:
            assert field.wire.endswith("_min"), field
        elif field.unit_s == 3600.0:
            assert field.wire.endswith("_h"), field
        else:
            assert not field.wire.endswith(("_min", "_h", "_s")), field


# --- Defaults: a client that sends none gets the lawful defaults -------------------------------


def test_a_request_without_extensions_gets_the_law_and_a_rested_driver() -> None:
    request, errors = translated()
    assert errors == []
    assert request.rule_options == LAW
    assert request.driver_state == RESTED
    assert request.driver_free_during_service is False
    assert [request.driver_free_at(i) for i in range(len(request.sections))] == [False] * 3


def test_the_demo_tour_with_extensions_is_still_a_contract_request_body() -> None:
    body = demo_tour() | {
        "driver_rules": {"team_driving": True},
        "driver_state": {"driving_today_min": 60},
    }
    body["section_list"][0]["driver_free_during_service"] = True
    # The contract's PlannerRequest does not forbid other properties.
    assert contract_errors(body, "PlannerRequest") == []


def test_rules_and_state_reach_the_tour_request_in_seconds() -> None:
    request, errors = translated(
        driver_rules={
            "driver_free_during_service": True,
            "working_time": False,
            "team_driving": True,
            "break_after_driving_min": 240,
            "daily_driving_h": 8.5,
            "reduced_rests_between_weekly": 1,
        },
        driver_state={
            "driving_since_break_min": 90,
            "first_break_part_taken": True,
            "driving_today_min": 200,
            "last_daily_rest_end": "2026-05-04T07:30:00+02:00",
            "reduced_rests_used": 1,
            "driving_this_week_h": 20.5,
            "driving_last_week_h": 40,
        },
    )
    assert errors == []
    options = request.rule_options
    assert (options.team_driving, options.working_time) == (True, False)
    assert options.break_after_driving_s == 4 * 3600
    assert options.daily_driving_s == 8.5 * 3600
    assert options.reduced_rests_between_weekly == 1
    assert options.break_s == LAW.break_s  # not given: the law's
    state = request.driver_state
    assert state.driving_since_break_s == 90 * 60
    assert state.first_break_part_taken
    assert state.driving_today_s == 200 * 60
    assert state.last_daily_rest_end == datetime(2026, 5, 4, 5, 30, tzinfo=UTC)
    assert state.driving_this_week_s == 20.5 * 3600
    assert state.driving_last_week_s == 40 * 3600
    assert request.driver_free_during_service is True


def test_work_counters_default_to_the_driving_they_include() -> None:
    request, errors = translated(
        driver_state={"driving_since_break_min": 120, "driving_today_min": 300}
    )
    assert errors == []
    assert request.driver_state.work_since_break_s == 120 * 60
    assert request.driver_state.work_today_s == 300 * 60


def test_driving_since_the_break_alone_is_also_the_day_s_driving() -> None:
    request, errors = translated(driver_state={"driving_since_break_min": 150})
    assert errors == []
    state = request.driver_state
    assert state.driving_today_s == state.work_today_s == state.work_since_break_s == 150 * 60


def test_a_section_flag_overrides_the_tour_default() -> None:
    body = demo_tour() | {"driver_rules": {"driver_free_during_service": True}}
    body["section_list"][1]["driver_free_during_service"] = False
    body["section_list"][2]["driver_free_during_service"] = None
    request, problems = to_tour_request(PlannerRequest.model_validate(body), 8000, 0, NOW)
    assert problems.errors == []
    assert [request.driver_free_at(i) for i in range(3)] == [True, False, True]
    assert [s.driver_free_during_service for s in request.sections] == [None, False, None]


def test_the_applied_rules_say_every_limit_in_the_wire_unit() -> None:
    applied = rules_on_the_wire(LAW)
    assert applied["break_after_driving_min"] == 270
    assert applied["daily_driving_h"] == 9
    assert applied["weekly_rest_after_h"] == 144
    assert applied["extended_days_per_week"] == 2
    assert applied["working_time"] is True


# --- Refusals naming the field -----------------------------------------------------------------

# Each duration limit's range under the law's defaults (the tachograph's one table).
LAW_BOUNDS = LAW._duration_bounds()


@pytest.mark.parametrize(
    "field", [f for f in RULE_FIELDS if f.unit_s is not None], ids=lambda f: f.wire
)
@pytest.mark.parametrize("side", ["laxer", "below"])
def test_a_limit_out_of_its_range_is_refused_naming_its_wire_field(field: Any, side: str) -> None:
    low, high = LAW_BOUNDS[field.domain]
    value = (high + 60.0 if side == "laxer" else low - 60.0) / field.unit_s
    problem = only_problem(driver_rules={field.wire: value})
    assert problem["loc"] == ("body", "driver_rules", field.wire)
    assert problem["msg"].startswith(f"{field.wire} must be within ")
    assert field.domain not in problem["msg"]
    assert " s)" not in problem["msg"]  # the tachograph's seconds are not the wire's unit


@pytest.mark.parametrize(
    ("rules", "field", "words"),
    [
        ({"break_after_driving_min": 300}, "break_after_driving_min", "1 h..4 h 30 min, got 5 h"),
        ({"break_min": 30}, "break_min", "45 min..2 h, got 30 min"),
        ({"extended_days_per_week": 3}, "extended_days_per_week", "0..2, got 3"),
        ({"reduced_rests_between_weekly": -1}, "reduced_rests_between_weekly", "0..3, got -1"),
        (
            {"daily_driving_h": 9, "extended_daily_driving_h": 8},
            "extended_daily_driving_h",
            "9 h..10 h, got 8 h",
        ),
        (
            {"daily_rest_h": 12, "reduced_daily_rest_h": 12.5},
            "reduced_daily_rest_h",
            "9 h..12 h, got 12 h 30 min",
        ),
    ],
)
def test_a_limit_laxer_than_the_law_is_refused_with_the_range(
    rules: dict[str, Any], field: str, words: str
) -> None:
    problem = only_problem(driver_rules=rules)
    assert problem["loc"] == ("body", "driver_rules", field)
    assert words in problem["msg"]


@pytest.mark.parametrize(
    ("state", "field", "words"),
    [
        (
            {"driving_since_break_min": 280, "driving_today_min": 280},
            "driving_since_break_min",
            "4 h 40 min: over the 4 h 30 min of 561/2006 art. 7",
        ),
        ({"driving_today_min": 610}, "driving_today_min", "561/2006 art. 6(1)"),
        (
            {"driving_today_min": 570, "extended_days_used": 2},
            "driving_today_min",
            "beyond the 2 of 561/2006 art. 6(1)",
        ),
        ({"extended_days_used": 3}, "extended_days_used", "over the 2 of 561/2006 art. 6(1)"),
        ({"reduced_rests_used": 4}, "reduced_rests_used", "561/2006 art. 8(4)"),
        ({"driving_this_week_h": 57}, "driving_this_week_h", "561/2006 art. 6(2)"),
        (
            {"driving_this_week_h": 45, "driving_last_week_h": 50},
            "driving_this_week_h",
            "driving_this_week_h + driving_last_week_h is 95 h: over the 90 h",
        ),
        ({"work_since_break_min": 370}, "work_since_break_min", "2002/15/EC art. 5"),
        (
            {"driving_since_break_min": 100, "driving_today_min": 60},
            "driving_since_break_min",
            "more than driving_today_min (1 h)",
        ),
        (
            {"driving_today_min": 120, "work_today_min": 60},
            "driving_today_min",
            "more than work_today_min (1 h)",
        ),
        (
            {
                "last_daily_rest_end": "2026-05-03T20:00:00Z",
                "weekly_period_start": "2026-05-03T21:00:00Z",
            },
            "weekly_period_start",
            "is after last_daily_rest_end",
        ),
    ],
)
def test_a_state_that_is_already_an_infringement_is_refused_naming_its_field(
    state: dict[str, Any], field: str, words: str
) -> None:
    problem = only_problem(driver_state=state)
    assert problem["loc"] == ("body", "driver_state", field)
    assert words in problem["msg"]
    renamed = [f.domain for f in STATE_FIELDS if f.domain != f.wire]
    assert not [name for name in renamed if re.search(rf"\b{name}\b", problem["msg"])]


def test_the_state_is_checked_against_the_stricter_rules_asked() -> None:
    problem = only_problem(
        driver_rules={"break_after_driving_min": 180},
        driver_state={"driving_since_break_min": 200},
    )
    assert problem["loc"] == ("body", "driver_state", "driving_since_break_min")
    assert "over the 3 h of 561/2006 art. 7" in problem["msg"]


def test_working_time_off_accepts_work_the_directive_would_refuse() -> None:
    state = {"work_since_break_min": 400}
    assert only_problem(driver_state=state)["loc"][-1] == "work_since_break_min"
    _, errors = translated(driver_rules={"working_time": False}, driver_state=state)
    assert errors == []


def test_bad_rules_and_a_bad_state_are_both_reported() -> None:
    _, errors = translated(driver_rules={"break_min": 10}, driver_state={"driving_today_min": 700})
    assert [e["loc"] for e in errors] == [
        ("body", "driver_rules", "break_min"),
        ("body", "driver_state", "driving_today_min"),
    ]


@pytest.mark.parametrize(
    ("extension", "loc"),
    [
        ({"driver_state": {"driving_today_min": -5}}, ("driver_state", "driving_today_min")),
        ({"driver_state": {"driving_this_week_h": 200}}, ("driver_state", "driving_this_week_h")),
        ({"driver_state": {"reduced_rests_used": 1.5}}, ("driver_state", "reduced_rests_used")),
        (
            {"driver_state": {"last_daily_rest_end": "2026-05-04T06:00:00"}},
            ("driver_state", "last_daily_rest_end"),
        ),
        (
            {"driver_state": {"last_daily_rest_end": "yesterday"}},
            ("driver_state", "last_daily_rest_end"),
        ),
        ({"driver_state": {"driving_today_s": 60}}, ("driver_state", "driving_today_s")),
        (
            {"driver_rules": {"break_after_driving_s": 3600}},
            ("driver_rules", "break_after_driving_s"),
        ),
        ({"driver_rules": {"break_min": "long"}}, ("driver_rules", "break_min")),
        ({"driver_rules": {"team_driving": "maybe"}}, ("driver_rules", "team_driving")),
        ({"driver_rules": []}, ("driver_rules",)),
    ],
)
def test_a_malformed_extension_is_a_validation_error_at_its_field(
    extension: dict[str, Any], loc: tuple[str, ...]
) -> None:
    with pytest.raises(ValidationError) as raised:
        PlannerRequest.model_validate(demo_tour() | extension)
    assert [tuple(e["loc"]) for e in raised.value.errors()] == [loc]


def test_a_section_flag_that_is_no_boolean_is_refused() -> None:
    body = demo_tour()
    body["section_list"][0]["driver_free_during_service"] = "sometimes"
    with pytest.raises(ValidationError) as raised:
        PlannerRequest.model_validate(body)
    assert [tuple(e["loc"]) for e in raised.value.errors()] == [
        ("section_list", 0, "driver_free_during_service")
    ]


# --- The state at the tour's start -------------------------------------------------------------


def state(**values: Any) -> DriverStartState:
    return DriverStartState(**values)


def test_a_rest_that_ended_too_long_before_the_start_is_refused() -> None:
    problems = state_problems_at(state(last_daily_rest_end=START - timedelta(hours=25)), LAW, START)
    assert problems == [
        (
            ("driver_state", "last_daily_rest_end"),
            "last_daily_rest_end is 25 h before the timeline's start: over the 24 h of "
            "561/2006 art. 8(2) already",
        )
    ]


def test_team_driving_allows_thirty_hours_since_the_last_rest() -> None:
    team = RuleOptions(team_driving=True)
    rest_end = START - timedelta(hours=25)
    assert state_problems_at(state(last_daily_rest_end=rest_end), team, START) == []


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"last_daily_rest_end": START + timedelta(minutes=1)}, "last_daily_rest_end"),
        ({"weekly_period_start": START - timedelta(days=6, hours=1)}, "weekly_period_start"),
    ],
)
def test_instants_after_the_start_or_past_their_window_are_refused(
    values: dict[str, Any], field: str
) -> None:
    [(loc, message)] = state_problems_at(state(**values), LAW, START)
    assert loc == ("driver_state", field)
    assert message.startswith(field)


def test_a_state_within_its_windows_passes() -> None:
    fine = state(
        last_daily_rest_end=START - timedelta(hours=2),
        weekly_period_start=START - timedelta(days=3),
    )
    assert state_problems_at(fine, LAW, START) == []
