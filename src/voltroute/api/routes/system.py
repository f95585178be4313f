"""Extension endpoints for operators: health and Prometheus metrics."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from sqlalchemy import text

from voltroute.api.deps import BackendDep
from voltroute.api.strict_route import StrictJsonRoute

router = APIRouter(tags=["operations"], route_class=StrictJsonRoute)


@router.get("/health", summary="Health check (extension)")
def health(backend: BackendDep, request: Request) -> dict[str, Any]:
    """Liveness and readiness: database reachable, regions loaded, workers alive, queue depth.

    `status` is `degraded` while no worker is alive: the API still accepts jobs (200), they
    wait in the queue until a worker runs them.
    """
    with backend.engine.connect() as connection:
        connection.execute(text("SELECT 1"))
    region = backend.region
    workers_alive = len(backend.workers.alive())
    return {
        "status": "ok" if workers_alive else "degraded",
        "workers_alive": workers_alive,
        "region": region.name,  # the default (first) region, as before several were served
        "region_built_at": region.manifest.built_at,
        "regions": [
            {"name": served.name, "built_at": served.manifest.built_at}
            for served in backend.regions
        ],
        "queue_pending": request.app.state.queue.pending(),
        "jobs": backend.store.status_counts(),
    }


@router.get("/metrics", summary="Prometheus metrics (extension)", response_class=Response)
def metrics(request: Request) -> Response:
    """Request counts and latencies, job counts by status, in Prometheus text format."""
    return Response(
        generate_latest(request.app.state.metrics.registry), media_type=CONTENT_TYPE_LATEST
    )
