"""Job status, job list, results, and the cancel extension."""

from __future__ import annotations

from typing import Any

from fastapi import HTTPException, status

from voltroute.api.deps import JobsDep, PrincipalDep, rate_limited_router
from voltroute.api.openapi import AUTH_OPENAPI_EXTRA
from voltroute.api.schemas import JobListResponse, JobStatusResponse, OptimizationResultResponse
from voltroute.api.schemas import operations as ops
from voltroute.api.schemas.params import JobId, OptimizationId, UserId
from voltroute.api.translate_result import result_body
from voltroute.db.models import Job, JobStatus, as_utc
from voltroute.timefmt import iso_utc

router = rate_limited_router(ops.PLANNER_TAG)


@router.get(
    "/planner/jobs/{job_id}",
    summary=ops.GET_JOB_STATUS_SUMMARY,
    description=ops.GET_JOB_STATUS_DESCRIPTION,
    response_model=JobStatusResponse,
    openapi_extra=AUTH_OPENAPI_EXTRA,
)
def get_job_status(
    job_id: JobId,
    principal: PrincipalDep,
    jobs: JobsDep,
) -> JobStatusResponse:
    """The job's status."""
    return _status(_job_or_404(jobs.job(job_id, principal.tenant_id), job_id))


@router.get(
    "/planner/jobs",
    summary=ops.LIST_JOBS_SUMMARY,
    description=ops.LIST_JOBS_DESCRIPTION,
    response_model=list[JobListResponse],
    openapi_extra=AUTH_OPENAPI_EXTRA,
)
def list_jobs(
    user_id: UserId,
    principal: PrincipalDep,
    jobs: JobsDep,
) -> list[JobListResponse]:
    """The user's jobs within the caller's tenant, newest first."""
    return [
        JobListResponse(
            optimization_id=job.optimization_id,
            job_id=job.job_id,
            date_created=iso_utc(as_utc(job.created_at)),
            last_update=iso_utc(as_utc(job.updated_at)),
            status=job.status,
        )
        for job in jobs.jobs_of_user(principal.tenant_id, user_id)
    ]


@router.get(
    "/planner/optimizations/{optimization_id}/result",
    summary=ops.GET_OPTIMIZATION_RESULT_SUMMARY,
    description=ops.GET_OPTIMIZATION_RESULT_DESCRIPTION,
    response_model=OptimizationResultResponse,
    response_model_exclude_unset=False,
    openapi_extra=AUTH_OPENAPI_EXTRA,
)
def get_optimization_result(
    optimization_id: OptimizationId,
    principal: PrincipalDep,
    jobs: JobsDep,
) -> dict[str, Any]:
    """The plan of a finished job, in the contract's shape."""
    found = jobs.result(optimization_id, principal.tenant_id)
    if found is None:
        raise HTTPException(
            status.HTTP_404_NOT_FOUND, detail=f"Optimization {optimization_id} not found."
        )
    job = found.job
    if found.plan is None or found.request is None:
        state = JobStatus(job.status)
        reason = f": {job.error}" if job.error else ""
        raise HTTPException(
            status.HTTP_404_NOT_FOUND,
            detail=f"Optimization {optimization_id} has no result (job status {state.value}"
            f"{reason}).",
        )
    return result_body(found.plan, found.request, job.optimization_id, job.tour_id, job.status)


@router.post(
    "/planner/jobs/{job_id}/cancel",
    summary="Cancel a job (extension)",
    response_model=JobStatusResponse,
    openapi_extra=AUTH_OPENAPI_EXTRA,
)
def cancel_job(
    job_id: JobId,
    principal: PrincipalDep,
    jobs: JobsDep,
) -> JobStatusResponse:
    """Cancel a job: a queued job is canceled at once, a running one at its next checkpoint.

    Canceling a job that already ended changes nothing and returns its status.
    """
    return _status(_job_or_404(jobs.cancel(job_id, principal.tenant_id), job_id))


def _job_or_404(job: Job | None, job_id: str) -> Job:
    if job is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, detail=f"Job {job_id} not found.")
    return job


def _status(job: Job) -> JobStatusResponse:
    return JobStatusResponse.model_validate(job, from_attributes=True)
