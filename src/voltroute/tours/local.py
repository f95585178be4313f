"""Planning a tour in this process on a local region, as a worker would, without a server."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from voltroute.api.schemas import PlannerRequest
from voltroute.api.translate_request import MalformedTimeError, to_tour_request
from voltroute.api.translate_result import result_body
from voltroute.planning.pipeline import PlanningServices, TourInputError, plan_request
from voltroute.planning.tour_admission import admit_tour
from voltroute.planning.vehicle_directory import VehicleDirectory
from voltroute.regions import ServedRegions
from voltroute.routing import RoutingError
from voltroute.routing.embedded import EmbeddedValhallaRouter
from voltroute.stations import StationCatalogue, StationRegistry
from voltroute.tours.tour_file import TourFileError, validation_lines
from voltroute.vehicles import Catalogue, UnknownVehicleError

LOCAL_ID = 0
"""optimization_id and tour_id of a plan made in-process: nothing stores it."""


def plan_locally(
    request_body: PlannerRequest,
    region_dir: Path | Sequence[Path],
    corridor_m: int,
    min_charge_duration_min: int = 0,
    now: datetime | None = None,
    accept_unknown_station_data: bool = False,
) -> dict[str, Any]:
    """The result body (GET .../result's shape) of the tour planned on the region in region_dir.

    region_dir may be a directory of regions, or several: the tour is planned on the first
    region holding all its stops, as a server does. The same checks as `POST /planner/v2` come
    first; any problem raises TourFileError.
    """
    try:
        request, problems = to_tour_request(request_body, corridor_m, min_charge_duration_min, now)
    except MalformedTimeError as error:
        raise TourFileError(str(error)) from None
    now = now or datetime.now(UTC)
    regions = ServedRegions.load([region_dir] if isinstance(region_dir, Path) else region_dir)
    vehicles = VehicleDirectory(Catalogue())
    try:
        admission = admit_tour(request, vehicles, regions, now)
    except UnknownVehicleError as error:
        raise TourFileError(str(error)) from None
    for loc, message in admission.problems:
        problems.add(loc, message)
    if problems.errors or admission.region is None:
        raise TourFileError(validation_lines(problems.errors))
    region = admission.region
    request = replace(
        request,
        region_name=region.name,
        accept_unknown_station_data=accept_unknown_station_data,
    )
    services = PlanningServices(
        router=EmbeddedValhallaRouter(region.valhalla_config_path()),
        catalogue=vehicles.catalogue,
        vehicles=vehicles,
        stations=StationCatalogue.load(StationRegistry.in_region(region.path)),
    )
    try:
        plan = plan_request(request, services, now)
    except (RoutingError, TourInputError) as error:
        raise TourFileError(str(error)) from None
    status = "succeeded" if plan.drivable else "not_drivable"
    return result_body(plan, request, LOCAL_ID, LOCAL_ID, status)
