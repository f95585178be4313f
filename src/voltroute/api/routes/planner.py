"""POST /planner/v2 (asynchronous) and the legacy synchronous POST /planner.

Each parses the request, makes one call to the job service and translates its answer.
"""

from __future__ import annotations

from typing import Any

from fastapi import HTTPException, status
from fastapi.exceptions import RequestValidationError

from voltroute.api.deps import JobsDep, PrincipalDep, rate_limited_router
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
from voltroute.api.submit_extras import IDEMPOTENCY_HEADER, SubmitOptionsDep, header_error
from voltroute.api.translate_request import (
    RequestProblems,
    submit_warnings,
    to_tour_submission,
)
from voltroute.api.translate_result import legacy_body, result_body
from voltroute.jobs.submit import (
    KeyReusedError,
    MalformedTourError,
    SubmissionRefusedError,
    TourRejectedError,
)
from voltroute.vehicles import UnknownVehicleError

router = rate_limited_router(ops.PLANNER_TAG)


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
    jobs: JobsDep,
    options: SubmitOptionsDep,
    corridor: Corridor = DEFAULT_CORRIDOR_M,
) -> dict[str, Any]:
    """Plan synchronously and answer with the plan (the legacy endpoint)."""
    submission, problems = to_tour_submission(body, corridor, 0)
    try:
        planned = jobs.plan_tour_now(submission, options, principal)
    except (SubmissionRefusedError, UnknownVehicleError) as refused:
        raise _refusal(refused, problems) from None
    if not planned.status.final:
        # An idempotent retry while the first request still plans this job.
        raise HTTPException(
            status.HTTP_409_CONFLICT,
            detail="A request with this Idempotency-Key is still being planned; retry shortly.",
            headers={"Retry-After": "2"},
        )
    if planned.plan is None:
        if planned.crashed:
            raise HTTPException(status.HTTP_500_INTERNAL_SERVER_ERROR, detail=planned.error)
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_ENTITY, detail=planned.error)
    job = planned.job
    result = result_body(
        planned.plan, planned.request, job.optimization_id, job.tour_id, planned.status.value
    )
    return legacy_body(result, job.vehicle_id)


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
    jobs: JobsDep,
    options: SubmitOptionsDep,
    corridor: CorridorV2 = DEFAULT_CORRIDOR_M,
    min_charge_duration_min: MinChargeDurationMin = DEFAULT_MIN_CHARGE_DURATION_MIN,
) -> PlannerV2SubmitResponse:
    """Accept a tour as a queued job and answer 202 at once."""
    submission, problems = to_tour_submission(body, corridor, min_charge_duration_min)
    try:
        submitted = jobs.submit_tour(submission, options, principal)
    except (SubmissionRefusedError, UnknownVehicleError) as refused:
        raise _refusal(refused, problems) from None
    job = submitted.job
    warnings = submit_warnings(submitted.request)
    return PlannerV2SubmitResponse(
        message="202 - Job submitted.",
        optimization_id=job.optimization_id,
        job_id=job.job_id,
        tour_id=job.tour_id,
        warnings=warnings or None,
    )


def _refusal(
    refused: SubmissionRefusedError | UnknownVehicleError, problems: RequestProblems
) -> Exception:
    """A refused submission in the contract's error shape; problems: the body's own."""
    if isinstance(refused, KeyReusedError):
        return header_error(IDEMPOTENCY_HEADER, str(refused), refused.key)
    if isinstance(refused, MalformedTourError):
        return HTTPException(status.HTTP_400_BAD_REQUEST, detail=str(refused))
    if isinstance(refused, UnknownVehicleError):
        return HTTPException(status.HTTP_404_NOT_FOUND, detail=str(refused))
    if isinstance(refused, TourRejectedError):
        for loc, message in refused.problems:
            problems.add(loc, message)
        return RequestValidationError(problems.errors)
    raise TypeError(f"no answer for {refused!r}")  # pragma: no cover - every refusal is above
