"""Query and path parameters of the contract's operations, as reusable `Annotated` types.

Use them with the contract's defaults in the route signature, e.g.
`corridor: CorridorV2 = DEFAULT_CORRIDOR_M`, `tenant_id: TenantId = None`.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Path, Query

DEFAULT_CORRIDOR_M = 8000
DEFAULT_MIN_CHARGE_DURATION_MIN = 0

CORRIDOR_DESCRIPTION = (
    "Search corridor width in meters around the route for finding charging stations."
)
MIN_CHARGE_DURATION_DESCRIPTION = (
    "Minimum charging session duration in minutes. Charging stops shorter than this are removed "
    "from the optimizer's decision space, so planned sessions are either 0 or at least this "
    "long. Applies to pure charging time (excluding the connecting/parking overhead shown in "
    "service_time_min). 0 disables the floor (default)."
)

TenantId = Annotated[int | None, Query(description="Tenant ID")]
"""`tenant_id` (every operation); default `None`."""

Corridor = Annotated[int, Query(ge=1000, le=20000)]
"""`corridor` of `POST /planner` (no description there); default `DEFAULT_CORRIDOR_M`."""

CorridorV2 = Annotated[int, Query(ge=1000, le=20000, description=CORRIDOR_DESCRIPTION)]
"""`corridor` of `POST /planner/v2`; default `DEFAULT_CORRIDOR_M`."""

MinChargeDurationMin = Annotated[
    int, Query(ge=0, le=100, description=MIN_CHARGE_DURATION_DESCRIPTION)
]
"""`min_charge_duration_min` of `POST /planner/v2`; default `DEFAULT_MIN_CHARGE_DURATION_MIN`."""

JobId = Annotated[str, Path(description="Job identifier returned by POST /planner/v2.")]
"""`job_id` path parameter of `GET /planner/jobs/{job_id}`."""

OptimizationId = Annotated[
    int, Path(description="Optimization identifier returned by POST /planner/v2.")
]
"""`optimization_id` path parameter of `GET /planner/optimizations/{optimization_id}/result`."""

UserId = Annotated[int, Query(description="User ID to list jobs for")]
"""`user_id` of `GET /planner/jobs` (required)."""
