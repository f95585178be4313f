"""Whether a submitted tour can be planned: its vehicle, the payloads it carries, its region.

The checks a job-creating request gets before its job is stored, and `voltroute plan` before it
plans: bad input is answered at once instead of by a failed job.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from voltroute.planning.driver_rules_request import state_problems_at
from voltroute.planning.pipeline import earliest_departure
from voltroute.planning.region_choice import choose_region
from voltroute.planning.submission_checks import Problem, tour_positions
from voltroute.planning.tour_request import TourRequest
from voltroute.planning.vehicle_directory import VehicleDirectory, payload_problems
from voltroute.regions import Region, ServedRegions
from voltroute.vehicles.vehicle_id import MalformedVehicleIdError


@dataclass(frozen=True, slots=True)
class Admission:
    """The region that plans the tour, or (region None) the problems that leave none."""

    region: Region | None
    problems: list[Problem]  # (location in the request body, message), in the request's order


def admit_tour(
    request: TourRequest,
    vehicles: VehicleDirectory,
    regions: ServedRegions,
    now: datetime | None = None,
) -> Admission:
    """The vehicle's ID and the payloads it may carry, the served region holding every stop
    (`choose_region`), and the driver's state at the tour's start (now, default the clock,
    places a clock-time start as the plan will).

    The vehicle is resolved for request.tenant_id; UnknownVehicleError propagates (no vehicle
    has this ID), a malformed ID is a problem like the others.
    """
    problems: list[Problem] = []
    try:
        vehicle = vehicles.get(request.vehicle_id, request.tenant_id)
    except MalformedVehicleIdError as error:
        problems.append((("vehicle_id",), str(error)))
    else:
        problems += payload_problems(request.sections, vehicle)
    choice = choose_region(request, regions)
    problems += choice.problems
    problems += _driver_state_problems(request, now or datetime.now(UTC))
    return Admission(choice.region if not problems else None, problems)


def _driver_state_problems(request: TourRequest, now: datetime) -> list[Problem]:
    """The instants of the driver's state against the tour's earliest start (the state's
    counters were checked with the body)."""
    state = request.driver_state
    if state.last_daily_rest_end is None and state.weekly_period_start is None:
        return []
    positions, _ = tour_positions(request)
    first = (("section_list", 0, "start_pos"), ("section_list", 0, "polyline"))
    origin = next((p.position for p in positions if p.loc in first), None)
    if origin is None:
        return []  # no origin: a problem of its own
    start = earliest_departure(request.start_time, origin, now)
    return state_problems_at(state, request.rule_options, start)
