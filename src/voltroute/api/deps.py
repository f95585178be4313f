"""Dependencies of the routes: the backend, the caller's identity, the rate limit (and the
rate-limited router of a resource), tenant checks."""

from __future__ import annotations

import time
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Query, Request, status

from voltroute.api.ratelimit import RateLimiter, address_key, tenant_key
from voltroute.api.strict_route import StrictJsonRoute
from voltroute.api.token_audit_middleware import PRINCIPAL_STATE_KEY
from voltroute.composition import Backend
from voltroute.jobs.queue import JobQueue
from voltroute.jobs.service import JobService
from voltroute.tenancy.tenants import Principal

TOKEN_USE_RECORD_INTERVAL_S = 60.0


def get_backend(request: Request) -> Backend:
    backend: Backend = request.app.state.backend
    return backend


def get_queue(request: Request) -> JobQueue:
    queue: JobQueue = request.app.state.queue
    return queue


def get_jobs(
    backend: Annotated[Backend, Depends(get_backend)],
    queue: Annotated[JobQueue, Depends(get_queue)],
) -> JobService:
    return backend.job_service(queue)


def bearer_principal(
    request: Request, backend: Annotated[Backend, Depends(get_backend)]
) -> Principal | None:
    """The tenant and user of the bearer token; None without a token or with an invalid one.

    A dependency of both the rate limit and the routes, so a request is authenticated once.
    """
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return backend.tenants.authenticate(token.strip())


def rate_limited(
    request: Request, principal: Annotated[Principal | None, Depends(bearer_principal)]
) -> None:
    """429 with Retry-After once the caller exceeds its requests per minute.

    Counted after authentication: per tenant with a valid token, else per client address.
    Counting before (per address) let garbage tokens lock a valid tenant out of its address.
    """
    limiter: RateLimiter = request.app.state.rate_limiter
    if principal is not None:
        key, per = tenant_key(principal.tenant_id), "tenant"
    else:
        client = request.client.host if request.client else "unknown"
        key, per = address_key(client), "client address without a valid token"
    retry_after_s = limiter.hit(key)
    if retry_after_s is not None:
        raise HTTPException(
            status.HTTP_429_TOO_MANY_REQUESTS,
            detail=f"Rate limit exceeded: at most {limiter.per_minute} requests per minute per "
            f"{per}. Retry in {retry_after_s} s.",
            headers={"Retry-After": str(retry_after_s)},
        )


def rate_limited_router(tag: str) -> APIRouter:
    """The router of one resource: every route rate limited, request bodies strict JSON."""
    return APIRouter(tags=[tag], dependencies=[Depends(rate_limited)], route_class=StrictJsonRoute)


def current_principal(
    request: Request,
    backend: Annotated[Backend, Depends(get_backend)],
    principal: Annotated[Principal | None, Depends(bearer_principal)],
) -> Principal:
    """The tenant and user of the bearer token; 401 without a valid one."""
    if principal is None:
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        missing = scheme.lower() != "bearer" or not token.strip()
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED,
            detail="Not authenticated: send 'Authorization: Bearer <token>'."
            if missing
            else "Invalid or revoked token.",
            headers={"WWW-Authenticate": "Bearer"},
        )
    _record_token_use(request, backend, principal)
    setattr(request.state, PRINCIPAL_STATE_KEY, principal)  # for the audit log middleware
    return principal


def _record_token_use(request: Request, backend: Backend, principal: Principal) -> None:
    # Audit the last use, but write at most once a minute per token: every request writing to
    # the database would contend with the workers for nothing.
    seen: dict[int, float] = request.app.state.token_last_recorded
    now = time.monotonic()
    if now - seen.get(principal.token_id, -1e9) >= TOKEN_USE_RECORD_INTERVAL_S:
        seen[principal.token_id] = now
        backend.tenants.mark_used(principal.token_id)


def tenant_scope(
    principal: Annotated[Principal, Depends(current_principal)],
    tenant_id: Annotated[int | None, Query(description="Tenant ID")] = None,
) -> Principal:
    """The caller's principal; a tenant_id other than the token's own is answered with 404."""
    if tenant_id is not None and tenant_id != principal.tenant_id:
        raise HTTPException(status.HTTP_404_NOT_FOUND, detail=f"Tenant {tenant_id} not found.")
    return principal


BackendDep = Annotated[Backend, Depends(get_backend)]
QueueDep = Annotated[JobQueue, Depends(get_queue)]
JobsDep = Annotated[JobService, Depends(get_jobs)]
PrincipalDep = Annotated[Principal, Depends(tenant_scope)]
