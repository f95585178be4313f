"""POST /planner/v2 (asynchronous) and the legacy synchronous POST /planner."""

from __future__ import annotations

import dataclasses
from typing import Any

import structlog
from fastapi import APIRouter, Depends, HTTPException, status
from fastapi.exceptions import RequestValidationError

from voltroute.api.deps import BackendDep, PrincipalDep, QueueDep, rate_limited
from voltroute.api.openapi import AUTH_OPENAPI_EXTRA
from voltroute.api.schemas import PlannerRequest, PlannerResponse, PlannerV2SubmitResponse
from voltroute.api.schemas import operations as ops
from voltroute.api.schemas.params import (
    DEFAULT_CORRIDOR_M,
    DEFAULT_MIN_CHARGE_DURATION_MIN,
    Corridor,
    CorridorV2,
    MinChargeDurationMin,
)
from voltroute.api.strict_route import StrictJsonRoute
from voltroute.api.submit_extras import JobSubmission, SubmitExtras, SubmitExtrasDep
from voltroute.api.translate_request import (
    MalformedTimeError,
    submit_warnings,
    to_tour_request,
)
from voltroute.api.translate_result import legacy_body, result_body
from voltroute.composition import Backend
from voltroute.db.models import Job, JobStatus
from voltroute.jobs.results import plan_from_json
from voltroute.jobs.runner import JobRunner
from voltroute.planning.region_choice import choose_region
from voltroute.planning.tour_request import (
    TourRequest,
    tour_request_from_json,
    tour_request_to_json,
)
from voltroute.planning.vehicle_directory import payload_problems
from voltroute.tenancy.tenants import Principal
from voltroute.vehicles import UnknownVehicleError
from voltroute.vehicles.vehicle_id import MalformedVehicleIdError

log = structlog.get_logger(__name__)

router = APIRouter(
    tags=[ops.PLANNER_TAG], dependencies=[Depends(rate_limited)], route_class=StrictJsonRoute
)


@router.post(
    "/planner",
    summary=ops.PLAN_TOUR_SUMMARY,
    description=ops.PLAN_TOUR_DESCRIPTION,
    response_model=PlannerResponse,
    openapi_extra=AUTH_OPENAPI_EXTRA,
)
def plan_tour(
    body: PlannerRequest,
    principal: PrincipalDep,
    backend: BackendDep,
    extras: SubmitExtrasDep,
    corridor: Corridor = DEFAULT_CORRIDOR_M,
) -> dict[str, Any]:
    """Plan synchronously and answer with the plan (the legacy endpoint)."""
    request, job = accept_tour(body, corridor, 0, principal, backend, extras)
    runner = JobRunner(backend.store, backend.planning, f"api:{id(backend)}")
    runner.run(job.job_id)
    done = backend.store.get(job.job_id, principal.tenant_id)
    if done is not None and not JobStatus(done.status).final:
        # An idempotent retry while the first request still plans this job.
        raise HTTPException(
            status.HTTP_409_CONFLICT,
            detail="A request with this Idempotency-Key is still being planned; retry shortly.",
            headers={"Retry-After": "2"},
        )
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
    summary=ops.PLAN_TOUR_V2_SUMMARY,
    description=ops.PLAN_TOUR_V2_DESCRIPTION,
    status_code=status.HTTP_202_ACCEPTED,
    response_model=PlannerV2SubmitResponse,
    openapi_extra=AUTH_OPENAPI_EXTRA,
)
def plan_tour_v2(
    body: PlannerRequest,
    principal: PrincipalDep,
    backend: BackendDep,
    queue: QueueDep,
    extras: SubmitExtrasDep,
    corridor: CorridorV2 = DEFAULT_CORRIDOR_M,
    min_charge_duration_min: MinChargeDurationMin = DEFAULT_MIN_CHARGE_DURATION_MIN,
) -> PlannerV2SubmitResponse:
    """Accept a tour as a queued job and answer 202 at once."""
    request, job = accept_tour(body, corridor, min_charge_duration_min, principal, backend, extras)
    # Enqueue after the commit. If the queue is down or this process dies in between, the job is
    # still stored as queued, and the workers' orphan sweep enqueues it: the 202 holds.
    try:
        queue.enqueue(job.job_id)
    except Exception:
        log.warning("enqueue failed; the orphan sweep will pick the job up", job_id=job.job_id)
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
    extras: SubmitExtras | None = None,
) -> tuple[TourRequest, Job]:
    """Validate a tour beyond the schema and store it as a queued job (or, for a retry with
    the same Idempotency-Key, find the job the first request stored)."""
    raw_request = body.model_dump(mode="json")
    params = {"corridor": corridor, "min_charge_duration_min": min_charge_duration_min}
    submission = JobSubmission(extras, principal.tenant_id, backend, params, raw_request)
    earlier = submission.earlier_job()
    if earlier is not None:
        return tour_request_from_json(earlier.problem), earlier
    try:
        request, problems = to_tour_request(body, corridor, min_charge_duration_min)
    except MalformedTimeError as error:
        raise HTTPException(status.HTTP_400_BAD_REQUEST, detail=str(error)) from None
    request = dataclasses.replace(
        request,
        tenant_id=principal.tenant_id,
        accept_unknown_station_data=extras is not None and extras.accept_unknown_station_data,
    )
    try:
        vehicle = backend.vehicles.get(request.vehicle_id, principal.tenant_id)
    except MalformedVehicleIdError as error:
        problems.add(("vehicle_id",), str(error))
    except UnknownVehicleError as error:
        raise HTTPException(status.HTTP_404_NOT_FOUND, detail=str(error)) from None
    else:
        for loc, message in payload_problems(request.sections, vehicle):
            problems.add(loc, message)
    # The region is chosen here and stored with the job: the worker plans on that region.
    choice = choose_region(request, backend.regions)
    for loc, message in choice.problems:
        problems.add(loc, message, "value_error")
    if problems.errors or choice.region is None:
        raise RequestValidationError(problems.errors)
    request = dataclasses.replace(request, region_name=choice.region.name)
    job = submission.store(
        lambda attach: backend.store.submit(
            tenant_id=principal.tenant_id,
            user_id=principal.user_id,
            vehicle_id=request.vehicle_id,
            raw_request=raw_request,
            problem=tour_request_to_json(request),
            attach=attach,
        )
    )
    return request, job
