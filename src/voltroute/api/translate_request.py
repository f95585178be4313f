"""Contract request body -> domain TourRequest, with the semantic checks the schema cannot make."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

from voltroute import bounds
from voltroute.api.schemas import PlannerRequest, SectionRequest
from voltroute.domain import LatLon, StationPowerCurve
from voltroute.jobs.submit import TourSubmission
from voltroute.planning.driver_rules_request import DriverRulesError, driver_state, rule_options
from voltroute.planning.tour_request import (
    SectionSpec,
    StartTime,
    TourRequest,
    parse_clock,
    parse_start_time,
)
from voltroute.planning.tour_size import tour_size
from voltroute.tachograph import LAW, RESTED, DriverStartState, RuleOptions
from voltroute.timefmt import iso_utc

DEFAULT_BATTERY_LEVEL_END = 0.2
NON_DEFAULT_CORRIDOR_WARNING = (
    "A non-default corridor of {corridor} m is used to search charging stations (default 8000 m)."
)


class MalformedTimeError(ValueError):
    """A clock time or date-time in the request cannot be parsed (answered with 400)."""


@dataclass
class RequestProblems:
    """Semantic validation errors in the contract's 422 shape."""

    errors: list[dict[str, Any]] = field(default_factory=list)

    def add(self, loc: tuple[str | int, ...], msg: str, kind: str = "value_error") -> None:
        self.errors.append({"loc": ("body", *loc), "msg": msg, "type": kind, "input": None})


def to_tour_request(
    body: PlannerRequest,
    corridor_m: int,
    min_charge_duration_min: int,
    now: datetime | None = None,
) -> tuple[TourRequest, RequestProblems]:
    """Translate the body; malformed times raise MalformedTimeError, other problems are listed.

    now (default: the clock) places the planning horizon of start_time_tour.
    """
    problems = RequestProblems()
    if not body.section_list:
        problems.add(("section_list",), "section_list needs at least one section", "too_short")
    sections = tuple(
        _section(index, section, problems) for index, section in enumerate(body.section_list)
    )
    start_time: StartTime | None = None
    if body.start_time_tour is not None and body.start_time_tour.strip():
        try:
            start_time = parse_start_time(body.start_time_tour)
        except ValueError as error:
            raise MalformedTimeError(str(error)) from None
        _check_horizon(start_time, now or datetime.now(UTC), problems)
    request = TourRequest(
        vehicle_id=body.vehicle_id,
        battery_level_start=body.battery_level_start,
        battery_level_end=(
            body.battery_level_end
            if body.battery_level_end is not None
            else DEFAULT_BATTERY_LEVEL_END
        ),
        sections=sections,
        service_time_departure_min=_non_negative(
            body.service_time_departure_min, ("service_time_departure_min",), problems
        ),
        start_time=start_time,
        corridor_m=corridor_m,
        min_charge_duration_min=min_charge_duration_min,
        include_available_charging_stations=body.include_available_charging_stations,
        poi_info=body.poi_info.model_dump(mode="json", exclude_none=True),
        driver_free_during_service=(
            body.driver_rules.driver_free_during_service if body.driver_rules else False
        ),
    )
    request = _with_driver_rules(request, body, problems)
    _check_duration(request, problems)
    return request, problems


def to_tour_submission(
    body: PlannerRequest, corridor_m: int, min_charge_duration_min: int
) -> tuple[TourSubmission, RequestProblems]:
    """The body as received and as translated (`to_tour_request`), for the job service; with
    the problems translating found (the submission says whether there are any)."""
    raw_body = body.model_dump(mode="json")
    params = {"corridor": corridor_m, "min_charge_duration_min": min_charge_duration_min}
    try:
        request, problems = to_tour_request(body, corridor_m, min_charge_duration_min)
    except MalformedTimeError as error:
        return TourSubmission(raw_body, params, None, malformed=str(error)), RequestProblems()
    return TourSubmission(raw_body, params, request, body_valid=not problems.errors), problems


def _check_horizon(start: StartTime, now: datetime, problems: RequestProblems) -> None:
    """A dated start_time_tour lies between EARLIEST_START and the planning horizon."""
    moment = start.instant or start.local
    if moment is None:
        return  # a clock time: its next occurrence
    # A local date-time is compared as if it were UTC: hours do not matter at these scales.
    instant = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
    latest = bounds.latest_start(now)
    if instant > latest:
        problems.add(
            ("start_time_tour",),
            f"start_time_tour {start.text} is beyond the planning horizon: at most "
            f"{bounds.PLANNING_HORIZON_DAYS} days ahead ({iso_utc(latest)})",
            "less_than_equal",
        )
    elif instant < bounds.EARLIEST_START:
        problems.add(
            ("start_time_tour",),
            f"start_time_tour {start.text} is before {iso_utc(bounds.EARLIEST_START)}, the "
            "earliest start planned",
            "greater_than_equal",
        )


