"""Pydantic models and parameters of the FRYTE Planner API v2 contract (`shared/contract/`).

Each model regenerates, through FastAPI's OpenAPI generation (plus the component renaming in
`voltroute.api.openapi`), exactly the contract's component schema. Change them only additively.
"""

from voltroute.api.schemas import operations
from voltroute.api.schemas.jobs import (
    JOB_STATUSES,
    JobListResponse,
    JobStatusResponse,
    PlannerV2SubmitResponse,
)
from voltroute.api.schemas.params import (
    DEFAULT_CORRIDOR_M,
    DEFAULT_MIN_CHARGE_DURATION_MIN,
    Corridor,
    CorridorV2,
    JobId,
    MinChargeDurationMin,
    OptimizationId,
    TenantId,
    UserId,
)
from voltroute.api.schemas.poi import ConnectorPos, ConnectorType, POIInfo, TruckApproved
from voltroute.api.schemas.request import PLANNER_REQUEST_EXAMPLE, PlannerRequest, SectionRequest
from voltroute.api.schemas.result import (
    OPTIMIZATION_RESULT_EXAMPLE,
    NotDrivableReason,
    OptimizationResultResponse,
    PlannerResponse,
    ResultAvailableStation,
    ResultPOI,
    ResultPOIAlternative,
    ResultPOISummary,
    ResultSection,
    TollSummary,
)

__all__ = [
    "DEFAULT_CORRIDOR_M",
    "DEFAULT_MIN_CHARGE_DURATION_MIN",
    "JOB_STATUSES",
    "OPTIMIZATION_RESULT_EXAMPLE",
    "PLANNER_REQUEST_EXAMPLE",
    "ConnectorPos",
    "ConnectorType",
    "Corridor",
    "CorridorV2",
    "JobId",
    "JobListResponse",
    "JobStatusResponse",
    "MinChargeDurationMin",
    "NotDrivableReason",
    "OptimizationId",
    "OptimizationResultResponse",
    "POIInfo",
    "PlannerRequest",
    "PlannerResponse",
    "PlannerV2SubmitResponse",
    "ResultAvailableStation",
    "ResultPOI",
    "ResultPOIAlternative",
    "ResultPOISummary",
    "ResultSection",
    "SectionRequest",
    "TenantId",
    "TollSummary",
    "TruckApproved",
    "UserId",
    "operations",
]
