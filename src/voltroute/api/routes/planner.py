"""POST /planner/v2 (asynchronous) and the legacy synchronous POST /planner."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, status
from fastapi.exceptions import RequestValidationError

from voltroute.api.deps import BackendDep, PrincipalDep, QueueDep, rate_limited
from voltroute.api.openapi import AUTH_OPENAPI_EXTRA
from voltroute.api.schemas import PlannerRequest, PlannerResponse, PlannerV2SubmitResponse
from voltroute.api.translate_request import (
    MalformedTimeError,
    submit_warnings,
    to_tour_request,
)
from voltroute.api.translate_result import legacy_body, result_body
from voltroute.jobs.models import Job
from voltroute.jobs.results import plan_from_json
from voltroute.jobs.runner import JobRunner
from voltroute.jobs.services import Backend
from voltroute.jobs.submission import tour_problems
from voltroute.jobs.tenants import Principal
from voltroute.jobs.tour_request import TourRequest, tour_request_to_json
from voltroute.vehicles import UnknownVehicleError

router = APIRouter(tags=["planner"], dependencies=[Depends(rate_limited)])

CORRIDOR_DESCRIPTION = (
    "Search corridor width in meters around the route for finding charging stations."
)
MIN_CHARGE_DESCRIPTION = (
    "Minimum charging session duration in minutes. Charging stops shorter than this are removed "
    "from the optimizer's decision space, so planned sessions are either 0 or at least this "
    "long. Applies to pure charging time (excluding the connecting/parking overhead shown in "
    "service_time_min). 0 disables the floor (default)."
)


@router.post(
    "/planner",
    summary="Plan Tour",
    response_model=PlannerResponse,
    openapi_extra=AUTH_OPENAPI_EXTRA,
)
def plan_tour(
    body: PlannerRequest,
    principal: PrincipalDep,
    backend: BackendDep,
    corridor: Annotated[int, Query(ge=1000, le=20000)] = 8000,
) -> dict[str, Any]:
    """Plan a tour by performing routing, retrieving vehicle and POI data, running a simulation, computing toll totals, and returning an assembled PlannerResponse.

    Performs routing using either a provided flexpolyline or start/stop positions, augments route data with the planner request, fetches vehicle information, obtains POIs along the route (optionally via the eco-movement feature), invokes the simulation service, computes a toll summary from the route, and returns the final PlannerResponse.

    Returns:
        PlannerResponse: Response containing vehicle_id, battery_level_start, battery_level_end, sections, poi_list, optimal_departure_time, time_windows_reachable, toll_summary, and other planner metadata.

    Raises:
        HTTPException: If the request is invalid or if any downstream service call (routing, vehicle info, POI retrieval, or simulation) fails.
    """  # noqa: E501
    request, job = accept_tour(body, corridor, 0, principal, backend)
    runner = JobRunner(backend.store, backend.planning, f"api:{id(backend)}")
    runner.run(job.job_id)
    done = backend.store.get(job.job_id, principal.tenant_id)
    if done is None or done.result is None:
        error = done.error if done is not None else "the job vanished"
        if error and error.startswith("internal error"):
            raise HTTPException(status.HTTP_500_INTERNAL_SERVER_ERROR, detail=error)
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_ENTITY, detail=error)
    result = result_body(
        plan_from_json(done.result), request, done.optimization_id, done.tour_id, done.status
    )
    return legacy_body(result, done.vehicle_id)


@router.post(
    "/planner/v2",
    summary="Submit route optimization",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=PlannerV2SubmitResponse,
    openapi_extra=AUTH_OPENAPI_EXTRA,
)
def plan_tour_v2(
    body: PlannerRequest,
    principal: PrincipalDep,
    backend: BackendDep,
    queue: QueueDep,
    corridor: Annotated[int, Query(ge=1000, le=20000, description=CORRIDOR_DESCRIPTION)] = 8000,
    min_charge_duration_min: Annotated[
        int, Query(ge=0, le=100, description=MIN_CHARGE_DESCRIPTION)
    ] = 0,
) -> PlannerV2SubmitResponse:
    """Submit a route for optimization. The request is processed asynchronously and returns HTTP 202 with identifiers to track the job.

    Use the returned `job_id` to poll `GET /planner/jobs/{job_id}` for status. Once status is `succeeded`, retrieve the result via `GET /planner/optimizations/{optimization_id}/result`.
    """  # noqa: E501
    request, job = accept_tour(body, corridor, min_charge_duration_min, principal, backend)
    # Enqueue after the commit: if this process dies in between, the worker's orphan sweep
    # finds the queued row and enqueues it.
    queue.enqueue(job.job_id)
    warnings = submit_warnings(request)
    return PlannerV2SubmitResponse(
        message="202 - Job submitted.",
        optimization_id=job.optimization_id,
        job_id=job.job_id,
        tour_id=job.tour_id,
        warnings=warnings or None,
    )


def accept_tour(
    body: PlannerRequest,
    corridor: int,
    min_charge_duration_min: int,
    principal: Principal,
    backend: Backend,
) -> tuple[TourRequest, Job]:
    """Validate a tour beyond the schema and store it as a queued job."""
    try:
        request, problems = to_tour_request(body, corridor, min_charge_duration_min)
    except MalformedTimeError as error:
        raise HTTPException(status.HTTP_400_BAD_REQUEST, detail=str(error)) from None
    try:
        backend.catalogue.get(request.vehicle_id)
    except UnknownVehicleError as error:
        raise HTTPException(status.HTTP_404_NOT_FOUND, detail=str(error)) from None
    for loc, message in tour_problems(request, backend.region):
        problems.add(loc, message, "value_error")
    if problems.errors:
        raise RequestValidationError(problems.errors)
    job = backend.store.submit(
        tenant_id=principal.tenant_id,
        user_id=principal.user_id,
        vehicle_id=request.vehicle_id,
        raw_request=body.model_dump(mode="json"),
        problem=tour_request_to_json(request),
    )
    return request, job
