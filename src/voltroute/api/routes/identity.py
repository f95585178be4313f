"""GET /me (extension): who the bearer token belongs to, so a client can list its own jobs."""

from __future__ import annotations

from voltroute.api.deps import PrincipalDep, rate_limited_router
from voltroute.api.openapi import AUTH_OPENAPI_EXTRA
from voltroute.api.schemas.identity import CallerInfo

router = rate_limited_router("identity")


@router.get(
    "/me",
    summary="The caller (extension)",
    response_model=CallerInfo,
    openapi_extra=AUTH_OPENAPI_EXTRA,
)
def who_am_i(principal: PrincipalDep) -> CallerInfo:
    """The tenant and user of the token: `user_id` is what `GET /planner/jobs` asks for."""
    return CallerInfo(tenant_id=principal.tenant_id, user_id=principal.user_id)
