"""Whether a submitted tour can be planned: its vehicle, the payloads it carries, its region.

The checks a job-creating request gets before its job is stored, and `voltroute plan` before it
plans: bad input is answered at once instead of by a failed job.
"""

from __future__ import annotations

from dataclasses import dataclass

from voltroute.planning.region_choice import choose_region
from voltroute.planning.submission_checks import Problem
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
    request: TourRequest, vehicles: VehicleDirectory, regions: ServedRegions
) -> Admission:
    """The vehicle's ID and the payloads it may carry, then the served region holding every
    stop (`choose_region`).

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
    return Admission(choice.region if not problems else None, problems)
