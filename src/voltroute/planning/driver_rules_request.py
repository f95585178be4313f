"""The driver rules and the driver's state a request asks for: their names on the wire, and
their values as `voltroute.tachograph` holds them.

On the wire a duration carries its unit in its name, as the contract's fields do (`_min`,
`_h`); the tachograph's `RuleOptions` and `DriverStartState` hold seconds and check every
value (range, a state that is already an infringement) with a ValueError naming their own
field. Here those values are built from the wire's, and each such error is said again with the
wire's field names, as a problem located in the request body.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from voltroute.planning.submission_checks import Location, Problem
from voltroute.tachograph import LAW, RESTED, DriverStartState, RuleOptions

MIN = 60.0
H = 3600.0

DRIVER_RULES = "driver_rules"
DRIVER_STATE = "driver_state"


@dataclass(frozen=True, slots=True)
class WireField:
    """A field on the wire and the tachograph field it gives (unit_s: seconds per wire unit;
    None: a flag, count or instant, taken as it is)."""

    wire: str
    domain: str
    unit_s: float | None = None

    def to_domain(self, value: Any) -> Any:
        return value * self.unit_s if self.unit_s is not None else value

    def to_wire(self, value: Any) -> Any:
        return round(value / self.unit_s, 4) if self.unit_s is not None else value


RULE_FIELDS: tuple[WireField, ...] = (
    WireField("team_driving", "team_driving"),
    WireField("working_time", "working_time"),
    WireField("break_after_driving_min", "break_after_driving_s", MIN),
    WireField("break_min", "break_s", MIN),
    WireField("split_break_first_min", "split_first_s", MIN),
    WireField("split_break_second_min", "split_second_s", MIN),
    WireField("daily_driving_h", "daily_driving_s", H),
    WireField("extended_daily_driving_h", "extended_daily_driving_s", H),
    WireField("extended_days_per_week", "extended_days_per_week"),
    WireField("weekly_driving_h", "weekly_driving_s", H),
    WireField("fortnight_driving_h", "fortnight_driving_s", H),
    WireField("daily_rest_h", "daily_rest_s", H),
    WireField("reduced_daily_rest_h", "reduced_daily_rest_s", H),
    WireField("reduced_rests_between_weekly", "reduced_rests_between_weekly"),
    WireField("split_rest_first_h", "split_rest_first_s", H),
    WireField("split_rest_second_h", "split_rest_second_s", H),
    WireField("rest_window_h", "rest_window_s", H),
    WireField("team_rest_window_h", "team_rest_window_s", H),
    WireField("team_daily_rest_h", "team_daily_rest_s", H),
    WireField("weekly_rest_h", "weekly_rest_s", H),
    WireField("reduced_weekly_rest_h", "reduced_weekly_rest_s", H),
    WireField("weekly_rest_after_h", "weekly_rest_after_s", H),
    WireField("work_before_break_h", "work_before_break_s", H),
    WireField("work_break_6_9_min", "work_break_6_9_s", MIN),
    WireField("work_break_over_9_min", "work_break_over_9_s", MIN),
    WireField("work_break_part_min", "work_break_part_s", MIN),
)
"""`driver_rules` (besides `driver_free_during_service`): every field of RuleOptions."""

STATE_FIELDS: tuple[WireField, ...] = (
    WireField("driving_since_break_min", "driving_since_break_s", MIN),
    WireField("first_break_part_taken", "first_break_part_taken"),
    WireField("work_since_break_min", "work_since_break_s", MIN),
    WireField("driving_today_min", "driving_today_s", MIN),
    WireField("work_today_min", "work_today_s", MIN),
    WireField("work_breaks_today_min", "work_breaks_today_s", MIN),
    WireField("last_daily_rest_end", "last_daily_rest_end"),
    WireField("reduced_rests_used", "reduced_rests_used"),
    WireField("extended_days_used", "extended_days_used"),
    WireField("driving_this_week_h", "driving_this_week_s", H),
    WireField("driving_last_week_h", "driving_last_week_s", H),
    WireField("weekly_period_start", "weekly_period_start"),
)
"""`driver_state`: every field of DriverStartState."""


class DriverRulesError(ValueError):
    """A value the rules or the state refuse: where in the body, and why (wire names)."""

    def __init__(self, loc: Location, message: str) -> None:
        super().__init__(message)
        self.loc = loc
        self.message = message

    @property
    def problem(self) -> Problem:
        return self.loc, self.message


def rule_options(values: Mapping[str, Any]) -> RuleOptions:
    """RuleOptions from `driver_rules` values by wire name (None or absent: the law's value).

    Raises DriverRulesError naming the wire field of a value out of its range."""
    given = {
        f.domain: f.to_domain(values[f.wire]) for f in RULE_FIELDS if values.get(f.wire) is not None
    }
    try:
        return RuleOptions(**given) if given else LAW
    except ValueError as error:
        raise _said_on_the_wire(DRIVER_RULES, RULE_FIELDS, str(error)) from None


def driver_state(values: Mapping[str, Any], options: RuleOptions) -> DriverStartState:
    """DriverStartState from `driver_state` values by wire name, checked against the rules
    (`DriverStartState.validate` without the tour's start: see `state_problems_at`).

    A daily rest is also a break and the day's working time includes its driving, so when the
    state does not give them, `driving_today_min` and `work_since_break_min` are
    `driving_since_break_min`, and `work_today_min` the larger of `driving_today_min` and
    `work_since_break_min`. Raises DriverRulesError naming the field.
    """
    given = {
        f.domain: f.to_domain(values[f.wire])
        for f in STATE_FIELDS
        if values.get(f.wire) is not None
    }
    if not given:
        return RESTED
    # A daily rest is also a break, and driving is working time.
    given.setdefault("driving_today_s", given.get("driving_since_break_s", 0.0))
    given.setdefault("work_since_break_s", given.get("driving_since_break_s", 0.0))
    given.setdefault("work_today_s", max(given["driving_today_s"], given["work_since_break_s"]))
    try:
        state = DriverStartState(**given)
        state.validate(options)
    except ValueError as error:
        raise _said_on_the_wire(DRIVER_STATE, STATE_FIELDS, str(error)) from None
    return state


def state_problems_at(
    state: DriverStartState, options: RuleOptions, tour_start: datetime
) -> list[Problem]:
    """The state checked at the tour's start (the end of the last daily rest, the start of the
    weekly period: not after it, not too long before): [] or the one problem found."""
    try:
        state.validate(options, tour_start)
    except ValueError as error:
        return [_said_on_the_wire(DRIVER_STATE, STATE_FIELDS, str(error)).problem]
    return []


def rules_on_the_wire(options: RuleOptions) -> dict[str, Any]:
    """Every rule option by its wire name, in the wire's unit."""
    return {f.wire: f.to_wire(getattr(options, f.domain)) for f in RULE_FIELDS}


def _said_on_the_wire(where: str, table: tuple[WireField, ...], message: str) -> DriverRulesError:
    """The tachograph's message with its field names replaced by the wire's, located at the
    first field it names (or at the object when it names none)."""
    names = {f.domain: f.wire for f in table}
    pattern = re.compile(r"\b(" + "|".join(map(re.escape, names)) + r")\b")
    first = pattern.search(message)
    # "got 5 h (18000 s)": the seconds are the tachograph's unit, not the wire's.
    text = re.sub(
        r"(got [^()]*) \([-0-9.e+]+ s\)", r"\1", pattern.sub(lambda m: names[m[1]], message)
    )
    loc: Location = (where, names[first[1]]) if first else (where,)
    return DriverRulesError(loc, text)
