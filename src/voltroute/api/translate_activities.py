"""The result's driver-rule extensions: what the driver does at each stop and over the tour, the
rules applied, and the roadside check of each driver's timeline.

The timeline is the planner's (`planner.activity_timeline`); the check is the independent one of
`voltroute.tachograph`, which knows nothing of the optimizer: its verdict is shown as it is.
Times are written by `timefmt` (UTC, and local at the stop: on the road, the stop driven to).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from voltroute.planner import Plan, PlannedStop
from voltroute.planner.activity_timeline import driver_timelines
from voltroute.planning.driver_rules_request import rules_on_the_wire
from voltroute.planning.tour_request import TourRequest
from voltroute.tachograph import Activity, ActivityKind, Timeline, check_timeline
from voltroute.timefmt import iso_local, iso_utc

START_PLACE = "Start"
ON_THE_ROAD = "on the road to {stop}"


def activity_entry(
    kind: ActivityKind, start: datetime, end: datetime, time_zone: str
) -> dict[str, Any]:
    """One interval as the result writes it (a stop's `activities`, a timeline's entries)."""
    return {
        "activity": kind.value,
        "start": iso_utc(start),
        "end": iso_utc(end),
        "start_local": iso_local(start, time_zone),
        "end_local": iso_local(end, time_zone),
        "duration_min": round((end - start).total_seconds() / 60.0, 2),
    }


def stop_activities(stop: PlannedStop) -> list[dict[str, Any]]:
    """The stop's time from arrival to departure, in order (empty in plans stored before)."""
    return [activity_entry(a.kind, a.start, a.end, stop.time_zone) for a in stop.activities]


def driver_rules_applied(request: TourRequest) -> dict[str, Any]:
    """The rules the plan keeps, as the request's `driver_rules` with every value filled in."""
    return {
        "driver_free_during_service": request.driver_free_during_service,
        **rules_on_the_wire(request.rule_options),
    }


def activity_timeline(plan: Plan) -> list[dict[str, Any]] | None:
    """Each driver's activities over the tour with their place; None for a tour that is not
    drivable, or a plan stored before stops had activities."""
    timelines = _timelines(plan)
    if timelines is None:
        return None
    places = _Places.of(plan)
    return [
        {"driver": number, "activities": [places.entry(a) for a in timeline.activities]}
        for number, timeline in enumerate(timelines, start=1)
    ]


def rule_check(plan: Plan, request: TourRequest) -> list[dict[str, Any]] | None:
    """The roadside check's infringements on each driver's timeline ([] when it finds none);
    None when there is no timeline to check (`activity_timeline`)."""
    timelines = _timelines(plan)
    if timelines is None:
        return None
    found: list[dict[str, Any]] = []
    for number, timeline in enumerate(timelines, start=1):
        if not timeline.activities:
            continue
        try:
            infringements = check_timeline(timeline, request.rule_options, request.driver_state)
        except ValueError as error:  # the state at the start, shifted by a later departure
            found.append(
                {
                    "driver": number,
                    "article": None,
                    "rule": "driver_state",
                    "at": iso_utc(timeline.start),
                    "detail": str(error),
                }
            )
            continue
        found += [
            {
                "driver": number,
                "article": i.article,
                "rule": i.rule,
                "at": iso_utc(i.at),
                "detail": i.detail,
            }
            for i in infringements
        ]
    return found


def _timelines(plan: Plan) -> tuple[Timeline, ...] | None:
    if not plan.drivable or not plan.sections:
        return None  # a tour that cannot be driven has no driver's day to show or check
    for section in plan.sections:
        stop = section.planned_stop
        if stop.departure > stop.arrival and not stop.activities:
            return None  # stored before stops had activities: the timeline would have gaps
    try:
        return driver_timelines(plan)
    except ValueError:
        return None


@dataclass(frozen=True, slots=True)
class _Span:
    """Where the truck is from start on: at a stop, on the road, at the start."""

    start: datetime
    section: int | None
    place: str
    time_zone: str
    on_road: bool = False


@dataclass(frozen=True, slots=True)
class _Places:
    spans: tuple[_Span, ...]

    @classmethod
    def of(cls, plan: Plan) -> _Places:
        first_zone = plan.sections[0].planned_stop.time_zone
        spans = [_Span(plan.tour_start, None, START_PLACE, first_zone)]
        departure = plan.departure
        for index, section in enumerate(plan.sections):
            stop = section.planned_stop
            road = ON_THE_ROAD.format(stop=stop.name)
            spans.append(_Span(departure, index, road, stop.time_zone, on_road=True))
            spans.append(_Span(stop.arrival, index, stop.name, stop.time_zone))
            departure = stop.departure
        return cls(tuple(spans))

    def entry(self, activity: Activity) -> dict[str, Any]:
        """The activity's entry with the place it happens at (at its middle: stitched and
        merged activities may overlap a boundary by a fraction of a second)."""
        middle = activity.start + (activity.end - activity.start) / 2
        span = self.spans[0]
        for candidate in self.spans:
            if candidate.start > middle:
                break
            span = candidate
        if activity.kind == ActivityKind.DRIVING and not span.on_road:
            span = self._road_of(span)
        return {
            **activity_entry(activity.kind, activity.start, activity.end, span.time_zone),
            "section": span.section,
            "place": span.place,
        }

    def _road_of(self, span: _Span) -> _Span:
        """Driving is on the road of its section even where rounding puts it at the stop."""
        return next((s for s in self.spans if s.section == span.section and s.on_road), span)
