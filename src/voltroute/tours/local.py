"""Planning a tour in this process on a local region, as a worker would, without a server."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from voltroute.api.schemas import PlannerRequest
from voltroute.api.translate_request import MalformedTimeError, to_tour_request
from voltroute.api.translate_result import result_body
from voltroute.jobs.pipeline import PlanningServices, TourInputError, plan_request
from voltroute.jobs.submission import tour_problems
from voltroute.jobs.vehicle_directory import VehicleDirectory, payload_problems
from voltroute.regions import Region
from voltroute.routing import RoutingError
from voltroute.routing.embedded import EmbeddedValhallaRouter
from voltroute.stations import StationCatalogue, StationRegistry
from voltroute.tours.tour_file import TourFileError, validation_lines
from voltroute.vehicles import Catalogue, UnknownVehicleError

LOCAL_ID = 0
"""optimization_id and tour_id of a plan made in-process: nothing stores it."""


def plan_locally(
    request_body: PlannerRequest,
    region_dir: Path,
    corridor_m: int,
    min_charge_duration_min: int = 0,
    now: datetime | None = None,
) -> dict[str, Any]:
    """The result body (GET .../result's shape) of the tour planned on the region in region_dir.

    The same checks as `POST /planner/v2` come first; any problem raises TourFileError.
    """
    try:
        request, problems = to_tour_request(request_body, corridor_m, min_charge_duration_min, now)
    except MalformedTimeError as error:
        raise TourFileError(str(error)) from None
    region = Region.load(region_dir)
    vehicles = VehicleDirectory(Catalogue())
    try:
        vehicle = vehicles.get(request.vehicle_id)
    except UnknownVehicleError as error:
        raise TourFileError(str(error)) from None
    except ValueError as error:  # a malformed vehicle ID names the wrong part
        problems.add(("vehicle_id",), str(error))
    else:
        for loc, message in payload_problems(request.sections, vehicle):
            problems.add(loc, message)
    for loc, message in tour_problems(request, region):
        problems.add(loc, message)
    if problems.errors:
        raise TourFileError(validation_lines(problems.errors))
    services = PlanningServices(
        router=EmbeddedValhallaRouter(region.valhalla_config_path()),
        catalogue=vehicles.catalogue,
        vehicles=vehicles,
        stations=StationCatalogue.load(StationRegistry.in_region(region.path)),
    )
    try:
        plan = plan_request(request, services, now or datetime.now(UTC))
    except (RoutingError, TourInputError) as error:
        raise TourFileError(str(error)) from None
    status = "succeeded" if plan.drivable else "not_drivable"
    return result_body(plan, request, LOCAL_ID, LOCAL_ID, status)
