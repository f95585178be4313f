"""The FastAPI application factory."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import structlog
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from sqlalchemy.exc import OperationalError

from voltroute import __version__
from voltroute.api.metrics import ApiMetrics
from voltroute.api.openapi import install_contract_openapi
from voltroute.api.ratelimit import RateLimiter
from voltroute.api.routes import exports, jobs, planner, stations, system, vehicles
from voltroute.api.routes.web import mount_web
from voltroute.api.token_audit import TokenAuditMiddleware
from voltroute.config import Settings
from voltroute.jobs.queue import JobQueue
from voltroute.jobs.services import Backend

log = structlog.get_logger(__name__)

DATABASE_RETRY_AFTER_S = 5


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the app; the database is migrated and the region loaded at start-up."""
    settings = settings or Settings()
    backend = Backend(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        backend.migrate()
        _ = backend.region  # fail at start, not at the first request, if the region is missing
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
    app.middleware("http")(app.state.metrics.middleware)
    app.add_middleware(TokenAuditMiddleware, audit=backend.token_audit)

    @app.middleware("http")
    async def limit_body_size(request: Request, call_next):  # type: ignore[no-untyped-def]
        length = request.headers.get("content-length")
        if length is not None and length.isdigit() and int(length) > settings.max_request_bytes:
            return JSONResponse(
                status_code=413,
                content={"detail": f"Request body larger than {settings.max_request_bytes} bytes."},
            )
        return await call_next(request)

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
        log.exception("unhandled error", path=request.url.path)
        return JSONResponse(status_code=500, content={"detail": "Internal server error."})

    for module in (planner, jobs, exports, system, vehicles, stations):
        app.include_router(module.router)
    mount_web(app)
    install_contract_openapi(app)
    return app
