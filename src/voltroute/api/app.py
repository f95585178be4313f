"""The FastAPI application factory."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import structlog
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from sqlalchemy.exc import OperationalError
from starlette.concurrency import run_in_threadpool

from voltroute import __version__
from voltroute.api.body_limit import BodyLimitMiddleware
from voltroute.api.client_address import TrustedProxyMiddleware
from voltroute.api.metrics import ApiMetrics
from voltroute.api.openapi import install_contract_openapi
from voltroute.api.ratelimit import RateLimiter
from voltroute.api.routes import (
    exports,
    identity,
    jobs,
    planner,
    regions,
    stations,
    system,
    vehicles,
)
from voltroute.api.routes.web import mount_web
from voltroute.api.token_audit_middleware import TokenAuditMiddleware
from voltroute.composition import Backend
from voltroute.config import Settings
from voltroute.jobs.queue import JobQueue

log = structlog.get_logger(__name__)

DATABASE_RETRY_AFTER_S = 5


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the app; the database is migrated and the regions loaded at start-up."""
    settings = settings or Settings()
    backend = Backend(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        backend.migrate()
        _ = backend.regions  # fail at start, not at the first request, if a region is missing
        yield

    app = FastAPI(
        title="Voltroute Planner API",
        version=__version__,
        description="FRYTE Planner API v2 compatible route planning for battery-electric trucks.",
        lifespan=lifespan,
    )
    app.state.backend = backend
    app.state.queue = JobQueue(settings)
    app.state.rate_limiter = RateLimiter(settings.rate_limit_per_min, settings.redis_url)
    app.state.token_last_recorded = {}
    app.state.metrics = ApiMetrics(backend.store)
    # Innermost of ours (added first), so that metrics and the audit log see its 413s too.
    app.add_middleware(BodyLimitMiddleware, max_bytes=settings.max_request_bytes)
    app.middleware("http")(app.state.metrics.middleware)
    app.add_middleware(TokenAuditMiddleware, audit=backend.token_audit)
    # Outermost: the audit log, metrics and the rate limit all see the client it resolves.
    app.add_middleware(TrustedProxyMiddleware, proxies=settings.trusted_proxy_networks)

    @app.exception_handler(OperationalError)
    async def database_unavailable(request: Request, error: OperationalError) -> JSONResponse:
        log.warning("database unavailable", path=request.url.path, error=str(error.orig))
        return JSONResponse(
            status_code=503,
            content={"detail": "The job database is unavailable; retry shortly."},
            headers={"Retry-After": str(DATABASE_RETRY_AFTER_S)},
        )

    @app.exception_handler(Exception)
    async def internal_error(request: Request, error: Exception) -> JSONResponse:
        # Rendering a traceback (with its locals) can take seconds: never on the event loop.
        await run_in_threadpool(log.error, "unhandled error", path=request.url.path, exc_info=error)
        return JSONResponse(status_code=500, content={"detail": "Internal server error."})

    for module in (planner, jobs, exports, system, vehicles, stations, regions, identity):
        app.include_router(module.router)
    mount_web(app)
    install_contract_openapi(app)
    return app
