"""Request body of `POST /planner` and `POST /planner/v2`, as the contract publishes it.

The schema is the contract's; the physical bounds of `voltroute.bounds` are added as validators
(`voltroute.api.schemas.door`), which leave the published schema unchanged. NaN and Infinity
never get this far: the request parser refuses them (`voltroute.strict_json`), and
`allow_inf_nan=False` refuses their spelling as strings ("NaN", "inf").
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import AfterValidator, AwareDatetime, BaseModel, ConfigDict, Field
from pydantic.config import JsonDict

from voltroute import bounds
from voltroute.api.openapi import EXTENSION
from voltroute.api.schemas.door import (
    at_most_items,
    at_most_points,
    plain_text,
    published,
    within,
)
from voltroute.api.schemas.poi import POIInfo
from voltroute.domain import StationPowerCurve

# The contract bounds every coordinate by -180..180 (latitude too) and asks for at least two
# values; reproduced as published (latitude beyond 90 is refused by the request translation).
Coordinate = Annotated[float, Field(ge=-180.0, le=180.0)]
Position = Annotated[
    list[Coordinate],
    Field(min_length=2),
    at_most_items(bounds.MAX_POSITION_VALUES, "[lat, lon] and an optional third value"),
]
Identifier = Annotated[str, plain_text(bounds.MAX_ID_CHARS)]
ClockText = Annotated[str, plain_text(bounds.MAX_CLOCK_TEXT_CHARS)]
Polyline = Annotated[
    str,
    plain_text(bounds.MAX_POLYLINE_CHARS),
    at_most_points(bounds.MAX_POLYLINE_POINTS, "about 400 km of road: split longer legs"),
]
PayloadKg = Annotated[float, within(bounds.PAYLOAD_KG)]
ChargingPowerKw = Annotated[float, within(bounds.CHARGING_POWER_KW)]
StopDurationMin = Annotated[float, within(bounds.STOP_DURATION_MIN)]
OpeningTimes = Annotated[list[ClockText], at_most_items(2, "an opening time is [from, to]")]
DriverMinutes = Annotated[float, published(bounds.DRIVER_TIME_MIN)]
DriverWeekHours = Annotated[float, published(bounds.DRIVER_WEEK_H)]
DriverDayCount = Annotated[int, published(bounds.DRIVER_DAY_COUNT)]


def _power_curve(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    StationPowerCurve(tuple(points))  # its ValueError names the point and the rule
    return points


PowerCurvePoints = Annotated[
    list[tuple[float, float]],
    at_most_items(bounds.MAX_POWER_CURVE_POINTS, "breakpoints of a power curve"),
    AfterValidator(_power_curve),
]

PLANNER_REQUEST_EXAMPLE: JsonDict = {
    "battery_level_end": 0.2,
    "battery_level_start": 0.8,
    "poi_info": {
        "connector_pos": "RIGHT",
        "connector_type": ["CCS"],
        "min_kW": 150,
        "truck_approved": "T",
    },
    "section_list": [
        {
            "payload_kg": 19300,
            "section_id": "section_0",
            "service_time_min": 30,
            "start_pos": [48.7758, 9.1829],
            "stop_pos": [49.4521, 11.0767],
        }
    ],
    "start_time_tour": "08:00:00",
    "vehicle_id": "010160700001",
}


class SectionRequest(BaseModel):
    """Fields for each section in the *request*."""

    model_config = ConfigDict(allow_inf_nan=False)

    section_id: Identifier | None = Field(None, description="A unique identifier for the section.")
    polyline: Polyline | None = Field(
        None,
        description=(
            "Encoded polyline string representing the route section. Uses HERE Flexible "
            "Polyline encoding (see https://github.com/heremaps/flexible-polyline)."
        ),
    )
    start_pos: Position | None = Field(
        None, description="Starting coordinates for the section [latitude, longitude]."
    )
    stop_pos: Position | None = Field(
        None, description="Ending coordinates for the section [latitude, longitude]."
    )
    payload_kg: PayloadKg | None = Field(19300, description="The payload in kg for this section.")
    opening_time: OpeningTimes | None = Field(
        None,
        description=(
            "Opening times of the section end, e.g. ['9:00:00', '10:00:00'] in hh:mm:ss format."
        ),
    )
    power_available_kW: ChargingPowerKw | None = Field(  # noqa: N815
        0, description="The available charging power (in kW) at the end of the section."
    )
    service_time_min: StopDurationMin | None = Field(
        0, description="The service time (in minutes) at the end of the section."
    )
    driver_free_during_service: bool | None = Field(
        None,
        description=(
            "Extension. Whether the driver is free of work during the service at the end of "
            "this section (drop trailer, loading by the customer's staff): only then can the "
            "service time count as a break or rest (EU 561/2006 art. 4(d), (f)). null: "
            "`driver_rules.driver_free_during_service` (default false: service is work)."
        ),
        json_schema_extra=EXTENSION,
    )
    power_curve: PowerCurvePoints | None = Field(
        None,
        description=(
            "Extension. The limit of the charger at the end of this section over the "
            "vehicle's state of charge, [[soc, kW], ...] (soc 0..1 strictly increasing, "
            f"1..{bounds.POWER_CURVE_KW.max_value:g} kW and no more than `power_available_kW`, "
            f"at most {bounds.MAX_POWER_CURVE_POINTS} points): linear between points, flat "
            "beyond the "
            "first and last. Charging during the stop follows the least of it, "
            "`power_available_kW` and the vehicle's curve. null: `power_available_kW` alone."
        ),
        json_schema_extra=EXTENSION,
    )


def _limit(description: str) -> Any:
    """An optional stricter limit of `driver_rules` (null: the law's value)."""
    return Field(None, description=description)


class DriverRulesRequest(BaseModel):
    """Extension: the driver rules the plan keeps (EU Regulation 561/2006 and Directive
    2002/15/EC). Every field is optional; the defaults are the law's, for a single employed
    driver. A limit may be made stricter than the law, never laxer: a value outside its range
    (given per field) is refused with a 422 naming the field."""

    model_config = ConfigDict(allow_inf_nan=False, extra="forbid")

    driver_free_during_service: bool = Field(
        False,
        description=(
            "Whether the driver is free of work during the service at customer stops (drop "
            "trailer, loading by the customer's staff), for every section that does not say "
            "(`section_list[].driver_free_during_service`). false (default, lawful): service, "
            "like plugging in and out, is other work and can host no break or rest."
        ),
    )
    working_time: bool = Field(
        True,
        description=(
            "Apply Directive 2002/15/EC art. 5: at most 6 h of work (driving and other work) "
            "without a break; 30 min of breaks when the day's work is 6-9 h, 45 min over 9 h. "
            "false only for self-employed drivers, whom the directive does not cover."
        ),
    )
    team_driving: bool = Field(
        False,
        description=(
            "Two drivers (561/2006 art. 8(5)): breaks are taken beside the driver in the moving "
            "truck, each driver drives a day's limit, and a daily rest of 9 h is due within "
            "30 h. The result's `activity_timeline` has one timeline per driver."
        ),
    )
    break_after_driving_min: float | None = _limit(
        "Driving before a break is due, art. 7: 60..270, law 270 (4.5 h)."
    )
    break_min: float | None = _limit("A break, art. 7: 45..120, law 45.")
    split_break_first_min: float | None = _limit(
        "First part of a split break, art. 7: 15..60, law 15."
    )
    split_break_second_min: float | None = _limit(
        "Second part of a split break, art. 7: 30..120, law 30."
    )
    daily_driving_h: float | None = _limit("Daily driving, art. 6(1): 1..9, law 9.")
    extended_daily_driving_h: float | None = _limit(
        "Daily driving on an extended day, art. 6(1): daily_driving_h..10, law 10."
    )
    extended_days_per_week: int | None = _limit(
        "Extended days per fixed week, art. 6(1): 0..2, law 2."
    )
    weekly_driving_h: float | None = _limit("Driving per fixed week, art. 6(2): 1..56, law 56.")
    fortnight_driving_h: float | None = _limit(
        "Driving in two consecutive weeks, art. 6(3): 1..90, law 90."
    )
    daily_rest_h: float | None = _limit("Regular daily rest, art. 8(2): 11..24, law 11.")
    reduced_daily_rest_h: float | None = _limit(
        "Reduced daily rest, art. 8(2): 9..daily_rest_h, law 9."
    )
    reduced_rests_between_weekly: int | None = _limit(
        "Reduced daily rests between two weekly rests, art. 8(4): 0..3, law 3."
    )
    split_rest_first_h: float | None = _limit(
        "First part of a split daily rest, art. 4(g): 3..9, law 3."
    )
    split_rest_second_h: float | None = _limit(
        "Second part of a split daily rest, art. 4(g): 9..24, law 9."
    )
    rest_window_h: float | None = _limit(
        "A daily rest is completed within this of the end of the previous one, art. 8(2): "
        "12..24, law 24."
    )
    team_rest_window_h: float | None = _limit(
        "The same with team driving, art. 8(5): 12..30, law 30."
    )
    team_daily_rest_h: float | None = _limit(
        "Daily rest with team driving, art. 8(5): 9..24, law 9."
    )
    weekly_rest_h: float | None = _limit("Regular weekly rest, art. 8(6): 45..72, law 45.")
    reduced_weekly_rest_h: float | None = _limit(
        "Reduced weekly rest, art. 8(6): 24..weekly_rest_h, law 24 (not planned: every weekly "
        "rest planned is a regular one)."
    )
    weekly_rest_after_h: float | None = _limit(
        "A weekly rest starts at the latest this long after the end of the previous one, "
        "art. 8(6): 24..144, law 144 (six 24-hour periods)."
    )
    work_before_break_h: float | None = _limit(
        "Working time (driving and other work) before a break, 2002/15/EC art. 5: 1..6, law 6."
    )
    work_break_6_9_min: float | None = _limit(
        "Breaks of a working day of 6 to 9 h, 2002/15/EC art. 5: 30..120, law 30."
    )
    work_break_over_9_min: float | None = _limit(
        "Breaks of a working day over 9 h, 2002/15/EC art. 5: 45..120 and at least "
        "work_break_6_9_min, law 45."
    )
    work_break_part_min: float | None = _limit(
        "The shortest part that counts as a break, 2002/15/EC art. 5: 15..work_break_6_9_min, "
        "law 15."
    )


class DriverStateRequest(BaseModel):
    """Extension: the driver's state when the tour starts (`start_time_tour`), as the
    tachograph shows it. Every field is optional; the defaults are a fully rested driver at
    the start of a weekly period. A state that already breaks a rule (4.5 h driven without a
    break, a daily rest due before the start) is refused with a 422 naming the field."""

    model_config = ConfigDict(allow_inf_nan=False, extra="forbid")

    driving_since_break_min: DriverMinutes = Field(
        0, description="Driving since the last break of 45 min (or 15 + 30) or rest."
    )
    first_break_part_taken: bool = Field(
        False,
        description="A 15-minute first part of a split break was taken since that driving began.",
    )
    work_since_break_min: DriverMinutes | None = Field(
        None,
        description=(
            "Working time (driving and other work) since the last break of 15 min or more "
            "(2002/15/EC). Default: driving_since_break_min."
        ),
    )
    driving_today_min: DriverMinutes | None = Field(
        None,
        description=(
            "Driving since the end of the last daily or weekly rest. Default: "
            "driving_since_break_min."
        ),
    )
    work_today_min: DriverMinutes | None = Field(
        None,
        description=(
            "Working time since the end of the last daily or weekly rest, driving included "
            "(2002/15/EC). Default: the larger of driving_today_min and work_since_break_min."
        ),
    )
    work_breaks_today_min: DriverMinutes = Field(
        0,
        description="Breaks of 15 min or more since the end of the last daily or weekly rest.",
    )
    last_daily_rest_end: AwareDatetime | None = Field(
        None,
        description=(
            "When the last daily or weekly rest ended (ISO-8601 with offset). Default: the "
            "tour's start. At most 24 h (team: 30 h) before it."
        ),
    )
    reduced_rests_used: DriverDayCount = Field(
        0, description="Reduced daily rests (9 h) taken since the last weekly rest (at most 3)."
    )
    extended_days_used: DriverDayCount = Field(
        0,
        description=(
            "Days of more than 9 h driving in this fixed week (Monday 00:00 UTC on), today not "
            "counted (at most 2)."
        ),
    )
    driving_this_week_h: DriverWeekHours = Field(
        0, description="Driving in this fixed week before the tour (at most 56 h)."
    )
    driving_last_week_h: DriverWeekHours = Field(
        0,
        description="Driving in the previous fixed week (at most 56 h, and 90 h with this week).",
    )
    weekly_period_start: AwareDatetime | None = Field(
        None,
        description=(
            "When the last weekly rest ended (ISO-8601 with offset). Default: the tour's start. "
            "At most 144 h (six 24-hour periods) before it, and not after last_daily_rest_end."
        ),
    )


SectionList = Annotated[
    list[SectionRequest], at_most_items(bounds.MAX_SECTIONS_PER_TOUR, "sections per tour")
]


class PlannerRequest(BaseModel):
    """Top-level request body schema for the planner."""

    model_config = ConfigDict(
        json_schema_extra={"example": PLANNER_REQUEST_EXAMPLE}, allow_inf_nan=False
    )

    vehicle_id: Identifier = Field(..., description="The unique identifier of the vehicle.")
    battery_level_start: float = Field(
        ...,
        ge=0.1,
        le=1.0,
        description="The starting battery level of the vehicle (from 0.1 to 1.0).",
    )
    battery_level_end: Annotated[float, Field(ge=0.1, le=0.8)] | None = Field(
        0.2, description="The desired battery level at the end of the tour (from 0.1 to 0.8)."
    )
    section_list: SectionList = Field(..., description="A list of route sections to be processed.")
    poi_info: POIInfo = Field(
        ..., description="Filter criteria for charging stations along the route."
    )
    service_time_departure_min: StopDurationMin | None = Field(
        0, description="Service time at departure in minutes. Added to total tour duration."
    )
    start_time_tour: ClockText | None = Field(
        None, description="Start time of the tour in HH:MM:SS or ISO-8601 format."
    )
    include_available_charging_stations: bool = Field(
        False,
        description="When true, the response includes all charging stations along the corridor.",
    )
    driver_rules: DriverRulesRequest | None = Field(
        None,
        description=(
            "Extension: the driver rules to keep (EU 561/2006, 2002/15/EC); null: the law's, "
            "for one employed driver, service at customer stops counted as work."
        ),
        json_schema_extra=EXTENSION,
    )
    driver_state: DriverStateRequest | None = Field(
        None,
        description=(
            "Extension: the driver's state at the tour's start (driving and work since the last "
            "break and rest, this week's and last week's driving, reduced rests and extended "
            "days used); null: fully rested at the start of a weekly period."
        ),
        json_schema_extra=EXTENSION,
    )