def _check_duration(request: TourRequest, problems: RequestProblems) -> None:
    """The stops plus the least driving the straight-line distances need fit MAX_TOUR_DURATION."""
    size = tour_size(request)
    if size.duration_min > bounds.MAX_TOUR_DURATION_MIN:
        problems.add(
            ("section_list",),
            f"the tour takes at least {size.duration_min:.0f} min ({size.stops_min:.0f} min of "
            f"stops, {size.driving_min:.0f} min of driving at {bounds.MAX_SPEED_KPH:g} km/h in "
            f"straight lines); at most {bounds.MAX_TOUR_DURATION_MIN:g} min (14 days) are planned",
            "less_than_equal",
        )


def _with_driver_rules(
    request: TourRequest, body: PlannerRequest, problems: RequestProblems
) -> TourRequest:
    """The request with the body's driver rules and driver state (extensions), each checked
    as the tachograph checks it; a refused one is a problem naming its field (the law's rules,
    a rested driver stand in for it)."""
    options: RuleOptions = LAW
    if body.driver_rules is not None:
        try:
            options = rule_options(body.driver_rules.model_dump())
        except DriverRulesError as error:
            problems.add(error.loc, error.message)
    state: DriverStartState = RESTED
    if body.driver_state is not None:
        try:
            state = driver_state(body.driver_state.model_dump(), options)
        except DriverRulesError as error:
            problems.add(error.loc, error.message)
    return replace(request, rule_options=options, driver_state=state)


def submit_warnings(request: TourRequest) -> list[str]:
    """Warnings returned with the 202 (the contract asks for one on a non-default corridor)."""
    warnings = []
    if request.corridor_m != 8000:
        warnings.append(NON_DEFAULT_CORRIDOR_WARNING.format(corridor=request.corridor_m))
    return warnings


def _section(index: int, section: SectionRequest, problems: RequestProblems) -> SectionSpec:
    loc: tuple[str | int, ...] = ("section_list", index)
    start = _position(section.start_pos, (*loc, "start_pos"), problems)
    stop = _position(section.stop_pos, (*loc, "stop_pos"), problems)
    polyline = section.polyline.strip() if section.polyline else None
    if polyline is None and stop is None:
        problems.add(
            loc,
            "a section needs stop_pos (and start_pos, or the previous section's "
            "stop) or a polyline",
            "missing",
        )
    if polyline is None and start is None and index == 0:
        problems.add(
            (*loc, "start_pos"), "the first section needs start_pos or a polyline", "missing"
        )
    opening_time: tuple[str, ...] | None = None
    if section.opening_time:
        if len(section.opening_time) != 2:
            problems.add(
                (*loc, "opening_time"), "opening_time needs exactly [from, to]", "value_error"
            )
        else:
            for text in section.opening_time:
                try:
                    parse_clock(text)
                except ValueError as error:
                    raise MalformedTimeError(
                        f"section_list[{index}].opening_time: {error}"
                    ) from None
            opening_time = tuple(section.opening_time)
    payload_kg = section.payload_kg if section.payload_kg is not None else 19300.0
    if payload_kg < 0:
        problems.add((*loc, "payload_kg"), "payload_kg must not be negative", "greater_than_equal")
    power_kw = _non_negative(section.power_available_kW, (*loc, "power_available_kW"), problems)
    return SectionSpec(
        section_id=section.section_id,
        start=start,
        stop=stop,
        polyline=polyline,
        payload_kg=float(max(0.0, payload_kg)),
        service_time_min=_non_negative(
            section.service_time_min, (*loc, "service_time_min"), problems
        ),
        power_available_kw=power_kw,
        opening_time=opening_time,
        driver_free_during_service=section.driver_free_during_service,
        power_curve=_power_curve(section.power_curve, power_kw, (*loc, "power_curve"), problems),
    )


def _power_curve(
    points: list[tuple[float, float]] | None,
    power_kw: float,
    loc: tuple[str | int, ...],
    problems: RequestProblems,
) -> StationPowerCurve | None:
    """A stop's curve (its points are checked by the schema) under its power_available_kW: it
    can only lower that power, so a point above it is a mistake, and so is a curve without it."""
    if points is None:
        return None
    if power_kw <= 0.0:
        problems.add(
            loc,
            "power_curve limits the charger of power_available_kW, which this section does "
            "not give (0 kW: no charging at the stop)",
        )
        return None
    for index, (_, max_kw) in enumerate(points):
        if max_kw > power_kw:
            problems.add(
                loc,
                f"point {index}: {max_kw:g} kW is above the section's power_available_kW "
                f"({power_kw:g} kW): a curve only lowers the charger's power",
            )
            return None
    return StationPowerCurve(tuple(points))


def _position(
    values: list[float] | None, loc: tuple[str | int, ...], problems: RequestProblems
) -> LatLon | None:
    if values is None:
        return None
    lat, lon = values[0], values[1]
    if not -90.0 <= lat <= 90.0:
        problems.add(
            loc, f"latitude {lat} is outside -90..90 (positions are [lat, lon])", "value_error"
        )
        return None
    return LatLon(lat, lon)


def _non_negative(
    value: float | None, loc: tuple[str | int, ...], problems: RequestProblems
) -> float:
    if value is None:
        return 0.0
    if value < 0:
        problems.add(loc, f"{loc[-1]} must not be negative", "greater_than_equal")
        return 0.0
    return float(value)
