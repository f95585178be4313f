"""Asynchronous job flow (`POST /planner/v2`, `GET /planner/jobs`), as the contract has it."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

JOB_STATUSES = ("queued", "running", "succeeded", "not_drivable", "failed", "canceled")
"""The values of `status` the contract documents (the schema itself says only `string`)."""

EXAMPLE_JOB: dict[str, Any] = {
    "date_created": "2026-04-30T08:00:00Z",
    "job_id": "c3f1c944-a44c-4c07-ab52-7df7ba94024a",
    "last_update": "2026-04-30T08:00:25Z",
    "message": "202 - Job submitted.",
    "optimization_id": 7658,
    "status": "succeeded",
    "tour_id": 7615,
    "vehicle_id": "010160700001",
}
"""The one job the contract's examples of the job flow show, each with some of its fields."""


def _showing(*fields: str) -> ConfigDict:
    """A response's model_config whose example is EXAMPLE_JOB's fields, in this order."""
    return ConfigDict(json_schema_extra={"example": {name: EXAMPLE_JOB[name] for name in fields}})


class PlannerV2SubmitResponse(BaseModel):
    model_config = _showing("job_id", "message", "optimization_id", "tour_id")

    message: str = Field(..., description="Human-readable status message.")
    optimization_id: int | None = Field(
        None,
        description=(
            "Optimization identifier. Use this to retrieve the result via "
            "GET /planner/optimizations/{optimization_id}/result."
        ),
    )
    job_id: str | None = Field(
        None,
        description=(
            "Job identifier (UUID). Use this to poll for status via GET /planner/jobs/{job_id}."
        ),
    )
    tour_id: int = Field(..., description="Tour identifier.")
    warnings: list[str] | None = Field(None, description="Warnings about the request, if any.")


class JobStatusResponse(BaseModel):
    model_config = _showing("job_id", "optimization_id", "status", "tour_id", "vehicle_id")

    job_id: str = Field(..., description="Job identifier (UUID).")
    optimization_id: int | None = Field(None, description="Optimization identifier.")
    status: str = Field(
        ...,
        description="Job status: queued, running, succeeded, not_drivable, failed, canceled.",
    )
    tour_id: int = Field(..., description="Tour identifier.")
    vehicle_id: str | None = Field(None, description="Vehicle identifier.")


class JobListResponse(BaseModel):
    model_config = _showing("date_created", "job_id", "last_update", "optimization_id", "status")

    optimization_id: int = Field(..., description="Optimization identifier.")
    job_id: str = Field(..., description="Job identifier (UUID).")
    date_created: str = Field(..., description="Timestamp when the job was created (ISO-8601).")
    last_update: str = Field(..., description="Timestamp of the last status update (ISO-8601).")
    status: str = Field(
        ...,
        description="Job status: queued, running, succeeded, not_drivable, failed, canceled.",
    )
