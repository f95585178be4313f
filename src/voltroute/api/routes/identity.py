"""GET /me (extension): who the bearer token belongs to, so a client can list its own jobs."""

from __future__ import annotations

from fastapi import APIRouter, Depends

from voltroute.api.deps import PrincipalDep, rate_limited
from voltroute.api.openapi import AUTH_OPENAPI_EXTRA
from voltroute.api.schemas.identity import CallerInfo
from voltroute.api.strict_route import StrictJsonRoute

router = APIRouter(
    tags=["identity"], dependencies=[Depends(rate_limited)], route_class=StrictJsonRoute
)


@router.get(
    "/me",
    summary="The caller (extension)",
    response_model=CallerInfo,
    openapi_extra=AUTH_OPENAPI_EXTRA,
)
def who_am_i(principal: PrincipalDep) -> CallerInfo:
    """The tenant and user of the token: `user_id` is what `GET /planner/jobs` asks for."""
    return CallerInfo(tenant_id=principal.tenant_id, user_id=principal.user_id)
